-- Whether the projection is whole. A rebuild empties it and refills it in chunks; if the
-- rebuild is stopped halfway, this row says so, and the server refuses to start on a
-- projection that would answer queries with part of the record.
CREATE TABLE projection_status (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    rebuilding BIGINT NOT NULL
);
INSERT INTO projection_status (singleton, rebuilding) VALUES (1, 0);

-- The projection's secondary indexes a rebuild dropped (filling tables without them and
-- indexing once at the end is several times faster), kept here until it recreates them,
-- so that a rebuild stopped halfway loses none: the next one recreates them.
CREATE TABLE projection_indexes (
    name TEXT PRIMARY KEY,
    ddl TEXT NOT NULL
);
