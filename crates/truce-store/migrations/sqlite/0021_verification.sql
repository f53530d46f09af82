-- Projection (issue 19): how sure the mechanism is. Each report's verification status as
-- each `report.verified` set it (the latest is in force), with the rule applied; and each
-- incident's casualty reconciliation (`casualties.reconciled`). Kept in step with
-- migrations/postgres.
CREATE TABLE report_verifications (
    idx INTEGER PRIMARY KEY,
    report_idx INTEGER NOT NULL,
    status TEXT NOT NULL,
    rule TEXT NOT NULL,
    corroborating TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;
CREATE INDEX report_verifications_report ON report_verifications (report_idx, idx);

CREATE TABLE casualty_reconciliations (
    idx INTEGER PRIMARY KEY,
    incident_idx INTEGER NOT NULL,
    killed_low INTEGER NOT NULL,
    killed_best INTEGER NOT NULL,
    killed_high INTEGER NOT NULL,
    injured_low INTEGER NOT NULL,
    injured_best INTEGER NOT NULL,
    injured_high INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;
CREATE INDEX casualty_reconciliations_incident ON casualty_reconciliations (incident_idx, idx);
