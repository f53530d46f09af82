//! The push side of tlog-mirror: `add-checkpoint` sets the pending checkpoint (a
//! witness's rules, through `truce_witness::witness::judge`; the log's signature and the
//! witnesses' cosignatures kept, never signed with the mirror's key), and
//! `add-entries` takes packages of entries, each authenticated by its subtree consistency
//! proof against a pending checkpoint and stored as an entry bundle before the next is
//! read, then commits and cosigns the checkpoint once its entries are all stored.
//!
//! The pull path ([`Mirror::update`]) and this one share the held tree under one lock, so
//! whichever stores an entry first, the other continues after it, and the mirror
//! checkpoint only moves forward.

use tlog_tiles::record_hash;
use tokio::io::AsyncRead;
use truce_log::cosignature::CosignedNote;
use truce_log::subtree;
use truce_log::tiles::{TilePath, encode_bundle};
use truce_log::{Hash, SignedCheckpoint, TILE_WIDTH};
use truce_witness::request::AddCheckpoint;
use truce_witness::witness::{Refusal, judge, origin_of};

use crate::mirror::{Held, Mirror};
use crate::wire::{Header, MirrorInfo, Package, package_subtree};

/// Entries a client may send again below the next entry: one bundle's worth, what a client
/// resuming at a bundle boundary sends.
const EXCESS_ENTRIES_MAX: u64 = TILE_WIDTH;

/// How an `add-entries` request ended, each with its tlog-mirror status.
#[derive(Debug)]
pub enum Pushed {
    /// 200: the mirror checkpoint is at `upload_end`; the mirror's cosignature lines.
    Committed(String),
    /// 202: a prefix was stored.
    Prefix(MirrorInfo),
    /// 409.
    Conflict(MirrorInfo),
    /// 400: the header is malformed, or no package arrived whole.
    Malformed(String),
    /// 404.
    UnknownLog(String),
    /// 422: no pending checkpoint, or a package's proof fails.
    Unprocessable(String),
    /// 500.
    Storage(std::io::Error),
}

impl Mirror {
    /// `add-checkpoint`: a new pending checkpoint, persisted before the answer; the
    /// mirror checkpoint and its cosignature are untouched.
    pub async fn add_checkpoint(&self, body: &[u8]) -> Result<(), Refusal> {
        let request = AddCheckpoint::parse(body).map_err(|e| Refusal::Malformed(e.0))?;
        let origin = origin_of(&request.note)?;
        if origin != self.log.origin {
            return Err(Refusal::UnknownLog(origin));
        }
        let mut held = self.held.lock().await;
        let pending = held
            .pending()
            .map_or(truce_log::consistency::TreeHead::EMPTY, |c| {
                truce_log::consistency::TreeHead {
                    size: c.size,
                    root: c.root,
                }
            });
        let checkpoint = match judge(&request, &self.log, pending) {
            Ok(checkpoint) => checkpoint,
            Err(refused) => {
                if let Some(proof) = refused.fork {
                    let conflicting = held.pending().map(|c| c.note.clone());
                    // Written after the lock is released: evidence never delays the mirror.
                    drop(held);
                    let conflicting = conflicting.unwrap_or_default();
                    let kept = self.keep_fork(
                        ("pending", &conflicting),
                        &proof.refused,
                        pending.size,
                        proof.reason,
                    );
                    if let crate::UpdateError::Storage(e) = kept {
                        return Err(Refusal::Storage(e));
                    }
                }
                return Err(refused.refusal);
            }
        };
        if checkpoint.size == pending.size {
            return Ok(());
        }
        let note = self.as_pending(&checkpoint.note)?;
        tokio::task::block_in_place(|| self.store.save_pending(&note))?;
        held.remember_pending(SignedCheckpoint { note, ..checkpoint });
        Ok(())
    }

    /// The note kept as the pending checkpoint: the log's signature (checked) and the
    /// other cosignatures as pushed, so the witnesses' cosignatures a Truce client needs
    /// are served with it as on the pull path; lines in the mirror's own name are dropped,
    /// the mirror's cosignature being added only at the commit.
    fn as_pending(&self, note: &[u8]) -> Result<Vec<u8>, Refusal> {
        let parsed = CosignedNote::parse(note).map_err(Refusal::Malformed)?;
        let mut kept = parsed.body;
        kept.push(b'\n');
        for signature in parsed.signatures {
            if signature.name() != self.key.name().as_str() {
                kept.extend_from_slice(&signature.to_bytes());
            }
        }
        Ok(kept)
    }

    /// `add-entries`, reading the body as it arrives.
    pub async fn add_entries<R: AsyncRead + Unpin>(&self, body: &mut R, now: u64) -> Pushed {
        let header = match Header::read(body).await {
            Ok(header) => header,
            Err(e) => return Pushed::Malformed(e),
        };
        if header.origin != self.log.origin {
            return Pushed::UnknownLog(header.origin);
        }
        let target = match self.check_range(&header).await {
            Ok(target) => target,
            Err(refused) => return refused,
        };
        let packages = header.packages();
        for (done, &package) in packages.iter().enumerate() {
            let count = package.1 - package.0;
            let read = match Package::read(body, count).await {
                Ok(read) => read,
                Err(e) if done == 0 => {
                    return Pushed::Malformed(format!("no package arrived whole: {e}"));
                }
                Err(_) => return Pushed::Prefix(self.info(&header).await),
            };
            if let Err(refused) = self.store_package(package, read, &target).await {
                return refused;
            }
        }
        self.finish(&header, &target, now).await
    }

    /// The checks on `upload_start` and `upload_end` before any package is read; returns
    /// the pending checkpoint at `upload_end`.
    async fn check_range(&self, header: &Header) -> Result<SignedCheckpoint, Pushed> {
        let held = self.held.lock().await;
        let Some(pending) = held.pending() else {
            return Err(Pushed::Unprocessable(
                "the mirror has no pending checkpoint of this log: add-checkpoint first".into(),
            ));
        };
        let conflict = |pending_size| {
            Pushed::Conflict(MirrorInfo {
                pending_size,
                next_entry: held.tree.size(),
                ticket: vec![],
            })
        };
        if header.upload_start > header.upload_end {
            return Err(Pushed::Malformed(format!(
                "upload_start {} is above upload_end {}",
                header.upload_start, header.upload_end
            )));
        }
        let Some(target) = held.checkpoint_of(header.upload_end) else {
            return Err(conflict(pending.size));
        };
        let next = held.tree.size();
        let excess = header
            .upload_end
            .min(next)
            .saturating_sub(header.upload_start);
        if header.upload_end < held.committed_size() {
            return Err(conflict(pending.size));
        }
        if header.upload_start > next || excess > EXCESS_ENTRIES_MAX {
            return Err(conflict(header.upload_end));
        }
        Ok(target.clone())
    }

    /// Authenticates one package against `target` and stores what is new in it.
    async fn store_package(
        &self,
        (start, end): (u64, u64),
        package: Package,
        target: &SignedCheckpoint,
    ) -> Result<(), Pushed> {
        let mut held = self.held.lock().await;
        let (from, _) = package_subtree((start, end));
        let mut leaves = held_leaves(&self.store, &held, from, start).map_err(Pushed::Storage)?;
        leaves.extend(package.entries.iter().map(|e| record_hash(e)));
        subtree::verify(
            from,
            end,
            target.size,
            &package.proof,
            subtree::root_of(&leaves),
            target.root,
        )
        .map_err(|e| {
            Pushed::Unprocessable(format!(
                "the package [{start}, {end}): {e}; nothing of it was stored"
            ))
        })?;
        let next = held.tree.size();
        if end <= next {
            return Ok(());
        }
        let new = &package.entries[usize::try_from(next.saturating_sub(start)).expect("< 256")..];
        let (mut tree, mut tail) = (held.tree.clone(), held.tail.clone());
        tokio::task::block_in_place(|| {
            for entry in new {
                for (tile, data) in tree.append(record_hash(entry)) {
                    self.store.save_tile(&tile, &data)?;
                }
                tail.push(entry.clone());
            }
            let width = u32::try_from(tail.len()).expect("at most 256");
            let path = TilePath::entries(from / TILE_WIDTH, width);
            self.store
                .save_tile(&path, &encode_bundle(tail.iter().map(Vec::as_slice)))?;
            if path.is_full() {
                tail.clear();
            }
            self.store.save_next_entry(tree.size())
        })
        .map_err(Pushed::Storage)?;
        held.tree = tree;
        held.tail = tail;
        Ok(())
    }

    /// After the last package: commit `target` as the mirror checkpoint unless one as
    /// new or newer is committed already; answer with the mirror's cosignature.
    async fn finish(&self, header: &Header, target: &SignedCheckpoint, now: u64) -> Pushed {
        let mut held = self.held.lock().await;
        let (committed, size) = (held.committed_size(), held.tree.size());
        if target.size < committed || target.size > size {
            // Too small (it would rewind the mirror), or not all stored yet (an upload
            // racing this one was refused part way): the client goes on from here.
            drop(held);
            return Pushed::Conflict(self.info(header).await);
        }
        if target.size > committed {
            let committed = if size == target.size {
                if held.tree.root() == target.root {
                    let grown = (held.tree.clone(), held.tail.clone());
                    self.commit(&mut held, grown, target, now).map(Ok)
                } else {
                    Ok(Err(held.tree.root()))
                }
            } else {
                // Another upload took the held tree past `upload_end` meanwhile.
                self.commit_behind(&mut held, target, now)
            };
            match committed {
                Ok(Ok(())) => {}
                Ok(Err(root)) => return self.refuse_commit(&held, target, root),
                Err(e) => return Pushed::Storage(e),
            }
        }
        Pushed::Committed(self.cosignature_lines(&held))
    }

    /// The entries stored up to `target` hash to `root`, not to its root: the log signed
    /// two histories (every package was proven against a pending checkpoint); evidence.
    fn refuse_commit(&self, held: &Held, target: &SignedCheckpoint, root: Hash) -> Pushed {
        let reason = format!(
            "the entries pushed hash to {root}, not to the root {} of the pending checkpoint of {} entries",
            target.root, target.size
        );
        match self.fork(held, &target.note, held.tree.size(), reason.clone()) {
            crate::UpdateError::Storage(e) => Pushed::Storage(e),
            _ => Pushed::Unprocessable(reason),
        }
    }

    /// The mirror's cosignature line(s) on the mirror checkpoint.
    fn cosignature_lines(&self, held: &Held) -> String {
        let note = held
            .checkpoint
            .as_ref()
            .map(|c| c.note.as_slice())
            .unwrap_or_default();
        let prefix = format!("— {} ", self.key.name().as_str());
        String::from_utf8_lossy(note)
            .lines()
            .filter(|line| line.starts_with(&prefix))
            .fold(String::new(), |mut lines, line| {
                lines.push_str(line);
                lines.push('\n');
                lines
            })
    }

    /// The mirror-info answer: `upload_end` if it is still valid, else the pending size.
    async fn info(&self, header: &Header) -> MirrorInfo {
        let held = self.held.lock().await;
        let valid = held.checkpoint_of(header.upload_end).is_some()
            && header.upload_end >= held.committed_size();
        let pending_size = if valid {
            header.upload_end
        } else {
            held.pending().map_or(0, |c| c.size)
        };
        MirrorInfo {
            pending_size,
            next_entry: held.tree.size(),
            ticket: vec![],
        }
    }
}

/// The leaf hashes of the entries held in `[from, to)`, all in one bundle: from the tail
/// when it is the bundle being filled, else from the stored full bundle.
fn held_leaves(
    store: &crate::store::Store,
    held: &Held,
    from: u64,
    to: u64,
) -> std::io::Result<Vec<Hash>> {
    if from == to {
        return Ok(vec![]);
    }
    let tail_start = held.tree.size() - held.tail.len() as u64;
    let range = usize::try_from(from % TILE_WIDTH).expect("< 256")
        ..usize::try_from(to - from / TILE_WIDTH * TILE_WIDTH).expect("<= 256");
    if from >= tail_start {
        return Ok(held.tail[range].iter().map(|e| record_hash(e)).collect());
    }
    let path = TilePath::entries(from / TILE_WIDTH, 256);
    let bundle = tokio::task::block_in_place(|| store.tile(&path))?
        .ok_or_else(|| std::io::Error::other(format!("{} is missing", path.path())))?;
    let entries = truce_log::tiles::decode_bundle(&bundle).map_err(std::io::Error::other)?;
    Ok(entries[range].iter().map(|e| record_hash(e)).collect())
}
