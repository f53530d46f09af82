-- Projection (issue 20): sealed testimony. Custodians and their encryption keys; each
-- testimony's public part and the SHA-256 of its sealed part; which custodian holds which
-- share (by SHA-256); requests to unseal and custodians' approvals; destruction. The sealed
-- part and the shares themselves are files held apart (sealed_files) and never here. Kept
-- in step with migrations/sqlite.
CREATE TABLE custodians (
    idx BIGINT PRIMARY KEY,
    key TEXT NOT NULL,
    delegation TEXT NOT NULL,
    encryption_key TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE INDEX custodians_key ON custodians (key, idx);

CREATE TABLE testimonies (
    idx BIGINT PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    incident_idx BIGINT,
    statement TEXT,
    consent TEXT NOT NULL,
    sealed_sha256 TEXT NOT NULL,
    sealed_bytes BIGINT NOT NULL,
    policy TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    author TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    destroyed_idx BIGINT,
    destroyed_reason TEXT,
    destroyed_note TEXT,
    destroyed_at TEXT
);
CREATE INDEX testimonies_sealed ON testimonies (sealed_sha256);

CREATE TABLE testimony_shares (
    testimony_idx BIGINT NOT NULL,
    custodian TEXT NOT NULL,
    delegation TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (testimony_idx, custodian)
);
CREATE INDEX testimony_shares_sha256 ON testimony_shares (sha256);

CREATE TABLE unseal_requests (
    idx BIGINT PRIMARY KEY,
    testimony_idx BIGINT NOT NULL,
    requester TEXT NOT NULL,
    requester_delegation TEXT NOT NULL,
    reason TEXT NOT NULL,
    finding_idx BIGINT,
    recipient TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX unseal_requests_testimony ON unseal_requests (testimony_idx, idx);

CREATE TABLE unseal_approvals (
    idx BIGINT PRIMARY KEY,
    request_idx BIGINT NOT NULL,
    custodian TEXT NOT NULL,
    delegation TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    approved_at TEXT NOT NULL
);
CREATE INDEX unseal_approvals_request ON unseal_approvals (request_idx, idx);
CREATE INDEX unseal_approvals_sha256 ON unseal_approvals (sha256);
