-- Reads counted for "Terpopuler" (issue #29): per story and hour, added in batches by
-- every node (a count is no content change: it writes no `changes` row). Nothing
-- about the reader is kept. Hours older than eight days are dropped.
CREATE TABLE reads (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    hour INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX reads_hour ON reads (hour);
