-- The services a member has with the provider (a hosting plan, a domain, an account), kept in
-- sync by the host platform under its own id for each: what it is, its address (a domain or
-- an account), and whether it runs.
CREATE TABLE member_services (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    address     TEXT,
    status      TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, external_id)
);
