-- What statistics read, kept as the event log is written (and filled from it here): each
-- ticket's first take and first close, each colleague's work per hour, each rating.

-- When a colleague first took the ticket (or was handed it), and when it was first closed.
ALTER TABLE tickets ADD COLUMN first_taken_at BIGINT;
ALTER TABLE tickets ADD COLUMN resolved_at BIGINT;
CREATE INDEX tickets_created ON tickets (created_at, department_id);

UPDATE tickets SET
    first_taken_at = (SELECT MIN(e.at) FROM ticket_events e
                      WHERE e.ticket_id = tickets.id AND e.kind IN ('taken', 'assigned')),
    resolved_at = (SELECT MIN(e.at) FROM ticket_events e
                   WHERE e.ticket_id = tickets.id AND e.kind = 'closed');

-- A colleague's work in a department in one hour (milliseconds since the epoch / 3,600,000):
-- tickets taken or handed to them, messages and notes written, and how long they held
-- tickets (counted when a hold ends, in the hour it ends).
CREATE TABLE operator_hours (
    hour          BIGINT NOT NULL,
    department_id BIGINT NOT NULL REFERENCES departments (id),
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    taken         BIGINT NOT NULL DEFAULT 0,
    messages      BIGINT NOT NULL DEFAULT 0,
    notes         BIGINT NOT NULL DEFAULT 0,
    held_ms       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, department_id, user_id)
);

INSERT INTO operator_hours (hour, department_id, user_id, taken, messages, notes)
SELECT hour, department_id, user_id, SUM(taken), SUM(messages), SUM(notes) FROM (
    SELECT e.at / 3600000 AS hour, t.department_id, e.author_id AS user_id,
           CASE WHEN e.kind = 'taken' THEN 1 ELSE 0 END AS taken,
           CASE WHEN e.kind = 'message' THEN 1 ELSE 0 END AS messages,
           CASE WHEN e.kind = 'note' THEN 1 ELSE 0 END AS notes
    FROM ticket_events e
    JOIN tickets t ON t.id = e.ticket_id
    JOIN users u ON u.id = e.author_id
    WHERE u.role <> 'member' AND e.kind IN ('taken', 'message', 'note')
    UNION ALL
    SELECT e.at / 3600000, t.department_id, ((e.data::json)->'to'->>'id')::BIGINT, 1, 0, 0
    FROM ticket_events e
    JOIN tickets t ON t.id = e.ticket_id
    WHERE e.kind = 'assigned'
) AS work
WHERE user_id IN (SELECT id FROM users)
GROUP BY hour, department_id, user_id;

-- Each rating a member gave, credited to the colleague who answered last before it.
CREATE TABLE ticket_ratings (
    ticket_id     BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL,
    at            BIGINT NOT NULL,
    department_id BIGINT NOT NULL REFERENCES departments (id),
    mark_id       BIGINT NOT NULL REFERENCES rating_marks (id),
    user_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (ticket_id, seq)
);
CREATE INDEX ticket_ratings_at ON ticket_ratings (at);

INSERT INTO ticket_ratings (ticket_id, seq, at, department_id, mark_id, user_id)
SELECT e.ticket_id, e.seq, e.at, t.department_id, ((e.data::json)->'mark'->>'id')::BIGINT,
       (SELECT m.author_id FROM ticket_events m JOIN users u ON u.id = m.author_id
        WHERE m.ticket_id = e.ticket_id AND m.seq < e.seq AND m.kind = 'message'
          AND u.role <> 'member'
        ORDER BY m.seq DESC LIMIT 1)
FROM ticket_events e
JOIN tickets t ON t.id = e.ticket_id
WHERE e.kind = 'rated' AND ((e.data::json)->'mark'->>'id')::BIGINT IN (SELECT id FROM rating_marks);

-- Calls by when they rang, for the call centre's figures.
CREATE INDEX calls_rang ON calls (rang_at);
