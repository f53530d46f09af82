//! Opening a mirror's copy again: the tree rebuilt from the mirror's own hash tiles
//! (checked against the stored checkpoint's root) rather than from every entry, then the
//! pending entries pushed after it, rehashed up to the next entry recorded.

use tlog_tiles::{Tile, TileHashReader, TileReader, record_hash};
use truce_log::tiles::{TilePath, decode_bundle};
use truce_log::{SignedCheckpoint, TILE_WIDTH};

use crate::mirror::Held;
use crate::store::Store;
use crate::tree::Tree;

/// The copy at `checkpoint` from the mirror's own hash tiles, which must hash to its root
/// (`TileHashReader` checks each tile it reads against it), and its last partial bundle,
/// whose entries must hash to the leaves the tiles hold; no other entry is read again.
pub(crate) fn restore(store: &Store, checkpoint: SignedCheckpoint) -> Result<Held, String> {
    if checkpoint.size == 0 {
        return Ok(Held {
            checkpoint: Some(checkpoint),
            ..Held::default()
        });
    }
    let tiles = StoredTiles(store);
    let reader = TileHashReader::new(checkpoint.size, checkpoint.root, &tiles);
    let tree = Tree::restore(checkpoint.size, &reader).map_err(|e| {
        format!(
            "the stored hash tiles do not give the root {} of the stored checkpoint: {e}",
            checkpoint.root
        )
    })?;
    let mut held = Held {
        tree,
        ..Held::default()
    };
    let width = checkpoint.size % TILE_WIDTH;
    if width > 0 {
        let path = TilePath::entries(
            checkpoint.size / TILE_WIDTH,
            u32::try_from(width).expect("< 256"),
        );
        let bundle = store
            .tile(&path)
            .map_err(|e| format!("{}: {e}", path.path()))?
            .ok_or_else(|| format!("{} is missing from the copy", path.path()))?;
        let entries = decode_bundle(&bundle).map_err(|e| format!("{}: {e}", path.path()))?;
        let leaves = held
            .tree
            .partial_tiles()
            .into_iter()
            .find(|(t, _)| t.level == Some(0));
        let hashed: Vec<u8> = entries.iter().flat_map(|e| record_hash(e).0).collect();
        if leaves.map(|(_, data)| data) != Some(hashed) {
            return Err(format!(
                "{}: its entries do not hash to the stored leaves",
                path.path()
            ));
        }
        held.tail = entries.into_iter().map(<[u8]>::to_vec).collect();
    }
    held.checkpoint = Some(checkpoint);
    Ok(held)
}

/// Grows the held tree from the stored bundles up to `upto` entries.
fn rehash(store: &Store, held: &mut Held, upto: u64) -> Result<(), String> {
    while held.tree.size() < upto {
        let index = held.tree.size() / TILE_WIDTH;
        let end = upto.min((index + 1) * TILE_WIDTH);
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
        for entry in &entries[held.tail.len()..] {
            held.tree.append(record_hash(entry));
            held.tail.push(entry.to_vec());
        }
        if path.is_full() {
            held.tail.clear();
        }
    }
    Ok(())
}

/// Restores the pending entries pushed after the mirror checkpoint, up to the next entry
/// the push path recorded (each was authenticated before it was written). Any doubt
/// leaves them out: clients upload them again.
pub(crate) fn restore_pending_entries(store: &Store, held: &mut Held) {
    let pending = held.pending().map_or(0, |c| c.size);
    let next = match store.next_entry() {
        Ok(next) => next.unwrap_or(0).min(pending),
        Err(e) => {
            tracing::warn!(error = %e, "reading the next entry; pending entries left out");
            return;
        }
    };
    if next <= held.tree.size() {
        return;
    }
    let mut grown = held.clone();
    match rehash(store, &mut grown, next) {
        Ok(()) => *held = grown,
        Err(e) => tracing::warn!(error = %e, "restoring pending entries; left out"),
    }
}

/// The mirror's own hash tiles, read for `tlog_tiles::TileHashReader` (which checks them
/// against a root before using them).
pub(crate) struct StoredTiles<'a>(pub(crate) &'a Store);

impl TileReader for StoredTiles<'_> {
    fn height(&self) -> u8 {
        truce_log::TILE_HEIGHT
    }

    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, tlog_tiles::Error> {
        tiles
            .iter()
            .map(|tile| {
                let path = TilePath::hashes(tile.level(), tile.level_index(), tile.width());
                match self.0.tile(&path) {
                    Ok(Some(data)) => Ok(data),
                    _ => Err(tlog_tiles::Error::IndexesNotInTree),
                }
            })
            .collect()
    }

    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
}

/// The held tree's hash tiles: the full ones as stored, the ones being filled from memory
/// (pending entries have no partial tiles on disk). Read through `TileHashReader` at the
/// held tree's size and root, they give the tree at any smaller size.
pub(crate) struct HeldTiles<'a> {
    pub(crate) store: &'a Store,
    pub(crate) tree: &'a Tree,
}

impl TileReader for HeldTiles<'_> {
    fn height(&self) -> u8 {
        truce_log::TILE_HEIGHT
    }

    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, tlog_tiles::Error> {
        tiles
            .iter()
            .map(|tile| {
                let wanted = tile.width() as usize * 32;
                let (full, filling) = self
                    .tree
                    .filling(tile.level())
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)?;
                if tile.level_index() == full && filling.len() >= wanted {
                    return Ok(filling[..wanted].to_vec());
                }
                let path = TilePath::hashes(tile.level(), tile.level_index(), 256);
                match self.stored(&path) {
                    Some(data) if tile.level_index() < full && data.len() >= wanted => {
                        Ok(data[..wanted].to_vec())
                    }
                    _ => Err(tlog_tiles::Error::IndexesNotInTree),
                }
            })
            .collect()
    }

    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
}

impl HeldTiles<'_> {
    fn stored(&self, path: &TilePath) -> Option<Vec<u8>> {
        self.store.tile(path).ok().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_log::cosignature::Cosigner;
    use truce_log::tiles::encode_bundle;
    use truce_log::{KeyPair, LogSigner};

    /// A copy of `size` made-up entries committed as the mirror commits them.
    fn committed_copy(store: &Store, log: &LogSigner, size: u32) {
        let mut tree = Tree::default();
        let mut tail: Vec<Vec<u8>> = vec![];
        for i in 0..size {
            let entry = format!("entry {i}\n").into_bytes();
            for (tile, data) in tree.append(record_hash(&entry)) {
                store.save_tile(&tile, &data).unwrap();
            }
            tail.push(entry);
            if tail.len() == 256 {
                let bundle = encode_bundle(tail.iter().map(Vec::as_slice));
                store
                    .save_tile(&TilePath::entries(u64::from(i / 256), 256), &bundle)
                    .unwrap();
                tail.clear();
            }
        }
        let width = u32::try_from(tail.len()).unwrap();
        let bundle = encode_bundle(tail.iter().map(Vec::as_slice));
        store
            .save_tile(&TilePath::entries(u64::from(size / 256), width), &bundle)
            .unwrap();
        for (tile, data) in tree.partial_tiles() {
            store.save_tile(&tile, &data).unwrap();
        }
        store
            .save_checkpoint(&log.sign(u64::from(size), tree.root()).note)
            .unwrap();
    }

    #[test]
    fn a_copy_opens_from_its_tiles_and_one_whose_tiles_were_altered_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let log = LogSigner::new(KeyPair::generate("example.com/log").unwrap());
        let key = Cosigner::generate("mirror.example/m1").unwrap();
        let store = Store::open(dir.path(), "example.com/log").unwrap();
        committed_copy(&store, &log, 256 * 2 + 17);
        drop(store);
        let mirror = crate::open(&log.vkey(), key.clone(), dir.path()).unwrap();
        assert_eq!(mirror.served().unwrap().0, 256 * 2 + 17);
        drop(mirror);

        let tile = dir
            .path()
            .join(truce_witness::store::origin_hash("example.com/log"))
            .join(TilePath::hashes(0, 2, 17).path());
        let mut data = std::fs::read(&tile).unwrap();
        data[100] ^= 1;
        std::fs::write(&tile, data).unwrap();
        let error = crate::open(&log.vkey(), key, dir.path()).unwrap_err();
        assert!(error.contains("do not give the root"), "{error}");
    }
}
