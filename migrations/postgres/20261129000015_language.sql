-- The language a person chose for the interface (`en`, `ru`); none: their browser's.
ALTER TABLE users ADD COLUMN language TEXT;
