-- The call centre. A member of staff with a phone extension is a call-centre agent: the
-- telephony system names them by it when they answer a call.
ALTER TABLE users ADD COLUMN extension TEXT;
CREATE UNIQUE INDEX users_extension ON users (extension);

-- One row per call the telephony system reported, by its own call id. Each call is a ticket
-- in the Phone queue of its caller (a member: one is made for an unknown number). An agent
-- who answered ends it with a reason (`ended_by`); until then it stays on their screen.
CREATE TABLE calls (
    id          TEXT PRIMARY KEY,
    line        TEXT NOT NULL,
    caller      TEXT NOT NULL,
    member_id   BIGINT NOT NULL REFERENCES users (id),
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    agent_id    BIGINT REFERENCES users (id),
    state       TEXT NOT NULL CHECK (state IN ('ringing', 'answered', 'ended', 'abandoned')),
    rang_at     BIGINT NOT NULL,
    answered_at BIGINT,
    ended_at    BIGINT,
    reason_id   BIGINT REFERENCES call_end_reasons (id),
    wrapped_at  BIGINT
);
CREATE INDEX calls_open ON calls (state, rang_at);
CREATE INDEX calls_agent ON calls (agent_id, wrapped_at);
CREATE INDEX calls_ticket ON calls (ticket_id);
