//! The auditor: replays a whole log and checks everything a party needs to trust it.
//!
//! Fed the entries in order (and, by its caller, the tiles it asks for), it checks that
//! every entry is well formed, admissible after the ones before it under the same rules
//! the sequencer applies, and signed by the keys registered on the log at that point; it
//! recomputes the tree, compares every tile the log serves with the recomputed hashes,
//! checks the checkpoint's root, and checks that a checkpoint seen earlier is a prefix of
//! this one. It stops at the first fault and names it.

mod resume;

use rayon::prelude::*;
use tlog_tiles::{Hash, Tile};
use truce_core::{KeyRecord, LogState};

use crate::TILE_WIDTH;
use crate::checkpoint::SignedCheckpoint;
use crate::cosignature::PolicyCheck;
use crate::entry::SignedEntry;
use crate::frontier::Frontier;
use crate::tiles::TilePath;
pub use resume::Resume;

/// Signatures checked by one parallel task (enough to amortise the task's overhead).
const SIGNATURES_PER_TASK: usize = 64;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum AuditError {
    #[error("entry {index}: {reason}")]
    Entry { index: u64, reason: String },
    #[error("{path}: {reason}")]
    Tile { path: String, reason: String },
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// The auditor's own saved state (a resume point) does not add up: not the log's fault.
    #[error("{0}")]
    SavedState(String),
}

/// What an audit established.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditSummary {
    pub size: u64,
    pub root: Hash,
    pub keys: usize,
    /// Whether a previously seen checkpoint was checked to be a prefix of this one.
    pub consistent_with_prior: Option<u64>,
    /// The genesis's witnesses (verifier keys) whose valid cosignatures the checkpoint
    /// carries; at least the genesis's witness quorum of them.
    pub cosigned_by: Vec<String>,
}

#[derive(Debug)]
pub struct Auditor {
    checkpoint: SignedCheckpoint,
    log_vkey: String,
    prior: Option<(u64, Hash)>,
    prior_checked: bool,
    state: LogState,
    frontier: Frontier,
    /// Per tile level, the hashes of the tile being filled.
    pending: Vec<Vec<u8>>,
    /// Per tile level, how many full tiles were completed.
    full_tiles: Vec<u64>,
    /// Full tiles whose entries are all checked, signatures included, for the caller to
    /// compare with the log's.
    ready: Vec<(TilePath, Vec<u8>)>,
    /// The entries last pushed, admitted but with their signatures still to check: they
    /// are checked while the next entries are admitted (see `push_entries`).
    unverified: Option<Unverified>,
    /// The first fault found: every later call answers it again, so that no audit that
    /// found one can be finished or resumed from as if it had not.
    fault: Option<AuditError>,
}

/// Admitted entries, the signatures each must carry, and the tiles they complete (held
/// back until the signatures are checked, so that a tampered entry is named as such
/// rather than by the tile its changed bytes no longer hash to).
#[derive(Debug)]
struct Unverified {
    /// The log index of `entries[0]`.
    first: u64,
    entries: Vec<Result<SignedEntry, truce_core::Rejection>>,
    checks: Vec<SignatureCheck>,
    tiles: Vec<(TilePath, Vec<u8>)>,
}

#[derive(Debug)]
struct SignatureCheck {
    /// The entry's place in `Unverified::entries`.
    offset: usize,
    key: std::sync::Arc<KeyRecord>,
}

impl Auditor {
    /// Starts an audit of the log up to `checkpoint`, whose log signature the caller has
    /// verified with `log_vkey`. `prior` is a checkpoint (size, root) seen before.
    pub fn new(
        checkpoint: SignedCheckpoint,
        log_vkey: &str,
        prior: Option<(u64, Hash)>,
    ) -> Result<Self, AuditError> {
        if let Some((size, _)) = prior
            && size > checkpoint.size
        {
            return Err(AuditError::Checkpoint(format!(
                "the log now claims {} entries but a checkpoint of {size} entries was seen before: the log was rolled back",
                checkpoint.size
            )));
        }
        Ok(Self {
            checkpoint,
            log_vkey: log_vkey.to_string(),
            // A prior of size 0 is confirmed only if its root is the empty tree's.
            prior_checked: prior
                .is_none_or(|(size, root)| size == 0 && root == tlog_tiles::EMPTY_HASH),
            prior,
            state: LogState::new(),
            frontier: Frontier::new(),
            pending: vec![],
            full_tiles: vec![],
            ready: vec![],
            unverified: None,
            fault: None,
        })
    }

    /// How many entries have been admitted (the signatures of the last push may still be
    /// unchecked: see [`Self::push_entries`]).
    #[must_use]
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    #[must_use]
    pub fn checkpoint(&self) -> &SignedCheckpoint {
        &self.checkpoint
    }

    /// Checks the next entries, in log order.
    ///
    /// Their parsing and admission are checked now, while the signatures of the entries
    /// pushed before are checked on the other cores; their own signatures are checked by
    /// the next call, or by [`Self::settle`], [`Self::last_tiles`], [`Self::resume_point`]
    /// or [`Self::finish`]. Faults are still reported in log order (a bad signature among
    /// the entries pushed before comes first, then this call's first fault), and a tile
    /// is offered by [`Self::take_full_tiles`] only once its entries' signatures hold.
    pub fn push_entries(&mut self, entries: &[&[u8]]) -> Result<(), AuditError> {
        self.unless_faulted(|auditor| auditor.push(entries))
    }

    /// Checks the signatures of the entries pushed last, which `push_entries` leaves to
    /// the next call, and offers the tiles they complete.
    pub fn settle(&mut self) -> Result<(), AuditError> {
        self.unless_faulted(|auditor| match auditor.unverified.take() {
            Some(unverified) => unverified.check().map(|tiles| auditor.ready.extend(tiles)),
            None => Ok(()),
        })
    }

    /// Runs `step` unless a fault was found before (answered again instead), and keeps
    /// the fault `step` finds.
    fn unless_faulted(
        &mut self,
        step: impl FnOnce(&mut Self) -> Result<(), AuditError>,
    ) -> Result<(), AuditError> {
        if let Some(fault) = &self.fault {
            return Err(fault.clone());
        }
        step(self).inspect_err(|fault| self.fault = Some(fault.clone()))
    }

    fn push(&mut self, entries: &[&[u8]]) -> Result<(), AuditError> {
        let first = self.size();
        if first + entries.len() as u64 > self.checkpoint.size {
            self.settle()?;
            return Err(AuditError::Entry {
                index: self.checkpoint.size,
                reason: "the log served more entries than its checkpoint covers".into(),
            });
        }
        let before = self.unverified.take();
        // Tiles offered before, not yet taken: this push's own go aside, unverified.
        let offered = std::mem::take(&mut self.ready);
        let (earlier, (parsed, (checks, failure))) = rayon::join(
            || before.map(Unverified::check),
            || {
                let parsed: Vec<_> = entries
                    .par_iter()
                    .map(|note| SignedEntry::parse(note.to_vec()))
                    .collect();
                let admitted = self.admit_all(first, &parsed);
                (parsed, admitted)
            },
        );
        let tiles = std::mem::replace(&mut self.ready, offered);
        if let Some(earlier) = earlier {
            self.ready.extend(earlier?);
        }
        let unverified = Unverified {
            first,
            entries: parsed,
            checks,
            tiles,
        };
        if let Some(failure) = failure {
            // A bad signature before the first inadmissible entry is the first fault.
            unverified.check()?;
            return Err(failure);
        }
        self.unverified = Some(unverified);
        Ok(())
    }

    /// Admits `entries` (the log's from index `first`) up to the first that is not
    /// admissible; answers the signatures the admitted ones must carry, and that fault.
    fn admit_all(
        &mut self,
        first: u64,
        entries: &[Result<SignedEntry, truce_core::Rejection>],
    ) -> (Vec<SignatureCheck>, Option<AuditError>) {
        let mut checks = Vec::with_capacity(entries.len());
        for (offset, entry) in entries.iter().enumerate() {
            if let Err(e) = self.admit(first + offset as u64, offset, entry, &mut checks) {
                return (checks, Some(e));
            }
        }
        (checks, None)
    }

    fn admit(
        &mut self,
        index: u64,
        offset: usize,
        entry: &Result<SignedEntry, truce_core::Rejection>,
        checks: &mut Vec<SignatureCheck>,
    ) -> Result<(), AuditError> {
        let fault = |reason: String| AuditError::Entry { index, reason };
        let entry = entry.as_ref().map_err(|e| fault(e.to_string()))?;
        let admission = self
            .state
            .admit(entry.view(), None)
            .map_err(|e| fault(e.to_string()))?;
        checks.extend(admission.signers.iter().map(|key| SignatureCheck {
            offset,
            key: key.clone(),
        }));
        self.state.apply(admission, entry.leaf_hash().0);
        if index == 0 {
            let declared = &self.state.genesis().expect("just applied").log.vkey;
            if *declared != self.log_vkey {
                return Err(fault(format!(
                    "the genesis names the log key {declared}, but checkpoints are signed by {}",
                    self.log_vkey
                )));
            }
        }
        self.append_leaf(entry.leaf_hash());
        Ok(())
    }

    fn append_leaf(&mut self, leaf: Hash) {
        self.frontier.append(leaf);
        self.push_tile_hash(0, leaf);
        if let Some((size, root)) = self.prior
            && size == self.frontier.size()
        {
            self.prior_checked = self.frontier.root() == root;
        }
    }

    fn push_tile_hash(&mut self, level: usize, hash: Hash) {
        if self.pending.len() <= level {
            self.pending.push(Vec::with_capacity(8192));
            self.full_tiles.push(0);
        }
        self.pending[level].extend_from_slice(&hash.0);
        if self.pending[level].len() as u64 == TILE_WIDTH * 32 {
            let data = std::mem::take(&mut self.pending[level]);
            let path = TilePath::hashes(level as u8, self.full_tiles[level], 256);
            self.full_tiles[level] += 1;
            let subtree = Tile::subtree_hash(&data);
            self.ready.push((path, data));
            self.push_tile_hash(level + 1, subtree);
        }
    }

    /// Full tiles completed and checked since the last call, with the contents they must
    /// have.
    pub fn take_full_tiles(&mut self) -> Vec<(TilePath, Vec<u8>)> {
        std::mem::take(&mut self.ready)
    }

    /// Once every entry is pushed: checks what is left (see [`Self::settle`]) and answers
    /// the tiles not yet taken, full and partial, with the contents they must have.
    pub fn last_tiles(&mut self) -> Result<Vec<(TilePath, Vec<u8>)>, AuditError> {
        self.settle()?;
        let mut tiles = self.take_full_tiles();
        tiles.extend(self.partial_tiles());
        Ok(tiles)
    }

    /// The partial tiles of the audited tree, with the contents they must have.
    fn partial_tiles(&self) -> Vec<(TilePath, Vec<u8>)> {
        self.pending
            .iter()
            .enumerate()
            .filter(|(_, data)| !data.is_empty())
            .map(|(level, data)| {
                let width = (data.len() / 32) as u32;
                (
                    TilePath::hashes(level as u8, self.full_tiles[level], width),
                    data.clone(),
                )
            })
            .collect()
    }

    /// Ends the audit: every entry must have been pushed, every signature must verify and
    /// the root must match.
    pub fn finish(mut self) -> Result<AuditSummary, AuditError> {
        self.settle()?;
        let size = self.frontier.size();
        if size != self.checkpoint.size {
            return Err(AuditError::Checkpoint(format!(
                "covers {} entries but the log served {size}",
                self.checkpoint.size
            )));
        }
        let root = self.frontier.root();
        if root != self.checkpoint.root {
            return Err(AuditError::Checkpoint(format!(
                "its root hash {} is not the root {root} of the entries the log served",
                self.checkpoint.root
            )));
        }
        if !self.prior_checked {
            let (prior_size, prior_root) = self.prior.expect("unchecked implies a prior");
            return Err(AuditError::Checkpoint(format!(
                "inconsistent with the checkpoint of {prior_size} entries seen before (root {prior_root}): the log was rewritten"
            )));
        }
        let cosigned_by = self.witness_policy()?;
        Ok(AuditSummary {
            size,
            root,
            keys: self.state.keys().count(),
            consistent_with_prior: self.prior.map(|(size, _)| size),
            cosigned_by,
        })
    }

    /// The genesis's witness policy (tlog-policy): the checkpoint must carry valid
    /// cosignatures from at least `witness_quorum` of its witnesses. Names the missing ones.
    fn witness_policy(&self) -> Result<Vec<String>, AuditError> {
        let Some(genesis) = self.state.genesis() else {
            return Ok(vec![]);
        };
        let check = PolicyCheck::of(&self.checkpoint.note, genesis)
            .map_err(|e| AuditError::Checkpoint(format!("its witness cosignatures: {e}")))?;
        if !check.is_met() {
            return Err(AuditError::Checkpoint(format!(
                "carries {} valid cosignatures of the genesis's witnesses but its witness_quorum is {}; no valid cosignature from: {}",
                check.cosigned.len(),
                check.quorum,
                check.missing.join(", ")
            )));
        }
        Ok(check.cosigned.into_iter().map(|c| c.vkey).collect())
    }
}

/// Compares a tile the log served with the one the entries produce.
pub fn compare_tile(path: &TilePath, expected: &[u8], served: &[u8]) -> Result<(), AuditError> {
    if expected == served {
        return Ok(());
    }
    Err(AuditError::Tile {
        path: path.path(),
        reason: format!(
            "the log served {} bytes that differ from the {} bytes its entries hash to",
            served.len(),
            expected.len()
        ),
    })
}

impl Unverified {
    /// Checks every signature; answers the tiles the entries complete if all verify.
    fn check(self) -> Result<Vec<(TilePath, Vec<u8>)>, AuditError> {
        self.first_bad_signature().map_or(Ok(self.tiles), Err)
    }

    /// The first entry, in log order, whose signature does not verify.
    ///
    /// Each signature is checked with `verify_strict`, exactly as the sequencer checks it.
    /// Batch verification would be faster but is cofactored: it accepts signatures whose R
    /// has a small-order component, which `verify_strict` refuses, so an audit's verdict
    /// would depend on how entries were grouped and could differ from the sequencer's.
    fn first_bad_signature(&self) -> Option<AuditError> {
        self.checks
            .par_iter()
            .with_min_len(SIGNATURES_PER_TASK)
            .find_first(|check| {
                let entry = self.entries[check.offset].as_ref().expect("admitted");
                !entry.verify(&check.key)
            })
            .map(|check| AuditError::Entry {
                index: self.first + check.offset as u64,
                reason: format!("the signature by {} does not verify", check.key.name),
            })
    }
}
