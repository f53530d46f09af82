-- Admission state: the records later entries may refer to, each with what admission must
-- know of it (JSON, written and read only by truce-store).
CREATE TABLE records (
    idx BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL
);

-- Projection: incidents, the reports linked to them, and the parties' statements.
CREATE TABLE incidents (
    idx BIGINT PRIMARY KEY,
    opened_by TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    accused TEXT NOT NULL,
    status TEXT NOT NULL
);

CREATE TABLE incident_reports (
    incident_idx BIGINT NOT NULL,
    report_idx BIGINT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (incident_idx, report_idx)
);
CREATE INDEX incident_reports_report ON incident_reports (report_idx);

CREATE TABLE statements (
    idx BIGINT PRIMARY KEY,
    incident_idx BIGINT NOT NULL,
    finding_idx BIGINT,
    party TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    killed_low BIGINT,
    killed_best BIGINT,
    killed_high BIGINT,
    injured_low BIGINT,
    injured_best BIGINT,
    injured_high BIGINT,
    payload TEXT NOT NULL
);
CREATE INDEX statements_incident ON statements (incident_idx, party, idx);
