-- A story's related block reads its list's entries from this index alone (issue #26;
-- see the SQLite migration of the same name).
CREATE INDEX related_lists_cover ON related_lists (article_id, position) INCLUDE (related_id);
