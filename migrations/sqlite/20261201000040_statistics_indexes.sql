-- Statistics over a year read only these indexes, never the tables: a ticket's creation,
-- department, channel, category, criticality and the three moments its times are measured
-- to; a rating's moment, department, mark and colleague; a call's ring, reason and state.
CREATE INDEX tickets_stats ON tickets (created_at, department_id, channel, category_id,
    criticality_id, first_answer_at, resolved_at, first_taken_at);
DROP INDEX tickets_created;
CREATE INDEX ticket_ratings_stats ON ticket_ratings (at, department_id, mark_id, user_id);
DROP INDEX ticket_ratings_at;
CREATE INDEX calls_stats ON calls (rang_at, reason_id, state, ticket_id);
DROP INDEX calls_rang;
