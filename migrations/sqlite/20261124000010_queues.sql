-- Queues: where tickets of a channel arrive (one per channel by default). New tickets of a
-- channel go to its first offered queue; a retired queue keeps its tickets.
CREATE TABLE queues (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    channel  TEXT NOT NULL CHECK (channel IN ('chat', 'email', 'form', 'phone')),
    position BIGINT NOT NULL DEFAULT 0,
    retired  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO queues (name, channel, position) VALUES
    ('Chat', 'chat', 1),
    ('Email', 'email', 2),
    ('Feedback form', 'form', 3),
    ('Phone', 'phone', 4);

ALTER TABLE tickets ADD COLUMN queue_id BIGINT REFERENCES queues (id);
UPDATE tickets SET queue_id = (SELECT q.id FROM queues q WHERE q.channel = tickets.channel ORDER BY q.position LIMIT 1);
CREATE INDEX tickets_queue ON tickets (queue_id);
