-- Desk-wide switches an administrator turns on or off (absent: off), such as whether
-- members may sign themselves up.
CREATE TABLE desk_switches (
    name    TEXT PRIMARY KEY,
    enabled INTEGER NOT NULL
);

-- Sign-ups waiting for their address to be confirmed: the mailed link's token (its SHA-256
-- only), who signs up and their password, already hashed. The member is made when the link
-- is followed; a sign-up not confirmed in time is forgotten.
CREATE TABLE sign_ups (
    token_hash    TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    language      TEXT,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sign_ups_email ON sign_ups (email);
CREATE INDEX sign_ups_expiry ON sign_ups (expires_at);
