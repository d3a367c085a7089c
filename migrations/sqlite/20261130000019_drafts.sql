-- What a person is writing in a ticket and has not sent, per kind (0: a reply, 1: a hidden
-- note): restored wherever they open the ticket, forgotten when sent.
CREATE TABLE drafts (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    note       INTEGER NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, ticket_id, note)
);
