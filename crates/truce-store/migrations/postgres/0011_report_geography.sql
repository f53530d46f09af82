-- Where each report's points lie in the geometry the genesis agrees (issue 4): country,
-- province, distance to the border line, nearest crossing, and whether fire launched on
-- one side landed on the other. Written by the projector (src/projection/geography.rs);
-- null on a log whose genesis agrees no geometry. Kept in step with migrations/sqlite.
ALTER TABLE reports ADD COLUMN country TEXT;
ALTER TABLE reports ADD COLUMN admin1 TEXT;
ALTER TABLE reports ADD COLUMN admin1_code TEXT;
ALTER TABLE reports ADD COLUMN border_distance_km DOUBLE PRECISION;
ALTER TABLE reports ADD COLUMN nearest_crossing TEXT;
ALTER TABLE reports ADD COLUMN crossing_distance_km DOUBLE PRECISION;
ALTER TABLE reports ADD COLUMN launch_country TEXT;
ALTER TABLE reports ADD COLUMN launch_admin1_code TEXT;
ALTER TABLE reports ADD COLUMN launch_border_distance_km DOUBLE PRECISION;
ALTER TABLE reports ADD COLUMN impact_country TEXT;
ALTER TABLE reports ADD COLUMN impact_admin1_code TEXT;
ALTER TABLE reports ADD COLUMN impact_border_distance_km DOUBLE PRECISION;
ALTER TABLE reports ADD COLUMN cross_border BIGINT;

-- The province filter of the report list (a province holds a few per cent of reports, too
-- few to find by walking the list newest first). The distance and the cross-border flag
-- ride along so that a province's reports are filtered by them in the index, without
-- reading each row: a province with no match was 90 ms to walk at 1,000,000 reports, 4 ms
-- this way (BENCHMARKS.md).
CREATE INDEX reports_admin1 ON reports (admin1_code, idx, border_distance_km, cross_border);

-- Reports projected before this migration have no geography: the projection is
-- incomplete until `truce rebuild` replays them.
UPDATE projection_status SET rebuilding = 1 WHERE EXISTS (SELECT 1 FROM reports);
