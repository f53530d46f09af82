//! The mirror's copy of the tree: the RFC 6962 frontier (for the root) and, per tile
//! level, the hashes of the tile being filled (for the hash tiles it serves). It is
//! computed from the entries alone, so the tiles served are the mirror's own, never the
//! log's.

use tlog_tiles::{Hash, HashReader, Tile, stored_hash_index};
use truce_log::tiles::TilePath;
use truce_log::{Frontier, TILE_HEIGHT, TILE_WIDTH};

#[derive(Debug, Clone, Default)]
pub struct Tree {
    frontier: Frontier,
    /// Per level, the hashes of the tile being filled.
    pending: Vec<Vec<u8>>,
    /// Per level, how many full tiles were completed.
    full_tiles: Vec<u64>,
}

impl Tree {
    #[must_use]
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    #[must_use]
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The tree of `size` leaves from its stored hashes (read through `hashes`, which the
    /// caller authenticates): the frontier, and per tile level the hashes of the tile
    /// being filled, so appending continues exactly as if every leaf had been appended.
    pub fn restore<R: HashReader>(size: u64, hashes: &R) -> Result<Self, tlog_tiles::Error> {
        let needed = Frontier::needed_indexes(size);
        let read = hashes.read_hashes(&needed)?;
        let frontier = Frontier::restore(size, needed.into_iter().zip(read))?;
        let (mut pending, mut full_tiles) = (vec![], vec![]);
        for level in 0u8.. {
            let shift = u32::from(level) * u32::from(TILE_HEIGHT);
            let nodes = size.checked_shr(shift).unwrap_or(0);
            if nodes == 0 {
                break;
            }
            let (full, filled) = (nodes / TILE_WIDTH, nodes % TILE_WIDTH);
            let indexes: Vec<u64> = (full * TILE_WIDTH..full * TILE_WIDTH + filled)
                .map(|n| stored_hash_index(level * TILE_HEIGHT, n))
                .collect();
            let data: Vec<u8> = hashes
                .read_hashes(&indexes)?
                .iter()
                .flat_map(|h| h.0)
                .collect();
            pending.push(data);
            full_tiles.push(full);
        }
        Ok(Self {
            frontier,
            pending,
            full_tiles,
        })
    }

    /// Appends a leaf; returns the hash tiles it completed, with their contents.
    pub fn append(&mut self, leaf: Hash) -> Vec<(TilePath, Vec<u8>)> {
        self.frontier.append(leaf);
        let mut completed = vec![];
        let (mut level, mut hash) = (0, leaf);
        loop {
            if self.pending.len() <= level {
                self.pending.push(Vec::with_capacity(8192));
                self.full_tiles.push(0);
            }
            self.pending[level].extend_from_slice(&hash.0);
            if self.pending[level].len() as u64 != TILE_WIDTH * 32 {
                return completed;
            }
            let data = std::mem::take(&mut self.pending[level]);
            let index = self.full_tiles[level];
            self.full_tiles[level] += 1;
            hash = Tile::subtree_hash(&data);
            let tile_level = u8::try_from(level).expect("fewer than 256 tile levels");
            completed.push((TilePath::hashes(tile_level, index, 256), data));
            level += 1;
        }
    }

    /// At tile level `level`: how many full tiles there are, and the hashes of the tile
    /// being filled (possibly none).
    #[must_use]
    pub fn filling(&self, level: u8) -> Option<(u64, &[u8])> {
        let level = usize::from(level);
        Some((
            *self.full_tiles.get(level)?,
            self.pending.get(level)?.as_slice(),
        ))
    }

    /// The partial hash tiles of the tree, with their contents.
    #[must_use]
    pub fn partial_tiles(&self) -> Vec<(TilePath, Vec<u8>)> {
        self.pending
            .iter()
            .zip(&self.full_tiles)
            .enumerate()
            .filter(|(_, (data, _))| !data.is_empty())
            .map(|(level, (data, full))| {
                let width = u32::try_from(data.len() / 32).expect("a tile holds 256 hashes");
                let level = u8::try_from(level).expect("fewer than 256 tile levels");
                (TilePath::hashes(level, *full, width), data.clone())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use tlog_tiles::record_hash;
    use truce_log::proof::FetchedHashes;

    #[test]
    fn a_restored_tree_continues_as_the_original() {
        for size in [0u32, 1, 255, 256, 257, 256 * 256 + 300] {
            let mut tree = Tree::default();
            let mut frontier = Frontier::new();
            let mut stored = HashMap::new();
            for i in 0..size {
                tree.append(record_hash(&i.to_be_bytes()));
                stored.extend(frontier.append(record_hash(&i.to_be_bytes())));
            }
            let mut restored = Tree::restore(u64::from(size), &FetchedHashes(stored)).unwrap();
            assert_eq!(restored.root(), tree.root(), "{size}");
            assert_eq!(restored.partial_tiles(), tree.partial_tiles(), "{size}");
            for i in size..size + 300 {
                let leaf = record_hash(&i.to_be_bytes());
                assert_eq!(restored.append(leaf), tree.append(leaf), "{size} + {i}");
            }
            assert_eq!(restored.root(), tree.root());
        }
    }

    #[test]
    fn tiles_complete_at_256_and_levels_stack() {
        let mut tree = Tree::default();
        let mut completed = vec![];
        for i in 0..(256 * 256 + 3u32) {
            completed.extend(tree.append(record_hash(&i.to_be_bytes())));
        }
        assert_eq!(completed.len(), 256 + 1);
        assert_eq!(completed[255].0, TilePath::hashes(0, 255, 256));
        assert_eq!(completed[256].0, TilePath::hashes(1, 0, 256));
        let partial: Vec<TilePath> = tree.partial_tiles().into_iter().map(|t| t.0).collect();
        assert_eq!(
            partial,
            [TilePath::hashes(0, 256, 3), TilePath::hashes(2, 0, 1)]
        );
    }
}
