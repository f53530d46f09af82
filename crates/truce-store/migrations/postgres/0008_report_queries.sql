-- The report queries measured by `truce bench reports` (BENCHMARKS.md). Kept in step with
-- migrations/sqlite.
--
-- The filtered list: the kind, then the time range, with the box read from the index, so
-- only matching rows are fetched (before, the list walked reports_event_type newest first
-- and fetched every report of the kind until 51 matched).
CREATE INDEX reports_kind_time_place ON reports (event_type, occurred_start_unix, lon, lat);

-- The compliance summary's report counts, kept by the projector as each report is
-- written, instead of counting every report on each request: per party, as accused
-- ('against') or as the filer's delegation ('made'), and per status.
CREATE TABLE report_counts (
    party TEXT NOT NULL,
    side TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (party, side, status)
);
