-- The spam model, learned from what staff mark (and from mail that became a ticket): for each
-- word, in how many spam and how many other mails it was; how many mails of each kind were
-- learned; and which way each mail was learned, so that a change of mind un-learns it.
CREATE TABLE spam_words (
    word TEXT PRIMARY KEY,
    spam INTEGER NOT NULL DEFAULT 0,
    ham  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE spam_learned (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    spam INTEGER NOT NULL DEFAULT 0,
    ham  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO spam_learned (id, spam, ham) VALUES (1, 0, 0);
ALTER TABLE mails ADD COLUMN learned TEXT;
CREATE INDEX mails_spam ON mails (received_at) WHERE incoming = 1 AND reason = 'spam';
