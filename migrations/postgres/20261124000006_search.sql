-- Full-text search over ticket subjects and message and note bodies.
-- One document per searchable text: the subject (seq 0) and each message or note (its seq,
-- holding the text as last edited). `public_seq` is the member's numbering: NULL for hidden
-- notes, which members never find; 0 for the subject.
-- The 'simple' configuration lower-cases words in every script (English, Russian…) without
-- language-specific stemming, as SQLite's unicode61 tokenizer does.
CREATE TABLE search_docs (
    id         BIGSERIAL PRIMARY KEY,
    ticket_id  BIGINT NOT NULL REFERENCES tickets (id),
    seq        BIGINT NOT NULL,
    public_seq BIGINT,
    body       TEXT NOT NULL,
    tsv        TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
);
CREATE UNIQUE INDEX search_docs_event ON search_docs (ticket_id, seq);
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);

-- What is already there: subjects, then messages and notes as they read after their last edit.
INSERT INTO search_docs (ticket_id, seq, public_seq, body)
    SELECT id, 0, 0, subject FROM tickets;
INSERT INTO search_docs (ticket_id, seq, public_seq, body)
    SELECT ticket_id, seq, public_seq, data::jsonb ->> 'body'
    FROM ticket_events WHERE kind IN ('message', 'note');
UPDATE search_docs d SET body = last.body
FROM (
    SELECT DISTINCT ON (ticket_id, (data::jsonb ->> 'message_seq')::bigint)
        ticket_id, (data::jsonb ->> 'message_seq')::bigint AS message_seq, data::jsonb ->> 'body' AS body
    FROM ticket_events WHERE kind = 'edited'
    ORDER BY ticket_id, (data::jsonb ->> 'message_seq')::bigint, seq DESC
) last
WHERE d.ticket_id = last.ticket_id AND d.seq = last.message_seq;
