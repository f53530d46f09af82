-- Projection (issue 19): restrictions on the monitors' movements, each row as one entry
-- recorded it: the party that controlled the place, the reason given verbatim, whether the
-- movement was notified, the outcome. `day` is the UTC day it happened. Kept in step with
-- migrations/postgres.
CREATE TABLE restrictions (
    idx INTEGER PRIMARY KEY,
    movement TEXT NOT NULL,
    kind TEXT NOT NULL,
    delay_minutes INTEGER,
    at TEXT NOT NULL,
    at_s INTEGER NOT NULL,
    day TEXT NOT NULL,
    controlled_by TEXT NOT NULL,
    place TEXT NOT NULL,
    lat REAL,
    lon REAL,
    reason_given TEXT,
    notified INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    provision TEXT,
    investigation_idx INTEGER,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;
CREATE INDEX restrictions_day ON restrictions (day, idx);
CREATE INDEX restrictions_party ON restrictions (controlled_by, kind);
