-- Witnesses' cosignatures (C2SP cosignature/v1) on the log's checkpoints, one per witness
-- and checkpoint size. Not part of the log: the node's witnessing task adds them once it
-- has verified them, and /log/checkpoint attaches them to the checkpoint they cosign.
CREATE TABLE cosignatures (
    size INTEGER NOT NULL,
    -- The witness's cosigner verifier key, as the genesis names it.
    witness TEXT NOT NULL,
    -- The note signature line, with its final newline.
    line BLOB NOT NULL,
    -- The cosignature's own timestamp (POSIX seconds).
    cosigned_at INTEGER NOT NULL,
    -- When the node stored it, to measure the time from signing to witnessing.
    stored_at_ms INTEGER NOT NULL,
    PRIMARY KEY (size, witness)
) STRICT;
CREATE INDEX cosignatures_by_witness ON cosignatures (witness, size);
