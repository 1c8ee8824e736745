-- Edits to a live story that saved themselves (issue #28): one per story and account,
-- the editor form as posted. Readers never see them and they write no revision (so
-- another person's autosave never makes a conflict); the account's next real save
-- of the story drops its own.
CREATE TABLE pending_edits (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    form TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
