-- The publication's own pages (issue #30): Redaksi, Pedoman Media Siber, Kontak…
-- Their slugs share one namespace with sections and the site's reserved names.
CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
