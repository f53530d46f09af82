//! The right edge of an RFC 6962 tree: enough to append leaves and compute the root.
//!
//! Appending leaf `n` needs only the newest complete subtree at each level (RFC 6962 §2.1),
//! and so does the root at any size. The frontier keeps exactly those, so appending a
//! million entries holds a few dozen hashes in memory. The hashes it returns use the
//! "stored hash" layout of Go's sumdb/tlog, which storage persists for tiles and proofs.

use std::collections::BTreeMap;

use tlog_tiles::{
    Error, Hash, HashReader, split_stored_hash_index, stored_hash_index,
    stored_hashes_for_record_hash, tree_hash,
};

#[derive(Debug, Clone, Default)]
pub struct Frontier {
    size: u64,
    /// Stored hash index to hash, for the newest node of each level.
    nodes: BTreeMap<u64, Hash>,
}

impl Frontier {
    /// The frontier of an empty tree.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The stored hash indexes a frontier of a tree of `size` leaves needs.
    #[must_use]
    pub fn needed_indexes(size: u64) -> Vec<u64> {
        (0..64u8)
            .take_while(|&level| (size >> level) > 0)
            .map(|level| stored_hash_index(level, (size >> level) - 1))
            .collect()
    }

    /// Restores a frontier from the hashes at [`Frontier::needed_indexes`].
    pub fn restore(
        size: u64,
        hashes: impl IntoIterator<Item = (u64, Hash)>,
    ) -> Result<Self, Error> {
        let nodes: BTreeMap<u64, Hash> = hashes.into_iter().collect();
        let needed = Self::needed_indexes(size);
        if needed.iter().any(|i| !nodes.contains_key(i)) {
            return Err(Error::IndexesNotInTree);
        }
        Ok(Self { size, nodes })
    }

    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf by its hash; returns the stored hashes to persist, with their indexes.
    pub fn append(&mut self, leaf_hash: Hash) -> Vec<(u64, Hash)> {
        let n = self.size;
        let hashes = stored_hashes_for_record_hash(n, leaf_hash, self)
            .expect("the frontier holds every hash an append reads");
        let first = stored_hash_index(0, n);
        let stored: Vec<(u64, Hash)> = (first..).zip(hashes).collect();
        for &(index, hash) in &stored {
            // Drop the node this one supersedes at the same level.
            let (level, position) = split_stored_hash_index(index);
            if position > 0 {
                self.nodes.remove(&stored_hash_index(level, position - 1));
            }
            self.nodes.insert(index, hash);
        }
        self.size += 1;
        stored
    }

    /// The root hash of the tree so far.
    #[must_use]
    pub fn root(&self) -> Hash {
        tree_hash(self.size, self).expect("the frontier holds every hash of the root")
    }
}

impl HashReader for Frontier {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        indexes
            .iter()
            .map(|i| self.nodes.get(i).copied().ok_or(Error::IndexesNotInTree))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tlog_tiles::record_hash;

    /// RFC 6962 MTH computed directly from its recursive definition.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => tlog_tiles::EMPTY_HASH,
            1 => leaves[0],
            n => {
                // The largest power of two smaller than n.
                let k = 1 << (usize::BITS - 1 - (n - 1).leading_zeros());
                tlog_tiles::node_hash(reference_root(&leaves[..k]), reference_root(&leaves[k..]))
            }
        }
    }

    #[test]
    fn roots_match_the_rfc6962_definition_for_every_size_up_to_300() {
        let mut frontier = Frontier::new();
        let mut leaves = vec![];
        for i in 0..300u32 {
            let leaf = record_hash(&i.to_be_bytes());
            leaves.push(leaf);
            frontier.append(leaf);
            assert_eq!(frontier.root(), reference_root(&leaves), "size {}", i + 1);
        }
    }

    #[test]
    fn the_frontier_stays_small() {
        let mut frontier = Frontier::new();
        for i in 0..10_000u32 {
            frontier.append(record_hash(&i.to_be_bytes()));
        }
        assert!(frontier.nodes.len() <= 64, "{} nodes", frontier.nodes.len());
    }

    #[test]
    fn a_restored_frontier_continues_like_the_original() {
        let mut all = BTreeMap::new();
        let mut frontier = Frontier::new();
        for i in 0..77u32 {
            all.extend(frontier.append(record_hash(&i.to_be_bytes())));
        }
        let needed = Frontier::needed_indexes(77);
        let mut restored = Frontier::restore(77, needed.iter().map(|i| (*i, all[i]))).unwrap();
        let leaf = record_hash(b"next");
        assert_eq!(restored.append(leaf), frontier.append(leaf));
        assert_eq!(restored.root(), frontier.root());
    }
}
