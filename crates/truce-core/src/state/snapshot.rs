//! A [`LogState`] as data, so an auditor can save what it knows after a log's first
//! entries and admit only the newer ones next time (`truce verify --state`).
//!
//! The snapshot holds what [`LogState::restore`] takes (the derived indexes are rebuilt
//! from the records), with the bare reports, the most numerous records, as a bitmap: a
//! million-entry log of reports saves 167 KB of base64 where a record each would be ~30 MB.
//! It is the auditor's own file, trusted as the state file beside it is. Restoring checks
//! that each key parses, each hash is 32 bytes and the records and reports lie within the
//! size, so a damaged file is refused rather than half read; a well-formed edit (a key's
//! revocation removed, say) is not detected.

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde::{Deserialize, Serialize};

use super::{AuthorHead, LogState, Record};
use crate::genesis::Genesis;
use crate::keys::{KeyRecord, Role};
use crate::names::{DelegationId, KeyName};

/// What admission knows after `size` entries, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub size: u64,
    /// The constitution in force (the latest amendment's, if any).
    pub genesis: Option<Genesis>,
    pub keys: Vec<SavedKey>,
    pub authors: Vec<SavedAuthor>,
    /// Every record but the bare reports, by the index of the entry that created it.
    pub records: Vec<(u64, Record)>,
    /// The bare reports: base64 of a bitmap where bit `i % 8` of byte `i / 8` marks a
    /// report at index `i`.
    pub reports: String,
}

/// A registered key; its name and id are read back from `vkey`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedKey {
    pub vkey: String,
    pub role: Role,
    pub delegation: DelegationId,
    pub registered_at: u64,
    pub revoked_at: Option<u64>,
}

/// An author's place in its chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedAuthor {
    pub key: KeyName,
    pub seq: u64,
    /// Hex SHA-256 leaf hash of the author's last entry.
    pub last_leaf_hash: String,
}

impl LogState {
    /// This state as data; [`LogState::from_snapshot`] gives it back.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        let mut keys: Vec<SavedKey> = self.keys().map(SavedKey::of).collect();
        keys.sort_by(|a, b| (a.registered_at, &a.vkey).cmp(&(b.registered_at, &b.vkey)));
        let mut authors: Vec<SavedAuthor> = self
            .authors
            .iter()
            .map(|(key, head)| SavedAuthor {
                key: key.clone(),
                seq: head.seq,
                last_leaf_hash: hex::encode(head.last_leaf_hash),
            })
            .collect();
        authors.sort_by(|a, b| a.key.cmp(&b.key));
        let mut records: Vec<(u64, Record)> = self
            .records
            .iter()
            .map(|(at, record)| (*at, record.clone()))
            .collect();
        records.sort_by_key(|(at, _)| *at);
        let mut bitmap = vec![0u8; bit_bytes(self.size)];
        for at in self.reports.0.ones() {
            bitmap[at / 8] |= 1 << (at % 8);
        }
        Snapshot {
            size: self.size,
            genesis: self.genesis.as_deref().cloned(),
            keys,
            authors,
            records,
            reports: BASE64.encode(bitmap),
        }
    }

    /// The state a snapshot holds; names the first part that does not read back.
    pub fn from_snapshot(snapshot: Snapshot) -> Result<Self, String> {
        let size = snapshot.size;
        let keys = snapshot
            .keys
            .iter()
            .map(SavedKey::record)
            .collect::<Result<Vec<_>, _>>()?;
        let authors = snapshot
            .authors
            .iter()
            .map(SavedAuthor::head)
            .collect::<Result<Vec<_>, _>>()?;
        if let Some((at, _)) = snapshot.records.iter().find(|(at, _)| *at >= size) {
            return Err(format!("records: index {at} is past the {size} entries"));
        }
        let reports = report_indexes(&snapshot.reports, size)?;
        let records = snapshot
            .records
            .into_iter()
            .chain(reports.into_iter().map(|at| (at, Record::Report)));
        Ok(Self::restore(
            size,
            snapshot.genesis,
            keys,
            authors,
            records,
        ))
    }
}

impl SavedKey {
    fn of(key: &KeyRecord) -> Self {
        Self {
            vkey: key.vkey.clone(),
            role: key.role,
            delegation: key.delegation.clone(),
            registered_at: key.registered_at,
            revoked_at: key.revoked_at,
        }
    }

    fn record(&self) -> Result<KeyRecord, String> {
        let mut record = KeyRecord::new(
            &self.vkey,
            self.role,
            self.delegation.clone(),
            self.registered_at,
        )
        .map_err(|e| format!("keys: {}: {e}", self.vkey))?;
        record.revoked_at = self.revoked_at;
        Ok(record)
    }
}

impl SavedAuthor {
    fn head(&self) -> Result<(KeyName, AuthorHead), String> {
        let mut last_leaf_hash = [0u8; 32];
        hex::decode_to_slice(&self.last_leaf_hash, &mut last_leaf_hash)
            .map_err(|_| format!("authors: {}: last_leaf_hash is not a hex SHA-256", self.key))?;
        Ok((
            self.key.clone(),
            AuthorHead {
                seq: self.seq,
                last_leaf_hash,
            },
        ))
    }
}

fn bit_bytes(size: u64) -> usize {
    usize::try_from(size.div_ceil(8)).expect("a log index fits in memory's address space")
}

/// The indexes a report bitmap marks, each below `size`.
fn report_indexes(encoded: &str, size: u64) -> Result<Vec<u64>, String> {
    let bitmap = BASE64
        .decode(encoded)
        .map_err(|e| format!("reports: not base64: {e}"))?;
    if bitmap.len() != bit_bytes(size) {
        return Err(format!(
            "reports: {} bytes, not the {} a log of {size} entries needs",
            bitmap.len(),
            bit_bytes(size)
        ));
    }
    let indexes: Vec<u64> = bitmap
        .iter()
        .enumerate()
        .flat_map(|(byte, bits)| {
            (0..8u64)
                .filter(move |bit| bits & (1 << bit) != 0)
                .map(move |bit| byte as u64 * 8 + bit)
        })
        .collect();
    match indexes.last() {
        Some(last) if *last >= size => {
            Err(format!("reports: index {last} is past the {size} entries"))
        }
        _ => Ok(indexes),
    }
}
