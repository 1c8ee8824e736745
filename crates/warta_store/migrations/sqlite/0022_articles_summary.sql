-- A story's summary — what lists, related blocks and Terpopuler show of it — from one
-- index instead of the story's row (issue #26). Rows hold the whole body: ten summaries
-- of a related block read ten table pages spread over the whole database (7 GB at a
-- million articles), which a server whose memory cannot hold the file reads from disk
-- (p50 2.9 ms, p90 26 ms for ten, after the kernel's cache was dropped). This index
-- holds only the summaries (325 MB at a million; built in 8 s), so it stays in memory.
-- Queries name it (`INDEXED BY`, see `Backend::summaries`). PostgreSQL needs no such
-- index: it keeps long bodies out of the row (TOAST).
CREATE INDEX articles_summary ON articles
    (id, status, published_at, section_id, updated_at, hero_media_id, slug, headline, lede);
