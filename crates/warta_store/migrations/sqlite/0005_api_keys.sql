-- Content API keys (issue #7): partners' keys, stored as SHA-256 hashes (the key
-- itself is shown once, when it is made). A revoked key stays, marked, so a request
-- with it is told it was revoked.

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX api_keys_name ON api_keys (name);
