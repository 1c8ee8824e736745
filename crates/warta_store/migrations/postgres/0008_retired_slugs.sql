-- The slugs stories were moved away from (issue #28): their old addresses redirect to
-- the stories (legacy_paths), so no other story may take them.
CREATE TABLE retired_slugs (
    slug TEXT PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX retired_slugs_article ON retired_slugs (article_id);
