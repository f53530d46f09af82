//! C2SP tlog-proof bundles, and the plumbing to compute proofs from stored hashes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use tlog_tiles::{Error, Hash, HashReader, check_record};

use crate::checkpoint::{CheckpointError, SignedCheckpoint};

const HEADER: &str = "c2sp.org/tlog-proof@v1";

/// An offline-verifiable proof that an entry is in the log: its index, the inclusion proof,
/// and the checkpoint (with any cosignatures) it proves inclusion in.
#[derive(Debug, Clone, PartialEq)]
pub struct TlogProof {
    pub extra: Option<Vec<u8>>,
    pub index: u64,
    pub hashes: Vec<Hash>,
    pub checkpoint: Vec<u8>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    #[error("not a tlog-proof: {0}")]
    Malformed(String),
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("the inclusion proof does not lead to the checkpoint's root")]
    Inclusion,
}

impl TlogProof {
    /// The `.tlog-proof` text.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut text = format!("{HEADER}\n");
        if let Some(extra) = &self.extra {
            let _ = writeln!(text, "extra {}", BASE64.encode(extra));
        }
        let _ = writeln!(text, "index {}", self.index);
        for hash in &self.hashes {
            let _ = writeln!(text, "{hash}");
        }
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(&self.checkpoint));
        text
    }

    /// Parses a `.tlog-proof` text.
    pub fn parse(text: &str) -> Result<Self, ProofError> {
        let bad = |why: &str| ProofError::Malformed(why.to_string());
        let (head, checkpoint) = text
            .split_once("\n\n")
            .ok_or_else(|| bad("no blank line before the checkpoint"))?;
        let mut lines = head.split('\n').peekable();
        if lines.next() != Some(HEADER) {
            return Err(bad("the first line must be c2sp.org/tlog-proof@v1"));
        }
        let mut extra = None;
        if let Some(e) = lines.peek().and_then(|l| l.strip_prefix("extra ")) {
            extra = Some(BASE64.decode(e).map_err(|_| bad("extra is not base64"))?);
            lines.next();
        }
        let index = lines
            .next()
            .and_then(|l| l.strip_prefix("index "))
            .filter(|n| *n == "0" || !n.starts_with('0'))
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| bad("expected an index line"))?;
        let hashes = lines
            .map(|l| Hash::parse_hash(l).map_err(|_| bad("a proof line is not a base64 SHA-256")))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            extra,
            index,
            hashes,
            checkpoint: checkpoint.as_bytes().to_vec(),
        })
    }

    /// Checks the log's signature on the checkpoint and that `leaf_hash` is at `index` in it.
    pub fn verify(&self, leaf_hash: Hash, log_vkey: &str) -> Result<SignedCheckpoint, ProofError> {
        let checkpoint = SignedCheckpoint::verify(&self.checkpoint, log_vkey)?;
        check_record(
            &self.hashes,
            checkpoint.size,
            checkpoint.root,
            self.index,
            leaf_hash,
        )
        .map_err(|_| ProofError::Inclusion)?;
        Ok(checkpoint)
    }
}

/// Runs a `tlog_tiles` computation against hashes that must be fetched first (from a
/// database, say): the first pass records which stored hashes it asks for, the caller
/// fetches them, the second pass computes. The `tlog_tiles` proof and root functions each ask
/// for all their hashes in one call, so two passes suffice.
#[derive(Debug, Default)]
pub struct IndexRecorder {
    asked: RefCell<Vec<u64>>,
}

impl IndexRecorder {
    /// The stored hash indexes `compute` reads.
    pub fn indexes<T>(compute: impl FnOnce(&Self) -> Result<T, Error>) -> Vec<u64> {
        let recorder = Self::default();
        let _ = compute(&recorder);
        recorder.asked.into_inner()
    }
}

impl HashReader for IndexRecorder {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        self.asked.borrow_mut().extend_from_slice(indexes);
        Err(Error::IndexesNotInTree)
    }
}

/// Stored hashes fetched in advance, by stored hash index.
#[derive(Debug, Default)]
pub struct FetchedHashes(pub HashMap<u64, Hash>);

impl HashReader for FetchedHashes {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        indexes
            .iter()
            .map(|i| self.0.get(i).copied().ok_or(Error::IndexesNotInTree))
            .collect()
    }
}
