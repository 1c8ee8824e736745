-- A story first published elsewhere names its canonical address there (a Ghost
-- export's `canonical_url`, or the newsroom's SEO field). Empty: its own address.
ALTER TABLE articles ADD COLUMN seo_canonical TEXT NOT NULL DEFAULT '';
