-- Projection: the border crossings' statuses over time and the flows of people through
-- them, each row as one entry recorded it, with the delegation that reported it.
CREATE TABLE crossing_statuses (
    idx BIGINT PRIMARY KEY,
    crossing TEXT NOT NULL,
    status TEXT NOT NULL,
    since TEXT NOT NULL,
    since_s BIGINT NOT NULL,
    source TEXT NOT NULL,
    note TEXT,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX crossing_statuses_crossing ON crossing_statuses (crossing, since_s, idx);

CREATE TABLE crossing_flows (
    idx BIGINT PRIMARY KEY,
    crossing TEXT NOT NULL,
    start_day TEXT NOT NULL,
    end_day TEXT NOT NULL,
    days BIGINT NOT NULL,
    direction TEXT NOT NULL,
    category TEXT NOT NULL,
    count_low BIGINT NOT NULL,
    count_best BIGINT NOT NULL,
    count_high BIGINT NOT NULL,
    precision TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT,
    reported_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
CREATE INDEX crossing_flows_crossing ON crossing_flows (crossing, end_day, idx);
