-- A board's lists read without walking the whole history: the open tickets oldest first
-- (the queue, and the open tickets statistics count by age), the member's archive or not
-- newest first, and every ticket newest first.
CREATE INDEX tickets_open ON tickets (status, created_at);
CREATE INDEX tickets_archive ON tickets (archived, updated_at);
CREATE INDEX tickets_recent ON tickets (updated_at);
