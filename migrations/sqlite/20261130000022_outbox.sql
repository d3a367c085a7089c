-- Mail out: every mail the desk sends, written in the same transaction as the reply it
-- carries, then delivered by the sender. Its state says how far delivery got:
--   queued      waiting for its turn (next_at), after a temporary failure too;
--   sending     a node holds it until lease_until and is talking to the relay; the relay
--               drops a mail whose data never ended, so an expired lease means send again;
--   committing  the data's final dot was written: the relay has the mail, so an expired
--               lease means sent (never twice);
--   sent, failed (last_error says why; the ticket shows it).
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    message_id   TEXT NOT NULL UNIQUE,
    in_reply_to  TEXT,
    refs         TEXT NOT NULL,
    from_address TEXT NOT NULL,
    from_name    TEXT NOT NULL,
    to_address   TEXT NOT NULL,
    to_name      TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    files        TEXT NOT NULL,
    language     TEXT NOT NULL,
    automatic    INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'committing', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    lease_until  INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE state = 'queued';
CREATE INDEX outbox_leased ON outbox (lease_until) WHERE state IN ('sending', 'committing');
CREATE INDEX outbox_ticket ON outbox (ticket_id);
CREATE INDEX outbox_recipient ON outbox (to_address, created_at);
