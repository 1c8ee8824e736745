-- Several nodes (issue #8): counters that tell every node its caches may be stale.
-- `related` counts saves of related lists, pins and excludes (these are not in the
-- change log, which is about articles).

CREATE TABLE signals (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO signals (name, value) VALUES ('related', 0);
