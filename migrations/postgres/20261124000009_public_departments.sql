-- Whether members can choose a department in the support centre; others are reached by
-- transfer only.
ALTER TABLE departments ADD COLUMN public BIGINT NOT NULL DEFAULT 1;
