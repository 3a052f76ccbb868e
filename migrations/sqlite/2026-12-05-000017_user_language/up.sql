-- The reader's saved language for server-originated text (SPEC §10.31): 'ar', 'en' or none.
ALTER TABLE users ADD COLUMN language TEXT;
