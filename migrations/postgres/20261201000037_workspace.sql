-- When the member last wrote to a ticket (NULL: never). While the last message is theirs,
-- the board shows how long they have waited since, against the department's targets.
ALTER TABLE tickets ADD COLUMN member_wrote_at BIGINT;
UPDATE tickets SET member_wrote_at = (
    SELECT MAX(e.at) FROM ticket_events e JOIN users u ON u.id = e.author_id
    WHERE e.ticket_id = tickets.id AND e.kind = 'message' AND u.role = 'member'
);

-- A department's response targets in minutes (NULL: none): the first answer after a ticket
-- opens, and each next answer after the member writes again.
ALTER TABLE departments ADD COLUMN first_response_minutes BIGINT;
ALTER TABLE departments ADD COLUMN next_response_minutes BIGINT;

-- What staff note about a member for each other; never shown to the member.
ALTER TABLE users ADD COLUMN staff_comment TEXT;

-- A person's own settings of the workspace (display, notifications, saved views), as JSON.
ALTER TABLE users ADD COLUMN preferences TEXT;
