-- Where each report's points lie in the geometry the genesis agrees (issue 4): country,
-- province, distance to the border line, nearest crossing, and whether fire launched on
-- one side landed on the other. Written by the projector (src/projection/geography.rs);
-- null on a log whose genesis agrees no geometry. Kept in step with migrations/postgres.
ALTER TABLE reports ADD COLUMN country TEXT;
ALTER TABLE reports ADD COLUMN admin1 TEXT;
ALTER TABLE reports ADD COLUMN admin1_code TEXT;
ALTER TABLE reports ADD COLUMN border_distance_km REAL;
ALTER TABLE reports ADD COLUMN nearest_crossing TEXT;
ALTER TABLE reports ADD COLUMN crossing_distance_km REAL;
ALTER TABLE reports ADD COLUMN launch_country TEXT;
ALTER TABLE reports ADD COLUMN launch_admin1_code TEXT;
ALTER TABLE reports ADD COLUMN launch_border_distance_km REAL;
ALTER TABLE reports ADD COLUMN impact_country TEXT;
ALTER TABLE reports ADD COLUMN impact_admin1_code TEXT;
ALTER TABLE reports ADD COLUMN impact_border_distance_km REAL;
ALTER TABLE reports ADD COLUMN cross_border INTEGER;

-- The province filter of the report list (a province holds a few per cent of reports, too
-- few to find by walking the list newest first).
CREATE INDEX reports_admin1 ON reports (admin1_code, idx);

-- Reports projected before this migration have no geography: the projection is
-- incomplete until `truce rebuild` replays them.
UPDATE projection_status SET rebuilding = 1 WHERE EXISTS (SELECT 1 FROM reports);
