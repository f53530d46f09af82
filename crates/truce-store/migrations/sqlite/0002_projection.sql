-- Projection tables: a deterministic fold of the log, written only by the projector
-- (src/projection), rebuilt by `truce rebuild`. Kept in step with migrations/postgres.
CREATE TABLE reports (
    idx INTEGER PRIMARY KEY,
    author TEXT NOT NULL,
    delegation TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    title TEXT NOT NULL,
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    occurred_start TEXT NOT NULL,
    occurred_start_unix INTEGER NOT NULL,
    date_prec INTEGER NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    where_prec INTEGER NOT NULL,
    accused TEXT,
    killed_low INTEGER NOT NULL,
    killed_best INTEGER NOT NULL,
    killed_high INTEGER NOT NULL,
    injured_low INTEGER NOT NULL,
    injured_best INTEGER NOT NULL,
    injured_high INTEGER NOT NULL,
    status TEXT NOT NULL,
    payload TEXT NOT NULL
) STRICT;
CREATE INDEX reports_occurred ON reports (occurred_start_unix);
CREATE INDEX reports_event_type ON reports (event_type, idx);
CREATE INDEX reports_lon_lat ON reports (lon, lat);

CREATE TABLE report_provisions (
    report_idx INTEGER NOT NULL,
    provision TEXT NOT NULL,
    PRIMARY KEY (report_idx, provision)
) STRICT;
CREATE INDEX report_provisions_provision ON report_provisions (provision, report_idx);
