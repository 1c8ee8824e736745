-- Every save of related lists appends the articles whose list it changed, so that each
-- node drops exactly those articles' pages from its page cache (issue #25). Only the
-- newest 100,000 rows are kept; a node further behind drops its whole cache.
CREATE TABLE related_saves (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL
);
