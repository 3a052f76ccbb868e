-- Each revision keeps the plausibility flags it was submitted with, so QA comparing revisions
-- sees which flag a resubmission cleared (JSON list, as visits.flags).
ALTER TABLE visit_revisions ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
