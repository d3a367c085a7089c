-- When staff first answered a ticket (NULL: not yet). A ticket open, unanswered and held
-- by nobody waits in its department's line; how long first answers took lately tells the
-- members who wait about how long they will.
ALTER TABLE tickets ADD COLUMN first_answer_at BIGINT;
UPDATE tickets SET first_answer_at = (
    SELECT MIN(e.at) FROM ticket_events e JOIN users u ON u.id = e.author_id
    WHERE e.ticket_id = tickets.id AND e.kind = 'message' AND u.role <> 'member'
);
CREATE INDEX tickets_waiting ON tickets (department_id, status, first_answer_at, created_at);
CREATE INDEX tickets_first_answers ON tickets (department_id, first_answer_at);
