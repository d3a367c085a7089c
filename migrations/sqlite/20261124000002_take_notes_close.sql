-- Taking (locking) tickets, and the member's archive.
ALTER TABLE tickets ADD COLUMN assignee_id INTEGER REFERENCES users (id);
ALTER TABLE tickets ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
