DROP INDEX attachments_uploader_idx;
