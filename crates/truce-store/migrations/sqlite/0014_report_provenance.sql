-- The dataset row each imported report came from (issue 6: `truce import ucdp|acled`):
-- the dataset's slug, the row's id in it and the dataset's version, from the report's
-- `provenance`; null for reports filed directly. Written by the projector
-- (src/projection/reports.rs). Kept in step with migrations/postgres.
ALTER TABLE reports ADD COLUMN provenance_dataset TEXT;
ALTER TABLE reports ADD COLUMN provenance_row TEXT;
ALTER TABLE reports ADD COLUMN provenance_version TEXT;

-- Which rows of a file are already on the log (`POST /api/v1/reports/provenance`).
-- Unique: admission lets a row in once per log, and the projection says so too.
CREATE UNIQUE INDEX reports_provenance ON reports (provenance_dataset, provenance_row);

-- No rebuild is needed: before this migration no report could carry a provenance (the
-- payload refused unknown fields), so null is what a replay would write.
