ALTER TABLE visit_revisions DROP COLUMN flags;
