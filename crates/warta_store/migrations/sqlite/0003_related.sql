-- Related news (issue #5): each article's precomputed list, the editors' pins and
-- excludes, and how far into the change log the lists have been brought.

CREATE TABLE related_lists (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    related_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    score REAL NOT NULL,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX related_lists_related ON related_lists (related_id);

-- When each list was computed (lists are recomputed when they grow old, so recency
-- keeps reordering them).
CREATE TABLE related_computed (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    at INTEGER NOT NULL
);
CREATE INDEX related_computed_at ON related_computed (at);

CREATE TABLE related_edits (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pin', 'exclude')),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, other_id)
);

CREATE TABLE related_cursor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
