-- The marks members rate answers with; administrators may add, reorder or retire them.
CREATE TABLE rating_marks (
    id       INTEGER PRIMARY KEY,
    label    TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL DEFAULT 0,
    retired  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO rating_marks (label, position) VALUES
    ('The answer is fine', 1),
    ('Not complete enough', 2),
    ('It did not help', 3);
