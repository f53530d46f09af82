-- Projection (issue 19): how sure the mechanism is. Each report's verification status as
-- each `report.verified` set it (the latest is in force), with the rule applied; and each
-- incident's casualty reconciliation (`casualties.reconciled`). Kept in step with
-- migrations/sqlite.
CREATE TABLE report_verifications (
    idx BIGINT PRIMARY KEY,
    report_idx BIGINT NOT NULL,
    status TEXT NOT NULL,
    rule TEXT NOT NULL,
    corroborating TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX report_verifications_report ON report_verifications (report_idx, idx);

CREATE TABLE casualty_reconciliations (
    idx BIGINT PRIMARY KEY,
    incident_idx BIGINT NOT NULL,
    killed_low BIGINT NOT NULL,
    killed_best BIGINT NOT NULL,
    killed_high BIGINT NOT NULL,
    injured_low BIGINT NOT NULL,
    injured_best BIGINT NOT NULL,
    injured_high BIGINT NOT NULL,
    explanation TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX casualty_reconciliations_incident ON casualty_reconciliations (incident_idx, idx);
