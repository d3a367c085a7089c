-- What describes a ticket besides its conversation, as administrators configure it:
-- statuses (each on one side: 'open' = under review by the provider, 'closed' = awaiting
-- the member), criticality levels, categories and related services. Retired options stay on
-- the tickets that use them but are no longer offered.
CREATE TABLE ticket_options (
    id       INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('status', 'criticality', 'category', 'service')),
    label    TEXT NOT NULL,
    side     TEXT CHECK (side IN ('open', 'closed')),
    position BIGINT NOT NULL DEFAULT 0,
    retired  BIGINT NOT NULL DEFAULT 0,
    UNIQUE (kind, label),
    CHECK ((kind = 'status') = (side IS NOT NULL))
);
INSERT INTO ticket_options (kind, label, side, position) VALUES
    ('status', 'Accepted', 'open', 1),
    ('status', 'In progress', 'open', 2),
    ('status', 'Waiting for a third party', 'open', 3),
    ('status', 'Resolved', 'closed', 4),
    ('criticality', 'Low', NULL, 1),
    ('criticality', 'Normal', NULL, 2),
    ('criticality', 'High', NULL, 3),
    ('criticality', 'Critical', NULL, 4),
    ('category', 'Question', NULL, 1),
    ('category', 'Problem', NULL, 2),
    ('category', 'Feature request', NULL, 3),
    ('category', 'Complaint', NULL, 4),
    ('service', 'Website', NULL, 1),
    ('service', 'Mobile app', NULL, 2),
    ('service', 'Payments', NULL, 3),
    ('service', 'Delivery', NULL, 4);

ALTER TABLE tickets ADD COLUMN status_option_id BIGINT REFERENCES ticket_options (id);
ALTER TABLE tickets ADD COLUMN criticality_id BIGINT REFERENCES ticket_options (id);
ALTER TABLE tickets ADD COLUMN category_id BIGINT REFERENCES ticket_options (id);
ALTER TABLE tickets ADD COLUMN service_id BIGINT REFERENCES ticket_options (id);
