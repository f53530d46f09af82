-- Projection: the files entries attach (by SHA-256), which of them are public, and every
-- recorded download of a confidential one.
CREATE TABLE attachments (
    entry_idx BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    public BIGINT NOT NULL,
    author TEXT NOT NULL,
    PRIMARY KEY (entry_idx, sha256)
);
CREATE INDEX attachments_sha256 ON attachments (sha256);

CREATE TABLE evidence_published (
    sha256 TEXT PRIMARY KEY,
    idx BIGINT NOT NULL,
    note TEXT NOT NULL
);

CREATE TABLE evidence_accesses (
    idx BIGINT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    purpose TEXT NOT NULL
);
CREATE INDEX evidence_accesses_sha256 ON evidence_accesses (sha256, idx);

-- Operational (neither log nor projection): the files this node holds, as uploaded.
CREATE TABLE evidence_files (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_ms BIGINT NOT NULL
);
