-- Whose session it is, so that every session of a person can end at once (a password
-- changed or reset).
ALTER TABLE sessions ADD COLUMN user_id INTEGER;
CREATE INDEX sessions_user ON sessions (user_id);
-- What the ticket's member sees move: only what they may see (a hidden note, a take or a
-- change of staff-only parameters leaves both alone), so nothing staff do unseen shows.
ALTER TABLE tickets ADD COLUMN member_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN member_updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET member_revision = revision, member_updated_at = updated_at;
