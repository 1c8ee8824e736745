-- Links sent by email (issue #28): an invitation to choose a first password, or a
-- password reset. The link carries a random token; only its SHA-256 is kept. A link
-- works once, until it expires; a newer link of the same kind for the same account
-- replaces the older.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX account_links_user ON account_links (user_id, purpose);
