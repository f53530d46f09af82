-- Projection: investigations and their steps, findings and the votes on them, measures
-- from the ladder, rounds of talks and the commitments made at them.
CREATE TABLE investigations (
    idx INTEGER PRIMARY KEY,
    incident_idx INTEGER NOT NULL,
    opened_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    mandate TEXT NOT NULL,
    monitors TEXT NOT NULL,
    tasks TEXT NOT NULL,
    status TEXT NOT NULL
) STRICT;
CREATE INDEX investigations_incident ON investigations (incident_idx);

CREATE TABLE investigation_steps (
    idx INTEGER PRIMARY KEY,
    investigation_idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    party TEXT,
    task INTEGER,
    lat REAL,
    lon REAL,
    author TEXT NOT NULL,
    text TEXT NOT NULL
) STRICT;
CREATE INDEX investigation_steps_investigation ON investigation_steps (investigation_idx, idx);
CREATE INDEX investigation_steps_denials ON investigation_steps (party, kind);

CREATE TABLE findings (
    idx INTEGER PRIMARY KEY,
    investigation_idx INTEGER NOT NULL,
    incident_idx INTEGER NOT NULL,
    provision TEXT NOT NULL,
    determination TEXT NOT NULL,
    attribution TEXT,
    party TEXT,
    confidence TEXT NOT NULL,
    reasoning TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    reply_due TEXT NOT NULL,
    awaiting TEXT NOT NULL,
    replied TEXT NOT NULL,
    concur TEXT NOT NULL,
    dissent TEXT NOT NULL,
    status TEXT NOT NULL,
    final_idx INTEGER,
    measure_idx INTEGER
) STRICT;
CREATE INDEX findings_incident ON findings (incident_idx);
CREATE INDEX findings_status ON findings (status, idx);

CREATE TABLE finding_votes (
    idx INTEGER PRIMARY KEY,
    finding_idx INTEGER NOT NULL,
    author TEXT NOT NULL,
    delegation TEXT NOT NULL,
    vote TEXT NOT NULL,
    reasoning TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;
CREATE INDEX finding_votes_finding ON finding_votes (finding_idx, idx);

CREATE TABLE measures (
    idx INTEGER PRIMARY KEY,
    finding_idx INTEGER NOT NULL,
    party TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    step TEXT,
    status TEXT NOT NULL,
    updated_idx INTEGER NOT NULL,
    note TEXT NOT NULL
) STRICT;
CREATE INDEX measures_party ON measures (party, idx);

CREATE TABLE talks_rounds (
    idx INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT,
    participants TEXT NOT NULL,
    summary TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;

CREATE TABLE commitments (
    idx INTEGER PRIMARY KEY,
    round_idx INTEGER NOT NULL,
    owner TEXT NOT NULL,
    text TEXT NOT NULL,
    due TEXT,
    status TEXT NOT NULL,
    updated_idx INTEGER NOT NULL,
    note TEXT NOT NULL
) STRICT;
CREATE INDEX commitments_round ON commitments (round_idx, idx);
