-- Imports: a stable source identity per article (original URL, GUID or id), so that
-- importing the same archive again updates instead of duplicating, and the addresses
-- an article had on the old site, answered with a redirect.

ALTER TABLE articles ADD COLUMN source_id TEXT;
CREATE UNIQUE INDEX articles_source ON articles (source_id) WHERE source_id IS NOT NULL;

CREATE TABLE legacy_paths (
    path TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX legacy_paths_article ON legacy_paths (article_id);

CREATE INDEX media_file ON media (file);

-- The brand that opens an article's dateline when it is not the site's (an imported
-- wire or partner story keeps `TEMPO.CO, Jakarta -`).
ALTER TABLE articles ADD COLUMN dateline_brand TEXT NOT NULL DEFAULT '';
