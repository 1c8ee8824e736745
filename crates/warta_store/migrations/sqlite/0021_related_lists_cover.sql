-- A story's related block reads its list's ten entries (issue #26). The rows of one list
-- are stored apart (a list's rows are written in the order of the stories they point
-- to), so reading `related_id` from the table cost a page per entry: 1.2 ms of a
-- page-cache miss at a million. From this index alone, the list is a few adjacent
-- entries.
CREATE INDEX related_lists_cover ON related_lists (article_id, position, related_id);
