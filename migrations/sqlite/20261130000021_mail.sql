-- Mailboxes: where mail comes in, and the department (and queue) its tickets go to.
CREATE TABLE mailboxes (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    address           TEXT NOT NULL,
    department_id     INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    queue_id          INTEGER REFERENCES queues (id) ON DELETE SET NULL,
    allow_new_members INTEGER NOT NULL DEFAULT 0,
    hold_all          INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);

-- Every mail taken in: what threads later mail (its Message-ID, Outlook's conversation
-- root), where it went (a ticket's message, or Incoming messages with the reason), and its
-- raw MIME in the file store, so that nothing is ever lost.
CREATE TABLE mails (
    id            INTEGER PRIMARY KEY,
    mailbox_id    INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    message_id    TEXT NOT NULL,
    thread_root   TEXT,
    from_address  TEXT NOT NULL,
    from_name     TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    raw_file      TEXT,
    raw_size      INTEGER NOT NULL,
    ticket_id     INTEGER REFERENCES tickets (id) ON DELETE SET NULL,
    seq           INTEGER,
    incoming      INTEGER NOT NULL,
    reason        TEXT,
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX mails_message ON mails (mailbox_id, message_id);
CREATE INDEX mails_message_id ON mails (message_id);
CREATE INDEX mails_thread_root ON mails (thread_root) WHERE thread_root IS NOT NULL;
CREATE INDEX mails_incoming ON mails (department_id, received_at) WHERE incoming = 1;
