-- Files people upload, later attached to a message of a ticket. The id is 128 random bits in
-- hex and names the object in the file store; the name is only shown and used to download.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    uploader_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    ticket_id BIGINT REFERENCES tickets (id),
    seq BIGINT
);

CREATE INDEX attachments_unattached ON attachments (created_at) WHERE ticket_id IS NULL;
CREATE INDEX attachments_event ON attachments (ticket_id, seq);
