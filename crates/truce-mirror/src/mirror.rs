//! Following a log: fetch its checkpoint, check the log's signature, fetch the entries
//! the mirror lacks, recompute the tree, and store the copy only when it hashes to the
//! checkpoint's root (so it extends the copy held). Then cosign, and commit.

use std::sync::RwLock;

use tlog_tiles::{TileHashReader, record_hash, tree_hash};
use tokio::sync::Mutex;
use truce_core::Body;
use truce_log::cosignature::Cosigner;
use truce_log::tiles::{TilePath, decode_bundle, encode_bundle};
use truce_log::{Hash, SignedCheckpoint, SignedEntry, TILE_WIDTH};

use truce_witness::LogKey;
use truce_witness::forks::{self, Fork, Kept};

use crate::fetch::Fetcher;
use crate::restore::{HeldTiles, StoredTiles, restore, restore_pending_entries};
use crate::store::Store;
use crate::tree::Tree;

/// Why an update did not happen.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The log could not be read, or served something malformed; try again later.
    #[error("reading the log: {0}")]
    Fetch(String),
    /// The log's checkpoint or entries contradict the copy held; kept as evidence.
    #[error("the log rewrote its history ({reason}); evidence kept in {evidence}")]
    Fork { reason: String, evidence: String },
    #[error("storage: {0}")]
    Storage(#[from] std::io::Error),
}

/// What an update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updated {
    /// The log has nothing the mirror lacks.
    UpToDate(u64),
    /// The mirror now holds and serves the log up to this size.
    Grew { from: u64, to: u64 },
}

/// How many pending checkpoints `add-entries` accepts as `upload_end` (tlog-mirror: "the
/// last several"), so a client racing another one's `add-checkpoint` need not start over.
const RECENT_PENDING: usize = 8;

/// The copy held. `tree` and `tail` cover the mirror checkpoint's entries and, after them,
/// the pending entries pushed and authenticated so far: its size is the next entry.
#[derive(Debug, Clone, Default)]
pub(crate) struct Held {
    /// The mirror checkpoint: committed, cosigned, served.
    pub(crate) checkpoint: Option<SignedCheckpoint>,
    /// The pending checkpoint (as pushed, never with the mirror's line), when ahead of
    /// the mirror's.
    pub(crate) pending: Option<SignedCheckpoint>,
    /// The latest pending checkpoints, newest last, the current one included.
    pub(crate) recent: Vec<SignedCheckpoint>,
    pub(crate) tree: Tree,
    /// The entries of the tree's last, partial bundle.
    pub(crate) tail: Vec<Vec<u8>>,
}

impl Held {
    /// The pending checkpoint: the one pushed, or the mirror checkpoint if that is newer.
    pub(crate) fn pending(&self) -> Option<&SignedCheckpoint> {
        match (&self.pending, &self.checkpoint) {
            (Some(p), Some(c)) if c.size > p.size => Some(c),
            (Some(p), _) => Some(p),
            (None, c) => c.as_ref(),
        }
    }

    pub(crate) fn committed_size(&self) -> u64 {
        self.checkpoint.as_ref().map_or(0, |c| c.size)
    }

    /// A pending checkpoint of `size`, current or recent, or the mirror checkpoint.
    pub(crate) fn checkpoint_of(&self, size: u64) -> Option<&SignedCheckpoint> {
        self.recent
            .iter()
            .chain(&self.checkpoint)
            .chain(self.pending())
            .find(|c| c.size == size)
    }

    pub(crate) fn remember_pending(&mut self, checkpoint: SignedCheckpoint) {
        self.recent.retain(|c| c.size != checkpoint.size);
        self.recent.push(checkpoint.clone());
        if self.recent.len() > RECENT_PENDING {
            self.recent.remove(0);
        }
        self.pending = Some(checkpoint);
    }
}

#[derive(Debug)]
pub struct Mirror {
    pub(crate) log: LogKey,
    pub(crate) key: Cosigner,
    pub(crate) store: Store,
    pub(crate) held: Mutex<Held>,
    /// The mirror checkpoint as served (size, note): read by every request, written by
    /// an update once the copy it describes is on disk.
    served: RwLock<Option<(u64, Vec<u8>)>>,
}

impl Mirror {
    /// Opens the copy in `store`, checking it again: the stored checkpoint must verify
    /// with the log's key and the stored hash tiles must hash to its root.
    /// The pending checkpoint stored is restored too, and the pending entries pushed
    /// after the mirror checkpoint, up to the next entry recorded.
    pub fn open(log_vkey: &str, key: Cosigner, store: Store) -> Result<Self, String> {
        let log = LogKey::parse(log_vkey).map_err(|e| format!("the log key: {e}"))?;
        let mut held = Held::default();
        if let Some(note) = store.checkpoint().map_err(|e| e.to_string())? {
            let checkpoint = SignedCheckpoint::verify(&note, log_vkey)
                .map_err(|e| format!("the stored checkpoint: {e}"))?;
            held = restore(&store, checkpoint)?;
        }
        if let Some(note) = store.pending().map_err(|e| e.to_string())? {
            let pending = SignedCheckpoint::verify(&note, log_vkey)
                .map_err(|e| format!("the stored pending checkpoint: {e}"))?;
            held.remember_pending(pending);
        }
        restore_pending_entries(&store, &mut held);
        let served = held.checkpoint.as_ref().map(|c| (c.size, c.note.clone()));
        Ok(Self {
            log,
            key,
            store,
            held: Mutex::new(held),
            served: RwLock::new(served),
        })
    }

    #[must_use]
    pub fn log_vkey(&self) -> &str {
        &self.log.vkey
    }

    /// The origin of the log mirrored.
    #[must_use]
    pub fn origin(&self) -> &str {
        &self.log.origin
    }

    #[must_use]
    pub fn vkey(&self) -> String {
        self.key.vkey()
    }

    /// The mirror checkpoint (size, note with the mirror's cosignature), if any.
    pub fn served(&self) -> Option<(u64, Vec<u8>)> {
        self.served.read().expect("not poisoned").clone()
    }

    /// A tile of the mirrored tree, only if the mirror checkpoint covers it.
    pub fn tile(&self, path: &TilePath) -> std::io::Result<Option<Vec<u8>>> {
        let size = self.served().map_or(0, |(size, _)| size);
        if !path.exists_in(size) {
            return Ok(None);
        }
        self.store.tile(path)
    }

    /// One update: brings the copy up to the log's current checkpoint.
    pub async fn update(&self, log: &Fetcher, now: u64) -> Result<Updated, UpdateError> {
        let note = log.checkpoint().await?;
        let checkpoint = SignedCheckpoint::verify(&note, &self.log.vkey)
            .map_err(|e| UpdateError::Fetch(format!("{}: {e}", log.url("checkpoint"))))?;
        let mut held = self.held.lock().await;
        let (size, committed) = (held.tree.size(), held.committed_size());
        if checkpoint.size < size {
            // Not news (the log may serve an older witnessed checkpoint), but it must
            // still agree with the copy at its size.
            self.check_older(&held, &note, &checkpoint)?;
            return Ok(Updated::UpToDate(committed));
        }
        let (tree, tail) = if checkpoint.size == size {
            (held.tree.clone(), held.tail.clone())
        } else {
            self.extend(log, &held, &checkpoint).await?
        };
        if tree.root() != checkpoint.root {
            let reason = if checkpoint.size == size {
                format!(
                    "a checkpoint of {size} entries with the root {}, not the root {} of the copy",
                    checkpoint.root,
                    tree.root()
                )
            } else {
                format!(
                    "its checkpoint of {} entries has the root {}, but the {size} entries held and the ones it served after them hash to {}",
                    checkpoint.size,
                    checkpoint.root,
                    tree.root()
                )
            };
            return Err(self.fork(&held, &note, size, reason));
        }
        if checkpoint.size == committed {
            return Ok(Updated::UpToDate(committed));
        }
        self.commit(&mut held, (tree, tail), &checkpoint, now)?;
        Ok(Updated::Grew {
            from: committed,
            to: checkpoint.size,
        })
    }

    /// Checks a checkpoint smaller than the copy against the root of the copy at its
    /// size, read from the stored hash tiles (authenticated against the mirror
    /// checkpoint's root). One inside the pending entries, which have no stored partial
    /// tiles yet, is left to the commit's check of the whole tree.
    fn check_older(
        &self,
        held: &Held,
        note: &[u8],
        checkpoint: &SignedCheckpoint,
    ) -> Result<(), UpdateError> {
        let Some(committed) = held.checkpoint.as_ref() else {
            return Ok(());
        };
        if checkpoint.size > committed.size {
            return Ok(());
        }
        let tiles = StoredTiles(&self.store);
        let reader = TileHashReader::new(committed.size, committed.root, &tiles);
        let root = tokio::task::block_in_place(|| tree_hash(checkpoint.size, &reader))
            .map_err(|e| std::io::Error::other(format!("the stored hash tiles: {e}")))?;
        if root == checkpoint.root {
            return Ok(());
        }
        let reason = format!(
            "a smaller checkpoint of {} entries with the root {}, not the root {root} of the copy at that size",
            checkpoint.size, checkpoint.root
        );
        Err(self.fork(held, note, checkpoint.size, reason))
    }

    /// Fetches and stores the entry bundles from the copy's size to the checkpoint's and
    /// the full hash tiles they complete; returns the grown tree and its last bundle.
    /// Passing the pending checkpoint's size, the tree must have its root.
    async fn extend(
        &self,
        log: &Fetcher,
        held: &Held,
        checkpoint: &SignedCheckpoint,
    ) -> Result<(Tree, Vec<Vec<u8>>), UpdateError> {
        let (mut tree, mut tail) = (held.tree.clone(), held.tail.clone());
        let pending = held.pending().map(|p| (p.size, p.root));
        while tree.size() < checkpoint.size {
            let index = tree.size() / TILE_WIDTH;
            let end = checkpoint.size.min((index + 1) * TILE_WIDTH);
            let width = u32::try_from(end - index * TILE_WIDTH).expect("at most 256");
            let path = TilePath::entries(index, width);
            let bundle = log.bundle(&path).await?;
            let entries = decode_bundle(&bundle)
                .map_err(|e| UpdateError::Fetch(format!("{}: {e}", log.url(&path.path()))))?;
            let skip = tail.len();
            for (offset, entry) in entries.iter().enumerate().take(width as usize).skip(skip) {
                let at = index * TILE_WIDTH + offset as u64;
                if at == 0 {
                    check_genesis(entry, &self.log.vkey).map_err(UpdateError::Fetch)?;
                }
                for (tile, data) in tree.append(record_hash(entry)) {
                    tokio::task::block_in_place(|| self.store.save_tile(&tile, &data))?;
                }
                tail.push(entry.to_vec());
                if let Some((size, root)) = pending.filter(|(size, _)| *size == tree.size())
                    && tree.root() != root
                {
                    let reason = format!(
                        "the entries it served hash to {} at {size}, not to the root {root} of the pending checkpoint",
                        tree.root()
                    );
                    return Err(self.fork(held, &checkpoint.note, held.tree.size(), reason));
                }
            }
            if tail.len() != width as usize {
                return Err(UpdateError::Fetch(format!(
                    "{} holds {} entries, not {width}",
                    log.url(&path.path()),
                    entries.len()
                )));
            }
            let data = encode_bundle(tail.iter().map(Vec::as_slice));
            tokio::task::block_in_place(|| self.store.save_tile(&path, &data))?;
            if path.is_full() {
                tail.clear();
            }
        }
        Ok((tree, tail))
    }

    /// Commits `grown` (a tree at the checkpoint's size, and its last bundle): writes the
    /// partial hash tiles, then the checkpoint cosigned (the commit), then serves it.
    pub(crate) fn commit(
        &self,
        held: &mut Held,
        grown: (Tree, Vec<Vec<u8>>),
        checkpoint: &SignedCheckpoint,
        now: u64,
    ) -> Result<(), std::io::Error> {
        let (tree, tail) = grown;
        debug_assert_eq!(tree.size(), checkpoint.size);
        self.write_commit(held, &tree, checkpoint, now)?;
        held.tree = tree;
        held.tail = tail;
        Ok(())
    }

    /// Commits a checkpoint smaller than the held tree (pending entries went past it):
    /// the tree at its size is read back from the held tree's tiles, and must have its
    /// root; returns the tree's root at that size if it does not.
    pub(crate) fn commit_behind(
        &self,
        held: &mut Held,
        checkpoint: &SignedCheckpoint,
        now: u64,
    ) -> Result<Result<(), Hash>, std::io::Error> {
        let tiles = HeldTiles {
            store: &self.store,
            tree: &held.tree,
        };
        let reader = TileHashReader::new(held.tree.size(), held.tree.root(), &tiles);
        let behind = tokio::task::block_in_place(|| Tree::restore(checkpoint.size, &reader))
            .map_err(|e| std::io::Error::other(format!("the held hash tiles: {e}")))?;
        if behind.root() != checkpoint.root {
            return Ok(Err(behind.root()));
        }
        self.save_partial_bundle(held, checkpoint.size)?;
        self.write_commit(held, &behind, checkpoint, now)?;
        Ok(Ok(()))
    }

    /// Writes the partial entry bundle ending at `size` (inside the held tree), from the
    /// held tail or the stored full bundle: readers of a checkpoint of `size` ask for it.
    fn save_partial_bundle(&self, held: &Held, size: u64) -> Result<(), std::io::Error> {
        let (index, width) = (size / TILE_WIDTH, size % TILE_WIDTH);
        if width == 0 {
            return Ok(());
        }
        let count = usize::try_from(width).expect("< 256");
        let tail_start = held.tree.size() - held.tail.len() as u64;
        let bundle = if index * TILE_WIDTH >= tail_start {
            encode_bundle(held.tail[..count].iter().map(Vec::as_slice))
        } else {
            let full = TilePath::entries(index, 256);
            let data = tokio::task::block_in_place(|| self.store.tile(&full))?
                .ok_or_else(|| std::io::Error::other(format!("{} is missing", full.path())))?;
            let entries = decode_bundle(&data).map_err(std::io::Error::other)?;
            encode_bundle(entries[..count].iter().copied())
        };
        let path = TilePath::entries(index, u32::try_from(width).expect("< 256"));
        tokio::task::block_in_place(|| self.store.save_tile(&path, &bundle))
    }

    /// Writes `tree`'s partial hash tiles, then `checkpoint` cosigned (the commit), then
    /// serves it.
    fn write_commit(
        &self,
        held: &mut Held,
        tree: &Tree,
        checkpoint: &SignedCheckpoint,
        now: u64,
    ) -> Result<(), std::io::Error> {
        let mut note = checkpoint.note.clone();
        note.extend_from_slice(
            self.key
                .cosign_line(checkpoint.body(), now.max(1))
                .as_bytes(),
        );
        tokio::task::block_in_place(|| {
            for (tile, data) in tree.partial_tiles() {
                self.store.save_tile(&tile, &data)?;
            }
            self.store.save_checkpoint(&note)
        })?;
        *self.served.write().expect("not poisoned") = Some((checkpoint.size, note.clone()));
        held.checkpoint = Some(SignedCheckpoint {
            note,
            ..checkpoint.clone()
        });
        Ok(())
    }

    pub(crate) fn fork(
        &self,
        held: &Held,
        refused: &[u8],
        size: u64,
        reason: String,
    ) -> UpdateError {
        let mirrored = held.checkpoint.as_ref().map_or(&[][..], |c| &c.note[..]);
        self.keep_fork(("mirrored", mirrored), refused, size, reason)
    }

    /// Keeps a refused checkpoint as evidence beside the `held` one it conflicts with
    /// (named: `mirrored` or `pending`), bounded and kept once (`truce_witness::forks`).
    pub(crate) fn keep_fork(
        &self,
        held: (&str, &[u8]),
        refused: &[u8],
        size: u64,
        reason: String,
    ) -> UpdateError {
        let fork = Fork {
            size,
            held,
            refused,
            reason: &reason,
        };
        let kept = tokio::task::block_in_place(|| self.store.keep_evidence(&fork));
        match kept {
            Ok(kept) => {
                forks::report(&kept, &reason);
                let evidence = match kept {
                    Kept::New(path) | Kept::Known(path) => path.display().to_string(),
                    Kept::Full => format!("none kept: {} are kept already", forks::FORKS_MAX),
                };
                UpdateError::Fork { reason, evidence }
            }
            Err(e) => UpdateError::Storage(e),
        }
    }
}

/// Entry 0 must be a genesis naming the key the checkpoints are signed with.
fn check_genesis(note: &[u8], log_vkey: &str) -> Result<(), String> {
    let entry = SignedEntry::parse(note.to_vec()).map_err(|e| format!("entry 0: {e}"))?;
    match entry.body() {
        Body::Genesis(genesis) if genesis.log.vkey == log_vkey => Ok(()),
        Body::Genesis(genesis) => Err(format!(
            "entry 0: the genesis names the log key {}, not {log_vkey}",
            genesis.log.vkey
        )),
        _ => Err("entry 0 is not a genesis".into()),
    }
}
