ALTER TABLE visit_revisions DROP COLUMN evidence;
ALTER TABLE visits DROP COLUMN evidence;
