-- What call-centre agents changed in members' accounts, for the member's history: who, when,
-- on which call's request, and each field before → after (JSON).
CREATE TABLE member_history (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    ticket_id INTEGER REFERENCES tickets (id),
    changes   TEXT NOT NULL
);
CREATE INDEX member_history_member ON member_history (user_id, at);
