-- Staff who passed a ticket on to a department they do not work in keep it: they can go on
-- talking with the member there.
CREATE TABLE ticket_guests (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    user_id   BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_guests_user ON ticket_guests (user_id);
