-- Admission state: the records later entries may refer to, each with what admission must
-- know of it (JSON, written and read only by truce-store).
CREATE TABLE records (
    idx INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL
) STRICT;

-- Projection: incidents, the reports linked to them, and the parties' statements.
CREATE TABLE incidents (
    idx INTEGER PRIMARY KEY,
    opened_by TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    accused TEXT NOT NULL,
    status TEXT NOT NULL
) STRICT;

CREATE TABLE incident_reports (
    incident_idx INTEGER NOT NULL,
    report_idx INTEGER NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (incident_idx, report_idx)
) STRICT;
CREATE INDEX incident_reports_report ON incident_reports (report_idx);

CREATE TABLE statements (
    idx INTEGER PRIMARY KEY,
    incident_idx INTEGER NOT NULL,
    finding_idx INTEGER,
    party TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    killed_low INTEGER,
    killed_best INTEGER,
    killed_high INTEGER,
    injured_low INTEGER,
    injured_best INTEGER,
    injured_high INTEGER,
    payload TEXT NOT NULL
) STRICT;
CREATE INDEX statements_incident ON statements (incident_idx, party, idx);
