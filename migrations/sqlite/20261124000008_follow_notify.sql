-- Staff follow tickets and are notified, in the app, of what happens to them.
CREATE TABLE ticket_followers (
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_followers_user ON ticket_followers (user_id);

-- One row per follower and event; written in the event's own transaction.
CREATE TABLE notifications (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    ticket_id INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    is_read   INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (ticket_id, seq) REFERENCES ticket_events (ticket_id, seq)
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, ticket_id) WHERE is_read = 0;

-- "Hide and don't notify": the reply box starts as a hidden note.
ALTER TABLE users ADD COLUMN notes_by_default INTEGER NOT NULL DEFAULT 0;
