-- Hardening (issue #23): browsers known to an account, and forms kept across a login.
--
-- A device is a browser that logged in to an account before; it gets a cookie whose
-- SHA-256 is kept here. Failed logins from elsewhere cannot lock it out.
CREATE TABLE devices (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX devices_user ON devices (user_id);

-- A form posted after its session expired, kept for the same account until it logs in
-- again (found by the SHA-256 of a key in the address the login returns to).
CREATE TABLE form_stashes (
    key_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    form TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Old failures are deleted on every login attempt (older than a day): by time.
CREATE INDEX login_failures_at ON login_failures (at);
