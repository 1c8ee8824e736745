-- The front page as editors arrange it (issue #29): the main headline, secondary
-- headlines and "Pilihan Editor" by position, and the order of the home page's section
-- blocks (apart from the navigation's order). A story that is unpublished or deleted
-- leaves its slot to the newest story when the page is drawn; a deleted one is removed.
CREATE TABLE front_slots (
    slot TEXT NOT NULL CHECK (slot IN ('main', 'secondary', 'pick')),
    position INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (slot, position)
);
CREATE TABLE front_sections (
    section_id INTEGER PRIMARY KEY REFERENCES sections (id) ON DELETE CASCADE,
    position INTEGER NOT NULL
);
