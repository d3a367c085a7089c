-- When an administrator disabled the account: it cannot sign in, and every session of it
-- ended then. None: it may sign in.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
