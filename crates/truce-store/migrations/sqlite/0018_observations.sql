-- Projection (issue 19): the mechanism's sensors and their up/down time, and observations
-- (counts over a time window at a position), each row as one entry recorded it, with the
-- delegation that reported it, so a party's own counts stand beside the mechanism's.
-- Kept in step with migrations/postgres.
CREATE TABLE sensors (
    idx INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    lat REAL,
    lon REAL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;

CREATE TABLE sensor_statuses (
    idx INTEGER PRIMARY KEY,
    sensor TEXT NOT NULL,
    state TEXT NOT NULL,
    since TEXT NOT NULL,
    since_s INTEGER NOT NULL,
    reason TEXT,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;
CREATE INDEX sensor_statuses_sensor ON sensor_statuses (sensor, since_s, idx);

-- `day` is the UTC day the window ended: an observation counts once, on that day.
-- `province_code` and `sector` (the nearest crossing, naming the stretch of border around
-- it) come from the agreed geometry, as a report's do.
CREATE TABLE observations (
    idx INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    sensor TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    place TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    start_s INTEGER NOT NULL,
    end_s INTEGER NOT NULL,
    day TEXT NOT NULL,
    country TEXT,
    province TEXT,
    province_code TEXT,
    sector TEXT,
    border_distance_km REAL,
    total INTEGER NOT NULL,
    explosions INTEGER NOT NULL,
    note TEXT,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;
CREATE INDEX observations_day ON observations (day, reported_by, total, explosions);
CREATE INDEX observations_province_day ON observations (province_code, day, reported_by, total, explosions);
CREATE INDEX observations_sector_day ON observations (sector, day, reported_by, total, explosions);

CREATE TABLE observation_counts (
    idx INTEGER NOT NULL,
    n INTEGER NOT NULL,
    kind TEXT NOT NULL,
    count INTEGER NOT NULL,
    perception TEXT NOT NULL,
    weapon TEXT,
    bearing_deg INTEGER,
    distance_min_m INTEGER,
    distance_max_m INTEGER,
    from_side TEXT,
    PRIMARY KEY (idx, n)
) STRICT;

CREATE TABLE observation_links (
    idx INTEGER NOT NULL,
    target INTEGER NOT NULL,
    target_kind TEXT NOT NULL,
    PRIMARY KEY (idx, target_kind, target)
) STRICT;
CREATE INDEX observation_links_target ON observation_links (target, idx);
