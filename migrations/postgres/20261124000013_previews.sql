-- A picture's own size, kept when the server made a preview of it (stored beside the file).
ALTER TABLE attachments ADD COLUMN width INTEGER;
ALTER TABLE attachments ADD COLUMN height INTEGER;
