-- The log: entries, the stored hashes of its RFC 6962 tree, its checkpoints, and its head.
-- Kept in step with migrations/sqlite; the contract tests run on both.
CREATE TABLE entries (
    idx BIGINT PRIMARY KEY,
    leaf_hash BYTEA NOT NULL,
    note BYTEA NOT NULL,
    logged_at_ms BIGINT NOT NULL
);

-- Indexed by the stored hash index of Go's sumdb/tlog (tlog_tiles::stored_hash_index).
CREATE TABLE tree_nodes (
    id BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);

CREATE TABLE checkpoints (
    size BIGINT PRIMARY KEY,
    root BYTEA NOT NULL,
    note BYTEA NOT NULL,
    signed_at_ms BIGINT NOT NULL
);

-- One row: the size and root of the newest checkpoint. Appends compare-and-swap on size.
CREATE TABLE log_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    size BIGINT NOT NULL,
    root BYTEA NOT NULL,
    checkpoint BYTEA
);
INSERT INTO log_head (singleton, size, root, checkpoint)
VALUES (1, 0, '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', NULL);

-- Admission state, derived from the entries and written in the same transaction.
CREATE TABLE keys (
    name TEXT PRIMARY KEY,
    vkey TEXT NOT NULL,
    role TEXT NOT NULL,
    delegation TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE authors (
    name TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    last_leaf_hash BYTEA NOT NULL
);
