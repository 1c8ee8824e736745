-- The newsroom (issue #6): accounts, their sessions, failed logins (for throttling),
-- and every saved version of an article. Sessions and throttling live here, not in a
-- node's memory, so that any node can answer any request.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('contributor', 'editor', 'admin')),
    -- argon2id, PHC string form.
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    -- The byline this account writes under.
    author_id INTEGER REFERENCES authors (id),
    created_at INTEGER NOT NULL
);

-- A session is known by the SHA-256 of its cookie; the cookie itself is never stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- `subject` is `account:<email>` or `address:<ip>`.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, at);

-- Every save of an article, numbered per article from 1; `content` is the
-- ArticleInput as JSON. The newest number is the version an editor's form is based on.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    content TEXT NOT NULL,
    UNIQUE (article_id, number)
);
