//! Attachments and evidence in the projection: which entry names which file, which files
//! are public, and who downloaded a confidential one.

use truce_core::mechanism::{EvidenceAccessed, EvidencePublished};
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int};

pub const ATTACHMENTS: Table = Table {
    name: "attachments",
    columns: &[
        ("entry_idx", Column::Int),
        ("sha256", Column::Text),
        ("media_type", Column::Text),
        ("bytes", Column::Int),
        ("public", Column::Int),
        ("author", Column::Text),
    ],
    order_by: "entry_idx, sha256",
    delete_all: "DELETE FROM attachments",
};

pub const EVIDENCE_PUBLISHED: Table = Table {
    name: "evidence_published",
    columns: &[
        ("sha256", Column::Text),
        ("idx", Column::Int),
        ("note", Column::Text),
    ],
    order_by: "sha256",
    delete_all: "DELETE FROM evidence_published",
};

pub const EVIDENCE_ACCESSES: Table = Table {
    name: "evidence_accesses",
    columns: &[
        ("idx", Column::Int),
        ("sha256", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
        ("purpose", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM evidence_accesses",
};

/// An entry naming the same file twice keeps one row.
const INSERT_ATTACHMENT: &str = "INSERT INTO attachments (entry_idx, sha256, media_type, bytes, public, author) \
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (entry_idx, sha256) DO NOTHING";
/// Published once; a second publication changes nothing.
pub(super) const PUBLISH: &str = "INSERT INTO evidence_published (sha256, idx, note) VALUES ($1, $2, $3) \
    ON CONFLICT (sha256) DO NOTHING";
const INSERT_ACCESS: &str = "INSERT INTO evidence_accesses (idx, sha256, author, signed_at, purpose) \
    VALUES ($1, $2, $3, $4, $5)";

/// The rows of the files any entry attaches.
pub fn attachments(at: u64, entry: &SignedEntry) -> Vec<Write> {
    let envelope = entry.envelope();
    envelope
        .attachments
        .iter()
        .map(|a| Write {
            sql: INSERT_ATTACHMENT,
            args: vec![
                index(at),
                Arg::Text(a.sha256.clone()),
                Arg::Text(a.media_type.clone()),
                Arg::Int(i64::try_from(a.bytes).unwrap_or(i64::MAX)),
                int(i64::from(a.public)),
                Arg::Text(envelope.author.to_string()),
            ],
        })
        .collect()
}

pub fn published(at: u64, published: &EvidencePublished) -> Vec<Write> {
    vec![Write {
        sql: PUBLISH,
        args: vec![
            Arg::Text(published.sha256.clone()),
            index(at),
            Arg::Text(published.note.clone()),
        ],
    }]
}

pub fn accessed(at: u64, entry: &SignedEntry, accessed: &EvidenceAccessed) -> Vec<Write> {
    let envelope = entry.envelope();
    vec![Write {
        sql: INSERT_ACCESS,
        args: vec![
            index(at),
            Arg::Text(accessed.sha256.clone()),
            Arg::Text(envelope.author.to_string()),
            Arg::Text(envelope.time.to_string()),
            Arg::Text(accessed.purpose.clone()),
        ],
    }]
}
