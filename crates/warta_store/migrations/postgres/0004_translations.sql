-- Translations (issue #7, hreflang), as SQLite's 0008_translations.

CREATE TABLE article_translations (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL
);
CREATE INDEX article_translations_group ON article_translations (group_id);
