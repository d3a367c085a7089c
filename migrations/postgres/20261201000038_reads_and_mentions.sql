-- When each member of staff last looked at each ticket: the member's messages after that
-- are new to them, and their board marks the ticket.
CREATE TABLE staff_reads (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    read_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, ticket_id)
);

-- A notification that tells its reader a colleague called them by name (@Name) in a message
-- or note, rather than news of a ticket they follow.
ALTER TABLE notifications ADD COLUMN mention BIGINT NOT NULL DEFAULT 0;
