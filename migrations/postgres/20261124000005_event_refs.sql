-- What an event refers to, in the member's numbering (an edit names the message it changes).
ALTER TABLE ticket_events ADD COLUMN ref_public_seq BIGINT;
