-- What search results and shared cards show of an article, when not its headline and
-- lede (issue #28). Empty: the headline and the lede.
ALTER TABLE articles ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
