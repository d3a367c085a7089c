-- Taking (locking) tickets, and the member's archive.
ALTER TABLE tickets ADD COLUMN assignee_id BIGINT REFERENCES users (id);
ALTER TABLE tickets ADD COLUMN archived BIGINT NOT NULL DEFAULT 0;
