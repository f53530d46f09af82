-- Operational (issue 21): where the process that sequences the log is reached, so that
-- the others (PostgreSQL: several processes on one database) forward writes to it. Written
-- by the process holding the sequencer's lock, each time it takes the lead.
CREATE TABLE sequencer (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    url TEXT NOT NULL,
    since_ms BIGINT NOT NULL
);
