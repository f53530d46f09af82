//! Where an audit ended, as data: enough to check only the entries appended since.
//!
//! An incremental audit (`truce verify --state`) trusts what its own earlier audit
//! established (the admission state after those entries and the tree's right edge) instead
//! of replaying them. It still proves the log extends what it saw: the new checkpoint's
//! root must be the root of the saved right edge with the new entries appended.

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde::{Deserialize, Serialize};
use tlog_tiles::{Hash, HashReader};
use truce_core::LogState;
use truce_core::state::Snapshot;

use super::{AuditError, Auditor};
use crate::TILE_WIDTH;
use crate::checkpoint::SignedCheckpoint;
use crate::frontier::Frontier;

/// An audit's end state after `size` entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    pub size: u64,
    /// The tree's right edge: base64 hashes at [`Frontier::needed_indexes`], in order.
    frontier: Vec<String>,
    /// Per tile level, base64 of the hashes of the tile being filled.
    pending: Vec<String>,
    state: Snapshot,
}

impl Auditor {
    /// What this audit established so far, to resume from: every entry pushed, once
    /// their signatures are checked too.
    pub fn resume_point(&mut self) -> Result<Resume, AuditError> {
        self.settle()?;
        let size = self.frontier.size();
        let hashes = self
            .frontier
            .read_hashes(&Frontier::needed_indexes(size))
            .expect("the frontier holds its right edge");
        Ok(Resume {
            size,
            frontier: hashes.iter().map(ToString::to_string).collect(),
            pending: self.pending.iter().map(|p| BASE64.encode(p)).collect(),
            state: self.state.snapshot(),
        })
    }

    /// Checks that `entries`, the ones of the resume point's last, partial entry bundle
    /// that the earlier audit checked, are still the entries it checked (their leaf hashes
    /// are in the saved pending tile). Call it before pushing new entries.
    pub fn confirm_audited(&self, entries: &[&[u8]]) -> Result<(), AuditError> {
        let saved = self.pending.first().map_or(&[][..], Vec::as_slice);
        let audited = saved.len() / 32;
        let first = self.size() - audited as u64;
        if entries.len() != audited {
            return Err(AuditError::Entry {
                index: first,
                reason: format!(
                    "the log served {} entries where {audited} were audited before",
                    entries.len()
                ),
            });
        }
        let changed = entries
            .iter()
            .zip(saved.chunks(32))
            .position(|(entry, leaf)| tlog_tiles::record_hash(entry).0 != leaf);
        changed.map_or(Ok(()), |offset| {
            Err(AuditError::Entry {
                index: first + offset as u64,
                reason: "differs from the entry audited before (its leaf hash changed)".into(),
            })
        })
    }

    /// Starts an audit of the log up to `checkpoint` from where an earlier audit ended,
    /// at the checkpoint of `resume.size` entries whose root was `root`. Refuses a resume
    /// point that does not add up to that root.
    pub fn resume(
        checkpoint: SignedCheckpoint,
        log_vkey: &str,
        resume: Resume,
        root: Hash,
    ) -> Result<Self, AuditError> {
        let size = resume.size;
        let mut auditor = Self::new(checkpoint, log_vkey, Some((size, root)))?;
        let damaged = |what: String| AuditError::SavedState(format!("the saved audit: {what}"));
        let needed = Frontier::needed_indexes(size);
        if resume.frontier.len() != needed.len() {
            return Err(damaged(format!(
                "the tree's right edge holds {} hashes, not the {} of a tree of {size} entries",
                resume.frontier.len(),
                needed.len()
            )));
        }
        let hashes = resume
            .frontier
            .iter()
            .map(|h| Hash::parse_hash(h).map_err(|_| damaged(format!("{h} is not a hash"))))
            .collect::<Result<Vec<_>, _>>()?;
        let frontier = Frontier::restore(size, needed.into_iter().zip(hashes))
            .map_err(|_| damaged("the tree's right edge is incomplete".into()))?;
        if frontier.root() != root {
            return Err(damaged(format!(
                "its tree's root {} is not {root}, the root it was saved with",
                frontier.root()
            )));
        }
        if resume.state.size != size {
            return Err(damaged(format!(
                "its admission state covers {} entries, not {size}",
                resume.state.size
            )));
        }
        auditor.pending = pending_tiles(&resume.pending, size).map_err(damaged)?;
        pending_ends_on_the_edge(&auditor.pending, &frontier, size).map_err(damaged)?;
        auditor.full_tiles = (0..auditor.pending.len())
            .map(|level| size >> (8 * (level + 1)))
            .collect();
        auditor.state = LogState::from_snapshot(resume.state).map_err(damaged)?;
        auditor.frontier = frontier;
        auditor.prior_checked = true;
        Ok(auditor)
    }
}

/// The newest hash of each level's pending tile is the frontier's node there (the
/// tree's right edge at that tile level), so saved tiles that drifted from the edge are
/// refused rather than blamed later on the log's tiles.
fn pending_ends_on_the_edge(
    pending: &[Vec<u8>],
    frontier: &Frontier,
    size: u64,
) -> Result<(), String> {
    for (level, data) in pending.iter().enumerate() {
        let Some(last) = data.len().checked_sub(32).map(|at| &data[at..]) else {
            continue;
        };
        let height = u8::try_from(8 * level).expect("a few levels");
        let index = tlog_tiles::stored_hash_index(height, (size >> height) - 1);
        let edge = frontier
            .read_hashes(&[index])
            .map_err(|_| format!("the tree's right edge lacks level {height}"))?;
        if edge[0].0 != last {
            return Err(format!(
                "pending tile {level} does not end on the tree's right edge"
            ));
        }
    }
    Ok(())
}

/// The partial tile of each level, each holding as many hashes as a tree of `size`
/// entries leaves past that level's last full tile.
fn pending_tiles(saved: &[String], size: u64) -> Result<Vec<Vec<u8>>, String> {
    // A level has a tile once the tree reaches 256^level entries.
    let levels = (0..8).take_while(|level| size >> (8 * level) > 0).count();
    if saved.len() != levels {
        return Err(format!(
            "{} levels of pending tiles, not the {levels} of a tree of {size} entries",
            saved.len()
        ));
    }
    saved
        .iter()
        .enumerate()
        .map(|(level, encoded)| {
            let data = BASE64
                .decode(encoded)
                .map_err(|_| format!("pending tile {level} is not base64"))?;
            let expected = (size >> (8 * level)) % TILE_WIDTH * 32;
            if data.len() as u64 != expected {
                return Err(format!(
                    "pending tile {level} holds {} bytes, not {expected}",
                    data.len()
                ));
            }
            Ok(data)
        })
        .collect()
}
