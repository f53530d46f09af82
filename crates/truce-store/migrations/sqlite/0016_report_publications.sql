-- Projection: situation reports entered on the log by their SHA-256 (kind
-- `report.published`, issue 6), one row per entry, with the delegation that published it.
-- Written by the projector (src/projection/publications.rs). Kept in step with
-- migrations/postgres.
CREATE TABLE report_publications (
    idx INTEGER PRIMARY KEY,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    language TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT,
    url TEXT,
    published_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;
-- `truce report check FILE`: is this hash on the log?
CREATE INDEX report_publications_sha256 ON report_publications (sha256, idx);
-- The situation report's page: the publications of its period.
CREATE INDEX report_publications_period ON report_publications (period_from, period_to, idx);
