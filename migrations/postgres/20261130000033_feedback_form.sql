-- The feedback form: how the member who sent it wants the answer (`here`, `confirmation`,
-- `email`); NULL for tickets that came another way.
ALTER TABLE tickets ADD COLUMN answer_by TEXT CHECK (answer_by IN ('here', 'confirmation', 'email'));
