-- Statistics read each colleague's work, each colleague's ratings and each mark's ratings over
-- a range person by person (mark by mark) from these, instead of sorting a year of rows to
-- group them. The work index carries its counters so the rows are never read: a message
-- rewrites its entry as it rewrites the row.
CREATE INDEX operator_hours_person ON operator_hours (user_id, hour, department_id, taken,
    messages, notes, held_ms);
CREATE INDEX ticket_ratings_person ON ticket_ratings (user_id, at, department_id);
CREATE INDEX ticket_ratings_mark ON ticket_ratings (mark_id, at, department_id);
