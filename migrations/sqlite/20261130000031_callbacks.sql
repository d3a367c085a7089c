-- Callers who gave up waiting, to be called back: oldest first, one at a time per number.
-- A waiting callback is offered to a free call-centre agent; once they accept, the telephony
-- system is asked to dial (or the number is shown to dial by hand); the outcome is kept, and
-- a callback not reached is tried again later, up to a number of tries.
CREATE TABLE callbacks (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,
    member_id     INTEGER NOT NULL REFERENCES users (id),
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id),
    department_id INTEGER NOT NULL REFERENCES departments (id),
    call_id       TEXT NOT NULL UNIQUE,
    state         TEXT NOT NULL CHECK (state IN ('waiting', 'offered', 'dialing', 'done', 'given_up')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    agent_id      INTEGER REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    offered_at    INTEGER,
    dialed        INTEGER NOT NULL DEFAULT 0,
    outcome       TEXT,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX callbacks_queue ON callbacks (state, due_at, created_at);
CREATE INDEX callbacks_number ON callbacks (number, created_at);
