-- Canned responses: per department, with placeholders filled in when inserted.
CREATE TABLE canned_responses (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments (id),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (department_id, title)
);
