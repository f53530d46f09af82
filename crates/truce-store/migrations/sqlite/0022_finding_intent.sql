-- Projection (issue 19): whether a finding assessed the violation deliberate or
-- accidental (`finding.proposed`'s optional `intent`). Kept in step with migrations/postgres.
ALTER TABLE findings ADD COLUMN intent TEXT;
