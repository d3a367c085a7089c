-- When a take lapsed: the member waited too long unanswered and the ticket came back to the
-- queue by itself. Cleared once someone takes it again.
ALTER TABLE tickets ADD COLUMN lapsed_at INTEGER;
