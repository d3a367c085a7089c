-- When the ticket's holder took it: the moderator's overview shows how long a lock is held.
ALTER TABLE tickets ADD COLUMN assigned_at BIGINT;
-- Tickets held before this: their last change is the best estimate.
UPDATE tickets SET assigned_at = updated_at WHERE assignee_id IS NOT NULL;
