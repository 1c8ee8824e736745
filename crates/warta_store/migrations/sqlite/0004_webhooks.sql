-- Webhooks (issue #7): every delivery, with its attempts and outcome, and how far
-- into the change log the webhook follower has read. Deliveries outlive their
-- articles (no foreign key): the log is a record of what was sent.

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    url TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_article ON webhook_deliveries (article_id, id);

CREATE TABLE webhook_cursor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
