-- What a loyalty platform's personal account holds of a member, kept in sync by the host
-- platform (by its own id for them): personal details, phone numbers (E.164, each held by
-- one member), cards with their balance and status, mailing subscriptions, purchases.
CREATE TABLE member_accounts (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL UNIQUE,
    birth_date  TEXT,
    city        TEXT,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE member_phones (
    phone   TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX member_phones_user ON member_phones (user_id);

CREATE TABLE cards (
    number       TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('active', 'blocked', 'not_activated')),
    balance      INTEGER NOT NULL,
    block_reason TEXT,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX cards_user ON cards (user_id);

-- Every change of a card's status: when, to what, why, and by whom (a person, or the host).
CREATE TABLE card_history (
    id        INTEGER PRIMARY KEY,
    number    TEXT NOT NULL REFERENCES cards (number) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    status    TEXT NOT NULL,
    reason    TEXT,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX card_history_card ON card_history (number, at);

CREATE TABLE subscriptions (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    topic      TEXT NOT NULL,
    subscribed INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, channel, topic)
);

-- Amounts in minor units (kopecks, cents); items as JSON.
CREATE TABLE purchases (
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    external_id   TEXT NOT NULL,
    at            INTEGER NOT NULL,
    point_of_sale TEXT NOT NULL,
    items         TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    points_earned INTEGER NOT NULL,
    points_spent  INTEGER NOT NULL,
    PRIMARY KEY (user_id, external_id)
);
CREATE INDEX purchases_member_time ON purchases (user_id, at);
