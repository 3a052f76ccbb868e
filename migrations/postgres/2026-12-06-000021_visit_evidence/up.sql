-- The evidence a submission named (item key -> attachment ids, for items that are not photo
-- items), as the shopper submitted it. Before this, a visit's evidence was every upload of its
-- assignment, so a photo uploaded for an attempt the server refused, and not named again,
-- still showed to QA and managers. NULL: a visit from before, read as it always was.
ALTER TABLE visits ADD COLUMN evidence TEXT;
ALTER TABLE visit_revisions ADD COLUMN evidence TEXT;
