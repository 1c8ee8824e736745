-- Translations (issue #7, hreflang): articles in one group are the same story in
-- different languages. `group_id` is the id of the group's first article (its root,
-- which is in the group too).

CREATE TABLE article_translations (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL
);
CREATE INDEX article_translations_group ON article_translations (group_id);
