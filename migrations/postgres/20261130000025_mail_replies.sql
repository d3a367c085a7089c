-- Members choose when answers on their chat tickets reach them by mail too: when they are
-- away (answers still unread after a while; the default), always, or never. Such mail goes
-- out as one digest per ticket for a burst of answers: the outbox says which kind a mail is.
ALTER TABLE users ADD COLUMN mail_replies TEXT NOT NULL DEFAULT 'away';
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply';
