-- Full-text search over ticket subjects and message and note bodies.
-- One document per searchable text: the subject (seq 0) and each message or note (its seq,
-- holding the text as last edited). `public_seq` is the member's numbering: NULL for hidden
-- notes, which members never find; 0 for the subject.
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    seq        INTEGER NOT NULL,
    public_seq INTEGER,
    body       TEXT NOT NULL
);
CREATE UNIQUE INDEX search_docs_event ON search_docs (ticket_id, seq);

-- The FTS5 index reads its text from search_docs; triggers keep the two in step.
-- unicode61 folds case in every script (English, Russian…); prefixes of 2 and 3 characters
-- are indexed so that search-as-you-type stays fast.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    body,
    content = 'search_docs',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER search_docs_update AFTER UPDATE OF body ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;

-- What is already there: subjects, then messages and notes as they read after their last edit.
INSERT INTO search_docs (ticket_id, seq, public_seq, body)
    SELECT id, 0, 0, subject FROM tickets;
INSERT INTO search_docs (ticket_id, seq, public_seq, body)
    SELECT ticket_id, seq, public_seq, json_extract(data, '$.body')
    FROM ticket_events WHERE kind IN ('message', 'note');
UPDATE search_docs SET body = (
    SELECT json_extract(e.data, '$.body') FROM ticket_events e
    WHERE e.ticket_id = search_docs.ticket_id AND e.kind = 'edited'
      AND json_extract(e.data, '$.message_seq') = search_docs.seq
    ORDER BY e.seq DESC LIMIT 1)
WHERE seq > 0 AND EXISTS (
    SELECT 1 FROM ticket_events e
    WHERE e.ticket_id = search_docs.ticket_id AND e.kind = 'edited'
      AND json_extract(e.data, '$.message_seq') = search_docs.seq);
