-- The log: entries, the stored hashes of its RFC 6962 tree, its checkpoints, and its head.
CREATE TABLE entries (
    idx INTEGER PRIMARY KEY,
    leaf_hash BLOB NOT NULL,
    note BLOB NOT NULL,
    logged_at_ms INTEGER NOT NULL
) STRICT;

-- Indexed by the stored hash index of Go's sumdb/tlog (tlog_tiles::stored_hash_index).
CREATE TABLE tree_nodes (
    id INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
) STRICT;

CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY,
    root BLOB NOT NULL,
    note BLOB NOT NULL,
    signed_at_ms INTEGER NOT NULL
) STRICT;

-- One row: the size and root of the newest checkpoint. Appends compare-and-swap on size.
CREATE TABLE log_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    size INTEGER NOT NULL,
    root BLOB NOT NULL,
    checkpoint BLOB
) STRICT;
INSERT INTO log_head (singleton, size, root, checkpoint)
VALUES (1, 0, X'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', NULL);

-- Admission state, derived from the entries and written in the same transaction.
CREATE TABLE keys (
    name TEXT PRIMARY KEY,
    vkey TEXT NOT NULL,
    role TEXT NOT NULL,
    delegation TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

CREATE TABLE authors (
    name TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    last_leaf_hash BLOB NOT NULL
) STRICT;
