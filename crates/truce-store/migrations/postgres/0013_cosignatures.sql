-- Witnesses' cosignatures (C2SP cosignature/v1) on the log's checkpoints, one per witness
-- and checkpoint size. Kept in step with migrations/sqlite.
CREATE TABLE cosignatures (
    size BIGINT NOT NULL,
    witness TEXT NOT NULL,
    line BYTEA NOT NULL,
    cosigned_at BIGINT NOT NULL,
    stored_at_ms BIGINT NOT NULL,
    PRIMARY KEY (size, witness)
);
CREATE INDEX cosignatures_by_witness ON cosignatures (witness, size);
