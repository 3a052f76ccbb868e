-- The per-shopper daily attachment quota counts a shopper's uploads of the last 24 hours.
CREATE INDEX attachments_uploader_idx ON attachments (uploaded_by, created_at);
