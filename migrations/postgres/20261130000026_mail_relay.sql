-- The relay mail leaves through, as an administrator set it in /admin (it takes the place of
-- the settings file's): its server, how it is protected, the account (its password sealed
-- with the desk's secret key, never stored in the clear), the address replies come from when
-- a department has no mailbox, and where bounces go.
CREATE TABLE mail_relay (
    id           BIGINT PRIMARY KEY CHECK (id = 1),
    host         TEXT NOT NULL,
    port         BIGINT NOT NULL,
    security     TEXT NOT NULL,
    user_name    TEXT,
    secret       TEXT,
    from_address TEXT NOT NULL,
    bounces_to   TEXT,
    updated_at   BIGINT NOT NULL
);
