-- Projection (issue 19): the mechanism's sensors and their up/down time, and observations
-- (counts over a time window at a position), each row as one entry recorded it, with the
-- delegation that reported it, so a party's own counts stand beside the mechanism's.
-- Kept in step with migrations/sqlite.
CREATE TABLE sensors (
    idx BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
);

CREATE TABLE sensor_statuses (
    idx BIGINT PRIMARY KEY,
    sensor TEXT NOT NULL,
    state TEXT NOT NULL,
    since TEXT NOT NULL,
    since_s BIGINT NOT NULL,
    reason TEXT,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX sensor_statuses_sensor ON sensor_statuses (sensor, since_s, idx);

-- `day` is the UTC day the window ended: an observation counts once, on that day.
-- `province_code` and `sector` (the nearest crossing, naming the stretch of border around
-- it) come from the agreed geometry, as a report's do.
CREATE TABLE observations (
    idx BIGINT PRIMARY KEY,
    platform TEXT NOT NULL,
    sensor TEXT,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    place TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    start_s BIGINT NOT NULL,
    end_s BIGINT NOT NULL,
    day TEXT NOT NULL,
    country TEXT,
    province TEXT,
    province_code TEXT,
    sector TEXT,
    border_distance_km DOUBLE PRECISION,
    total BIGINT NOT NULL,
    explosions BIGINT NOT NULL,
    note TEXT,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX observations_day ON observations (day, reported_by, total, explosions);
CREATE INDEX observations_province_day ON observations (province_code, day, reported_by, total, explosions);
CREATE INDEX observations_sector_day ON observations (sector, day, reported_by, total, explosions);

CREATE TABLE observation_counts (
    idx BIGINT NOT NULL,
    n BIGINT NOT NULL,
    kind TEXT NOT NULL,
    count BIGINT NOT NULL,
    perception TEXT NOT NULL,
    weapon TEXT,
    bearing_deg BIGINT,
    distance_min_m BIGINT,
    distance_max_m BIGINT,
    from_side TEXT,
    PRIMARY KEY (idx, n)
);

CREATE TABLE observation_links (
    idx BIGINT NOT NULL,
    target BIGINT NOT NULL,
    target_kind TEXT NOT NULL,
    PRIMARY KEY (idx, target_kind, target)
);
CREATE INDEX observation_links_target ON observation_links (target, idx);
