-- The point of a photo that crops keep in view (issue #30), in percent from the top
-- left; 50, 50 is the centre.
ALTER TABLE media ADD COLUMN focus_x INTEGER NOT NULL DEFAULT 50;
ALTER TABLE media ADD COLUMN focus_y INTEGER NOT NULL DEFAULT 50;
