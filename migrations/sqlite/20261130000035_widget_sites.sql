-- The host platform's sites that embed the widget: the key their snippet names, the origins
-- their pages come from (one per line; only those may frame the widget or open it), and the
-- secret their backend signs members' identity tokens with, sealed with the desk's secret key
-- (it must be read back to check a signature, so it cannot be hashed).
CREATE TABLE widget_sites (
    id         INTEGER PRIMARY KEY,
    site_key   TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL UNIQUE,
    origins    TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Identity tokens already used, kept until they expire: a token is taken once.
CREATE TABLE widget_token_uses (
    site_id    INTEGER NOT NULL REFERENCES widget_sites (id) ON DELETE CASCADE,
    token_id   TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, token_id)
);
CREATE INDEX widget_token_uses_expiry ON widget_token_uses (expires_at);
