-- As SQLite's 0015_front_page. The front page as editors arrange it (issue #29): the
-- main headline, secondary headlines and "Pilihan Editor" by position, and the order
-- of the home page's section blocks (apart from the navigation's order).
CREATE TABLE front_slots (
    slot TEXT NOT NULL CHECK (slot IN ('main', 'secondary', 'pick')),
    position BIGINT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (slot, position)
);
CREATE TABLE front_sections (
    section_id BIGINT PRIMARY KEY REFERENCES sections (id) ON DELETE CASCADE,
    position BIGINT NOT NULL
);
