-- Why a call ended, as the call-centre agent says when ending it: administrators keep the
-- list (add, rename, reorder, retire) and say of each whether it closes the call's request by
-- default (else the request moves to a queue for the support service). The defaults are the
-- 24 reasons of the call centre's practice.
CREATE TABLE call_end_reasons (
    id       INTEGER PRIMARY KEY,
    label    TEXT NOT NULL UNIQUE,
    closes   INTEGER NOT NULL,
    position INTEGER NOT NULL,
    retired  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO call_end_reasons (label, closes, position) VALUES
    ('Address, phone number of POS', 1, 1),
    ('The offer has not worked (no bonus points accrued, discount has not calculated etc.)', 0, 2),
    ('Vacancies', 1, 3),
    ('Complaints about the product quality', 0, 4),
    ('Complaints about false weight', 0, 5),
    ('Complaints against the call center agent', 0, 6),
    ('Complaints against POS sellers', 0, 7),
    ('Complaints about the POS (dirty, prices do not match actual, wrong working time, etc.)', 0, 8),
    ('Fraud (For example, gave false currency note, etc.)', 0, 9),
    ('Proposal to improve the service in the POS', 0, 10),
    ('Composition, product manufacture', 1, 11),
    ('Cooperation', 0, 12),
    ('Customer registration', 1, 13),
    ('Work on the loyalty program (blocking/unblocking cards, merging accounts, sending a password, etc.)', 1, 14),
    ('Call from LP participant using another number', 1, 15),
    ('Consultations on Loyalty Program', 1, 16),
    ('Test call', 1, 17),
    ('Refusal to register', 1, 18),
    ('Account balance', 1, 19),
    ('Change of personal data', 1, 20),
    ('Call diverting to a Partner', 1, 21),
    ('Delayed appeal to a partner', 0, 22),
    ('The call fell through', 1, 23),
    ('Other', 1, 24);
