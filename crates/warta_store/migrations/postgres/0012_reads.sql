-- As SQLite's 0016_reads. Reads counted for "Terpopuler" (issue #29): per story and
-- hour, added in batches by every node; nothing about the reader is kept.
CREATE TABLE reads (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    hour BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX reads_hour ON reads (hour);
