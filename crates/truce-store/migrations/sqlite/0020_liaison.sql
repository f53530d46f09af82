-- Projection (issue 19): the liaison channel. One row per contact (`liaison.contact`),
-- completed in place by the party's acknowledgement (`liaison.acknowledged`, with the
-- seconds it took, from entry time to entry time) and by its outcome (`liaison.outcome`).
-- Kept in step with migrations/postgres.
CREATE TABLE liaison_contacts (
    idx INTEGER PRIMARY KEY,
    party TEXT NOT NULL,
    channel TEXT NOT NULL,
    subject TEXT NOT NULL,
    incident_idx INTEGER,
    route TEXT,
    window_start TEXT,
    window_end TEXT,
    opened_at TEXT NOT NULL,
    opened_s INTEGER NOT NULL,
    day TEXT NOT NULL,
    acknowledged_idx INTEGER,
    acknowledged_at TEXT,
    response_s INTEGER,
    acknowledgement_note TEXT,
    outcome TEXT,
    outcome_idx INTEGER,
    outcome_note TEXT,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL
) STRICT;
CREATE INDEX liaison_contacts_party ON liaison_contacts (party, idx);
CREATE INDEX liaison_contacts_day ON liaison_contacts (day, idx);
