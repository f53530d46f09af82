//! Sealed testimony in the projection: custodians and their encryption keys, each
//! testimony's public part (pseudonym, shown statement, consent, the sealed part's hash)
//! and which custodian holds which share, requests to unseal and their approvals, and
//! destruction. Nothing here is secret: the sealed part and the shares are held apart, by
//! hash (`sealed_files`), and deleted when a testimony is destroyed.

use truce_core::KeyRecord;
use truce_core::mechanism::{
    CustodianRegistered, TestimonyDestroyed, TestimonyRecorded, UnsealApproved, UnsealRequested,
};
use truce_core::state::Record;
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int, text};

pub const CUSTODIANS: Table = Table {
    name: "custodians",
    columns: &[
        ("idx", Column::Int),
        ("key", Column::Text),
        ("delegation", Column::Text),
        ("encryption_key", Column::Text),
        ("registered_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM custodians",
};

pub const TESTIMONIES: Table = Table {
    name: "testimonies",
    columns: &[
        ("idx", Column::Int),
        ("pseudonym", Column::Text),
        ("incident_idx", Column::Int),
        ("statement", Column::Text),
        ("consent", Column::Text),
        ("sealed_sha256", Column::Text),
        ("sealed_bytes", Column::Int),
        ("policy", Column::Text),
        ("recorded_by", Column::Text),
        ("author", Column::Text),
        ("recorded_at", Column::Text),
        ("destroyed_idx", Column::Int),
        ("destroyed_reason", Column::Text),
        ("destroyed_note", Column::Text),
        ("destroyed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM testimonies",
};

pub const TESTIMONY_SHARES: Table = Table {
    name: "testimony_shares",
    columns: &[
        ("testimony_idx", Column::Int),
        ("custodian", Column::Text),
        ("delegation", Column::Text),
        ("sha256", Column::Text),
    ],
    order_by: "testimony_idx, custodian",
    delete_all: "DELETE FROM testimony_shares",
};

pub const UNSEAL_REQUESTS: Table = Table {
    name: "unseal_requests",
    columns: &[
        ("idx", Column::Int),
        ("testimony_idx", Column::Int),
        ("requester", Column::Text),
        ("requester_delegation", Column::Text),
        ("reason", Column::Text),
        ("finding_idx", Column::Int),
        ("recipient", Column::Text),
        ("requested_at", Column::Text),
        ("expires_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM unseal_requests",
};

pub const UNSEAL_APPROVALS: Table = Table {
    name: "unseal_approvals",
    columns: &[
        ("idx", Column::Int),
        ("request_idx", Column::Int),
        ("custodian", Column::Text),
        ("delegation", Column::Text),
        ("sha256", Column::Text),
        ("approved_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM unseal_approvals",
};

const INSERT_CUSTODIAN: &str = "INSERT INTO custodians (idx, key, delegation, encryption_key, \
    registered_at) VALUES ($1, $2, $3, $4, $5)";
const INSERT_TESTIMONY: &str = "INSERT INTO testimonies (idx, pseudonym, incident_idx, \
    statement, consent, sealed_sha256, sealed_bytes, policy, recorded_by, author, recorded_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const INSERT_SHARE: &str = "INSERT INTO testimony_shares (testimony_idx, custodian, delegation, \
    sha256) VALUES ($1, $2, $3, $4)";
const INSERT_REQUEST: &str = "INSERT INTO unseal_requests (idx, testimony_idx, requester, \
    requester_delegation, reason, finding_idx, recipient, requested_at, expires_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const INSERT_APPROVAL: &str = "INSERT INTO unseal_approvals (idx, request_idx, custodian, \
    delegation, sha256, approved_at) VALUES ($1, $2, $3, $4, $5, $6)";
const DESTROY: &str = "UPDATE testimonies SET destroyed_idx = $1, destroyed_reason = $2, \
    destroyed_note = $3, destroyed_at = $4 WHERE idx = $5";

pub fn custodian(
    at: u64,
    entry: &SignedEntry,
    custodian: &CustodianRegistered,
    changes: &[(u64, Record)],
) -> Vec<Write> {
    let delegation = changes.iter().find_map(|(_, r)| match r {
        Record::Custodian { delegation, .. } => Some(delegation.to_string()),
        _ => None,
    });
    let args = vec![
        index(at),
        text(custodian.key.as_str()),
        text(delegation.expect("admission records the custodian")),
        text(custodian.encryption_key.clone()),
        text(entry.envelope().time.as_str()),
    ];
    vec![Write {
        sql: INSERT_CUSTODIAN,
        args,
    }]
}

pub fn recorded(
    at: u64,
    entry: &SignedEntry,
    testimony: &TestimonyRecorded,
    signer: &KeyRecord,
) -> Vec<Write> {
    let consent: Vec<&str> = testimony.consent.iter().map(|c| c.as_str()).collect();
    let policy = serde_json::to_string(&testimony.policy).expect("a policy serializes");
    let args = vec![
        index(at),
        text(testimony.pseudonym.clone()),
        testimony.incident.map_or(Arg::NullInt, index),
        Arg::opt_text(testimony.statement.as_deref()),
        text(consent.join(",")),
        text(testimony.sealed.sha256.clone()),
        int(i64::try_from(testimony.sealed.bytes).unwrap_or(i64::MAX)),
        text(policy),
        text(signer.delegation.as_str()),
        text(entry.envelope().author.as_str()),
        text(entry.envelope().time.as_str()),
    ];
    let mut writes = vec![Write {
        sql: INSERT_TESTIMONY,
        args,
    }];
    // Each share names its custodian's delegation (admission checked it).
    for share in &testimony.shares {
        writes.push(Write {
            sql: INSERT_SHARE,
            args: vec![
                index(at),
                text(share.custodian.as_str()),
                text(share.delegation.as_str()),
                text(share.sha256.clone()),
            ],
        });
    }
    writes
}

pub fn requested(
    at: u64,
    entry: &SignedEntry,
    request: &UnsealRequested,
    signer: &KeyRecord,
    changes: &[(u64, Record)],
) -> Vec<Write> {
    let expires = changes.iter().find_map(|(_, r)| match r {
        Record::UnsealRequest { expires, .. } => Some(expires.to_string()),
        _ => None,
    });
    let args = vec![
        index(at),
        index(request.testimony),
        text(entry.envelope().author.as_str()),
        text(signer.delegation.as_str()),
        text(request.reason.clone()),
        request.finding.map_or(Arg::NullInt, index),
        text(request.recipient.clone()),
        text(entry.envelope().time.as_str()),
        text(expires.expect("admission records the request")),
    ];
    vec![Write {
        sql: INSERT_REQUEST,
        args,
    }]
}

pub fn approved(
    at: u64,
    entry: &SignedEntry,
    approval: &UnsealApproved,
    signer: &KeyRecord,
) -> Vec<Write> {
    let args = vec![
        index(at),
        index(approval.request),
        text(entry.envelope().author.as_str()),
        text(signer.delegation.as_str()),
        text(approval.sha256.clone()),
        text(entry.envelope().time.as_str()),
    ];
    vec![Write {
        sql: INSERT_APPROVAL,
        args,
    }]
}

pub fn destroyed(at: u64, entry: &SignedEntry, destroyed: &TestimonyDestroyed) -> Vec<Write> {
    let args = vec![
        index(at),
        text(destroyed.reason.as_str()),
        Arg::opt_text(destroyed.note.as_deref()),
        text(entry.envelope().time.as_str()),
        index(destroyed.testimony),
    ];
    vec![Write { sql: DESTROY, args }]
}
