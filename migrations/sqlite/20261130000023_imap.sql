-- Mailboxes fetched over IMAP: the server, the account (its password sealed with the desk's
-- secret key, never stored in the clear), the folder, how far it has been read (the UID
-- validity and the last UID taken), which node reads it until when, and how the last try went.
ALTER TABLE mailboxes ADD COLUMN imap_host TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_port INTEGER NOT NULL DEFAULT 993;
ALTER TABLE mailboxes ADD COLUMN imap_security TEXT NOT NULL DEFAULT 'tls';
ALTER TABLE mailboxes ADD COLUMN imap_user TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_secret TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_folder TEXT NOT NULL DEFAULT 'INBOX';
ALTER TABLE mailboxes ADD COLUMN imap_uid_validity INTEGER;
ALTER TABLE mailboxes ADD COLUMN imap_last_uid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN imap_lease_until INTEGER;
ALTER TABLE mailboxes ADD COLUMN imap_problem TEXT;
ALTER TABLE mailboxes ADD COLUMN imap_checked_at INTEGER;
