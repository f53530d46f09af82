-- Projection (issue 19): restrictions on the monitors' movements, each row as one entry
-- recorded it: the party that controlled the place, the reason given verbatim, whether the
-- movement was notified, the outcome. `day` is the UTC day it happened. Kept in step with
-- migrations/sqlite.
CREATE TABLE restrictions (
    idx BIGINT PRIMARY KEY,
    movement TEXT NOT NULL,
    kind TEXT NOT NULL,
    delay_minutes BIGINT,
    at TEXT NOT NULL,
    at_s BIGINT NOT NULL,
    day TEXT NOT NULL,
    controlled_by TEXT NOT NULL,
    place TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    reason_given TEXT,
    notified BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    provision TEXT,
    investigation_idx BIGINT,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX restrictions_day ON restrictions (day, idx);
CREATE INDEX restrictions_party ON restrictions (controlled_by, kind);
