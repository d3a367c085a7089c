-- The spine: people, departments, tickets and the ticket event log.
-- Times are milliseconds since the Unix epoch; every integer is 64-bit, as in PostgreSQL.

CREATE TABLE departments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('member', 'operator', 'moderator', 'administrator')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE department_members (
    department_id INTEGER NOT NULL REFERENCES departments (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (department_id, user_id)
);

CREATE TABLE tickets (
    id                  INTEGER PRIMARY KEY,
    member_id           INTEGER NOT NULL REFERENCES users (id),
    department_id       INTEGER NOT NULL REFERENCES departments (id),
    subject             TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    channel             TEXT NOT NULL DEFAULT 'chat',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    -- Per-ticket sequences, advanced under the ticket row's write lock in the same
    -- transaction as the event they number: commit order equals sequence order.
    last_seq            INTEGER NOT NULL DEFAULT 0,
    last_public_seq     INTEGER NOT NULL DEFAULT 0,
    revision            INTEGER NOT NULL DEFAULT 0,
    member_unread       INTEGER NOT NULL DEFAULT 0,
    member_read_seq     INTEGER NOT NULL DEFAULT 0,
    preview             TEXT,
    public_preview      TEXT,
    last_author_role    TEXT,
    public_author_role  TEXT
);
CREATE INDEX tickets_board ON tickets (department_id, status, created_at);
CREATE INDEX tickets_member ON tickets (member_id, updated_at);

CREATE TABLE ticket_events (
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id),
    seq           INTEGER NOT NULL,
    -- NULL for staff-only events; members count only the events they can see.
    public_seq    INTEGER,
    at            INTEGER NOT NULL,
    author_id     INTEGER REFERENCES users (id),
    kind          TEXT NOT NULL,
    data          TEXT NOT NULL,
    client_msg_id TEXT,
    PRIMARY KEY (ticket_id, seq)
);
CREATE UNIQUE INDEX ticket_events_public ON ticket_events (ticket_id, public_seq) WHERE public_seq IS NOT NULL;
-- A retried send carries the same client id: this makes it one message.
CREATE UNIQUE INDEX ticket_events_client_msg ON ticket_events (author_id, client_msg_id) WHERE client_msg_id IS NOT NULL;

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
