//! Following a log: fetch its checkpoint, check the log's signature, fetch the entries
//! the mirror lacks, recompute the tree, and store the copy only when it hashes to the
//! checkpoint's root (so it extends the copy held). Then cosign, and commit.

use std::sync::RwLock;

use tlog_tiles::record_hash;
use tokio::sync::Mutex;
use truce_core::Body;
use truce_log::cosignature::Cosigner;
use truce_log::tiles::{TilePath, decode_bundle, encode_bundle};
use truce_log::{SignedCheckpoint, SignedEntry, TILE_WIDTH};

use crate::fetch::Fetcher;
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

/// The copy held: the tree, and the entries of its last, partial bundle.
#[derive(Debug, Clone, Default)]
struct Held {
    checkpoint: Option<SignedCheckpoint>,
    tree: Tree,
    tail: Vec<Vec<u8>>,
}

#[derive(Debug)]
pub struct Mirror {
    log_vkey: String,
    key: Cosigner,
    store: Store,
    held: Mutex<Held>,
    /// The mirror checkpoint as served (size, note): read by every request, written by
    /// an update once the copy it describes is on disk.
    served: RwLock<Option<(u64, Vec<u8>)>>,
}

impl Mirror {
    /// Opens the copy in `store`, checking it again: the stored checkpoint must verify
    /// with the log's key and the stored entries must hash to its root.
    pub fn open(log_vkey: &str, key: Cosigner, store: Store) -> Result<Self, String> {
        let mut held = Held::default();
        if let Some(note) = store.checkpoint().map_err(|e| e.to_string())? {
            let checkpoint = SignedCheckpoint::verify(&note, log_vkey)
                .map_err(|e| format!("the stored checkpoint: {e}"))?;
            held = restore(&store, checkpoint)?;
        }
        let served = held.checkpoint.as_ref().map(|c| (c.size, c.note.clone()));
        Ok(Self {
            log_vkey: log_vkey.to_string(),
            key,
            store,
            held: Mutex::new(held),
            served: RwLock::new(served),
        })
    }

    #[must_use]
    pub fn log_vkey(&self) -> &str {
        &self.log_vkey
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
        let checkpoint = SignedCheckpoint::verify(&note, &self.log_vkey)
            .map_err(|e| UpdateError::Fetch(format!("{}: {e}", log.url("checkpoint"))))?;
        let mut held = self.held.lock().await;
        let size = held.tree.size();
        if checkpoint.size < size {
            // A smaller checkpoint is not news; the log may serve an older witnessed one.
            return Ok(Updated::UpToDate(size));
        }
        if checkpoint.size == size {
            if checkpoint.root != held.tree.root() {
                let reason = format!(
                    "a checkpoint of {size} entries with the root {}, not the root {} of the copy",
                    checkpoint.root,
                    held.tree.root()
                );
                return Err(self.fork(&held, &note, size, reason));
            }
            return Ok(Updated::UpToDate(size));
        }
        let grown = self.extend(log, &held, &checkpoint).await?;
        let (mut tree, tail) = grown;
        if tree.root() != checkpoint.root {
            let reason = format!(
                "its checkpoint of {} entries has the root {}, but the {size} entries held and the ones it served after them hash to {}",
                checkpoint.size,
                checkpoint.root,
                tree.root()
            );
            return Err(self.fork(&held, &note, size, reason));
        }
        let committed = self.commit(&mut tree, &checkpoint, now)?;
        *held = Held {
            checkpoint: Some(committed.clone()),
            tree,
            tail,
        };
        *self.served.write().expect("not poisoned") = Some((committed.size, committed.note));
        Ok(Updated::Grew {
            from: size,
            to: checkpoint.size,
        })
    }

    /// Fetches and stores the entry bundles from the copy's size to the checkpoint's and
    /// the full hash tiles they complete; returns the grown tree and its last bundle.
    async fn extend(
        &self,
        log: &Fetcher,
        held: &Held,
        checkpoint: &SignedCheckpoint,
    ) -> Result<(Tree, Vec<Vec<u8>>), UpdateError> {
        let (mut tree, mut tail) = (held.tree.clone(), held.tail.clone());
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
                    check_genesis(entry, &self.log_vkey).map_err(UpdateError::Fetch)?;
                }
                for (tile, data) in tree.append(record_hash(entry)) {
                    tokio::task::block_in_place(|| self.store.save_tile(&tile, &data))?;
                }
                tail.push(entry.to_vec());
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

    /// Writes the partial hash tiles, then the cosigned checkpoint: the commit.
    fn commit(
        &self,
        tree: &mut Tree,
        checkpoint: &SignedCheckpoint,
        now: u64,
    ) -> Result<SignedCheckpoint, UpdateError> {
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
        Ok(SignedCheckpoint {
            note,
            ..checkpoint.clone()
        })
    }

    fn fork(&self, held: &Held, refused: &[u8], size: u64, reason: String) -> UpdateError {
        let mirrored = held
            .checkpoint
            .as_ref()
            .map(|c| c.note.clone())
            .unwrap_or_default();
        let kept = tokio::task::block_in_place(|| {
            self.store.keep_evidence(size, &mirrored, refused, &reason)
        });
        match kept {
            Ok(path) => {
                tracing::warn!(path = %path.display(), %reason, "refused a checkpoint that rewrites the log");
                UpdateError::Fork {
                    reason,
                    evidence: path.display().to_string(),
                }
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

/// Rebuilds the tree from the stored bundles and checks it against `checkpoint`.
fn restore(store: &Store, checkpoint: SignedCheckpoint) -> Result<Held, String> {
    let mut held = Held::default();
    while held.tree.size() < checkpoint.size {
        let index = held.tree.size() / TILE_WIDTH;
        let end = checkpoint.size.min((index + 1) * TILE_WIDTH);
        let width = u32::try_from(end - index * TILE_WIDTH).expect("at most 256");
        let path = TilePath::entries(index, width);
        let bundle = store
            .tile(&path)
            .map_err(|e| format!("{}: {e}", path.path()))?
            .ok_or_else(|| format!("{} is missing from the copy", path.path()))?;
        let entries = decode_bundle(&bundle).map_err(|e| format!("{}: {e}", path.path()))?;
        if entries.len() != width as usize {
            return Err(format!("{}: holds {} entries", path.path(), entries.len()));
        }
        held.tail.clear();
        for entry in entries {
            held.tree.append(record_hash(entry));
            held.tail.push(entry.to_vec());
        }
        if path.is_full() {
            held.tail.clear();
        }
    }
    if held.tree.root() != checkpoint.root {
        return Err(format!(
            "the stored entries hash to {}, not to the root {} of the stored checkpoint",
            held.tree.root(),
            checkpoint.root
        ));
    }
    held.checkpoint = Some(checkpoint);
    Ok(held)
}
