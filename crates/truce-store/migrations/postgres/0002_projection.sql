-- Projection tables: a deterministic fold of the log, written only by the projector
-- (src/projection), rebuilt by `truce rebuild`. Kept in step with migrations/sqlite.
CREATE TABLE reports (
    idx BIGINT PRIMARY KEY,
    author TEXT NOT NULL,
    delegation TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    title TEXT NOT NULL,
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    occurred_start TEXT NOT NULL,
    occurred_start_unix BIGINT NOT NULL,
    date_prec BIGINT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    where_prec BIGINT NOT NULL,
    accused TEXT,
    killed_low BIGINT NOT NULL,
    killed_best BIGINT NOT NULL,
    killed_high BIGINT NOT NULL,
    injured_low BIGINT NOT NULL,
    injured_best BIGINT NOT NULL,
    injured_high BIGINT NOT NULL,
    status TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX reports_occurred ON reports (occurred_start_unix);
CREATE INDEX reports_event_type ON reports (event_type, idx);
CREATE INDEX reports_lon_lat ON reports (lon, lat);

CREATE TABLE report_provisions (
    report_idx BIGINT NOT NULL,
    provision TEXT NOT NULL,
    PRIMARY KEY (report_idx, provision)
);
CREATE INDEX report_provisions_provision ON report_provisions (provision, report_idx);
