//! What the store holds and returns.

use truce_core::state::AuthorHead;
use truce_core::{KeyName, KeyRecord};
use truce_log::{Hash, SignedCheckpoint};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("another sequencer appended to the log: expected size {expected}, found {found}")]
    Conflict { expected: u64, found: u64 },
    #[error("the data directory {0} is in use by another truce process")]
    Locked(String),
    #[error("this process does not hold the sequencer's lock")]
    NotLeading,
    #[error("{0}")]
    Config(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("data directory: {0}")]
    Io(#[from] std::io::Error),
}

/// The admission records as stored: reports filed directly, by far the most numerous and
/// all alike,
/// as bare indexes (8 bytes each rather than an index and a `Record`: at a million
/// reports that is the difference between 8 and 88 MB held while a server starts).
#[derive(Debug, Default)]
pub struct StoredRecords {
    pub reports: Vec<u64>,
    /// Every other record, imported reports (which carry their provenance) among them.
    pub others: Vec<(u64, truce_core::state::Record)>,
}

impl StoredRecords {
    /// Every record, reports first.
    pub fn into_records(self) -> impl Iterator<Item = (u64, truce_core::state::Record)> {
        let reports = self
            .reports
            .into_iter()
            .map(|at| (at, truce_core::state::Record::Report));
        reports.chain(self.others)
    }
}

/// The log's newest checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub size: u64,
    pub root: Hash,
    /// None only for an empty log that never signed a checkpoint.
    pub checkpoint: Option<Vec<u8>>,
}

/// A witness's verified cosignature on the checkpoint of `size` entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCosignature {
    pub size: u64,
    /// The witness's cosigner verifier key.
    pub witness: String,
    /// The note signature line, with its final newline.
    pub line: Vec<u8>,
    /// The cosignature's timestamp, POSIX seconds.
    pub cosigned_at: u64,
    /// When the node stored it, in POSIX milliseconds: set by the store as it writes the
    /// row (the value passed in is not used), to measure the time from signing to
    /// witnessing as the log's readers see it.
    pub stored_at_ms: u64,
}

/// Now, in POSIX milliseconds.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredEntry {
    pub index: u64,
    pub note: Vec<u8>,
    pub leaf_hash: Hash,
    pub logged_at_ms: i64,
}

#[derive(Debug, Clone)]
pub struct NewEntry {
    pub note: Vec<u8>,
    pub leaf_hash: Hash,
    pub logged_at_ms: i64,
}

/// Everything one sequencer batch appends, written in one transaction.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The log's size before the batch; the append fails if it changed.
    pub first_index: u64,
    pub entries: Vec<NewEntry>,
    /// New stored tree hashes, by stored hash index.
    pub nodes: Vec<(u64, Hash)>,
    /// Keys registered or revoked by the batch.
    pub keys: Vec<KeyRecord>,
    /// Authors' new heads.
    pub authors: Vec<(KeyName, AuthorHead)>,
    /// Records the batch created or changed, in order, with their new state.
    pub records: Vec<(u64, truce_core::state::Record)>,
    /// The projection writes that fold the batch's entries in (see `projection`).
    pub projection: Vec<crate::projection::Write>,
    /// The checkpoint of the log after the batch.
    pub checkpoint: SignedCheckpoint,
    pub signed_at_ms: i64,
}

impl Batch {
    /// The log's size after the batch.
    #[must_use]
    pub fn end(&self) -> u64 {
        self.first_index + self.entries.len() as u64
    }

    /// Pair assertion: what is about to be written agrees with itself.
    pub(crate) fn assert_consistent(&self) {
        assert_eq!(
            self.checkpoint.size,
            self.end(),
            "checkpoint size must be the batch end"
        );
        for entry in &self.entries {
            debug_assert_eq!(truce_log::record_hash(&entry.note), entry.leaf_hash);
        }
    }
}

pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).expect("log indexes stay below 2^63")
}

/// A count or log index as an SQL integer; one past SQL's integers compares as the largest.
pub(crate) fn to_i64_saturating(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

pub(crate) fn to_u64(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("negative index {value}")))
}

pub(crate) fn to_hash(bytes: &[u8]) -> Result<Hash, StoreError> {
    bytes
        .try_into()
        .map(Hash)
        .map_err(|_| StoreError::Corrupt(format!("a hash of {} bytes", bytes.len())))
}

pub(crate) fn key_record(
    vkey: &str,
    role: &str,
    delegation: &str,
    registered_at: i64,
    revoked_at: Option<i64>,
) -> Result<KeyRecord, StoreError> {
    let corrupt = |e: String| StoreError::Corrupt(format!("key {vkey}: {e}"));
    let role = truce_core::Role::parse(role).ok_or_else(|| corrupt(format!("role {role}")))?;
    let delegation = truce_core::DelegationId::parse(delegation).map_err(corrupt)?;
    let mut record =
        KeyRecord::new(vkey, role, delegation, to_u64(registered_at)?).map_err(corrupt)?;
    record.revoked_at = revoked_at.map(to_u64).transpose()?;
    Ok(record)
}

/// How `Record::Report` is stored (`record_json`): the state of every report filed
/// directly, which is read back as a bare index rather than parsed.
pub(crate) const BARE_REPORT_STATE: &str = r#"{"kind":"report"}"#;

/// A record's admission state as stored (JSON; only this crate reads it back).
pub(crate) fn record_json(record: &truce_core::state::Record) -> String {
    serde_json::to_string(record).expect("records serialize")
}

pub(crate) fn parse_record(state: &str) -> Result<truce_core::state::Record, StoreError> {
    serde_json::from_str(state)
        .map_err(|e| StoreError::Corrupt(format!("record state {state}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_core::mechanism::Provenance;
    use truce_core::state::Record;

    #[test]
    fn a_report_filed_directly_is_stored_as_the_bare_state_and_an_imported_one_is_not() {
        assert_eq!(record_json(&Record::Report), BARE_REPORT_STATE);
        let imported = Record::ImportedReport {
            provenance: Provenance {
                dataset: "ucdp-ged".into(),
                row: "59553".into(),
                version: None,
            },
        };
        let state = record_json(&imported);
        assert_ne!(state, BARE_REPORT_STATE);
        assert_eq!(parse_record(&state).unwrap(), imported);
    }
}
