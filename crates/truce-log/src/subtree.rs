//! Subtrees and subtree consistency proofs (draft-ietf-plants-merkle-tree-certs-02,
//! "Subtrees" and "Subtree consistency proofs"), which tlog-mirror's `add-entries` uses to
//! authenticate each package of up to 256 entries against a checkpoint on its own.
//!
//! A subtree `[start, end)` is valid when `start < end` and `start` is a multiple of
//! `BIT_CEIL(end - start)`; its hash is `MTH(D[start:end])`. The proof that it sits at
//! those positions in the tree of `n` leaves is the draft's `SUBTREE_PROOF(start, end,
//! D_n)`: the recursion splits the tree at the largest power of two below its size and
//! appends the hash of the other side at each step, so the verifier rebuilds both the
//! subtree hash and the root by walking the same recursion back.

use tlog_tiles::{Error, Hash, HashReader, node_hash, sub_tree_index};

/// Why a subtree consistency proof was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SubtreeError {
    #[error(
        "[{start}, {end}) is not a subtree: start must be below end and a multiple of the size rounded up to a power of two"
    )]
    Invalid { start: u64, end: u64 },
    #[error("the subtree [{start}, {end}) ends beyond the tree of size {size}")]
    BeyondTree { start: u64, end: u64, size: u64 },
    #[error("the proof has {0} hashes, not the number the subtree's position takes")]
    Length(usize),
    #[error("the proof does not lead from the subtree's hash to the tree's root")]
    Mismatch,
}

/// Whether `[start, end)` is a subtree in the draft's sense.
#[must_use]
pub fn is_valid(start: u64, end: u64) -> bool {
    start < end && u128::from(start) % u128::from(end - start).next_power_of_two() == 0
}

fn check_position(start: u64, end: u64, size: u64) -> Result<(), SubtreeError> {
    if !is_valid(start, end) {
        return Err(SubtreeError::Invalid { start, end });
    }
    if end > size {
        return Err(SubtreeError::BeyondTree { start, end, size });
    }
    Ok(())
}

/// The largest power of two strictly below `n` (`n > 1`): where RFC 6962 splits a tree.
fn split(n: u64) -> u64 {
    1 << (n - 1).ilog2()
}

/// `MTH` of consecutive leaf hashes (at most a tile's worth in practice).
#[must_use]
pub fn root_of(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => tlog_tiles::EMPTY_HASH,
        1 => leaves[0],
        n => {
            let k = usize::try_from(split(n as u64)).expect("below n");
            node_hash(root_of(&leaves[..k]), root_of(&leaves[k..]))
        }
    }
}

/// The ranges `[lo, hi)` whose hashes make up `SUBTREE_PROOF(start, end, D_size)`, in
/// proof order.
pub fn proof_ranges(start: u64, end: u64, size: u64) -> Result<Vec<(u64, u64)>, SubtreeError> {
    check_position(start, end, size)?;
    let mut ranges = vec![];
    subproof_ranges(start, end, 0, size, true, &mut ranges);
    Ok(ranges)
}

/// `SUBTREE_SUBPROOF` over the window `[lo, hi)` of the tree, in absolute positions;
/// `known` is the draft's flag: the verifier already holds the hash of `[start, end)`.
fn subproof_ranges(start: u64, end: u64, lo: u64, hi: u64, known: bool, out: &mut Vec<(u64, u64)>) {
    if start == lo && end == hi {
        if !known {
            out.push((lo, hi));
        }
        return;
    }
    let mid = lo + split(hi - lo);
    if end <= mid {
        subproof_ranges(start, end, lo, mid, known, out);
        out.push((mid, hi));
    } else if mid <= start {
        subproof_ranges(start, end, mid, hi, known, out);
        out.push((lo, mid));
    } else {
        // The subtree straddles the split, so (being valid) it starts at `lo`: the
        // verifier needs the right part's hash, which it does not hold.
        subproof_ranges(mid, end, mid, hi, false, out);
        out.push((lo, mid));
    }
}

/// `SUBTREE_PROOF(start, end, D_size)`, from the tree's stored hashes (one read).
pub fn prove<R: HashReader>(
    start: u64,
    end: u64,
    size: u64,
    hashes: &R,
) -> Result<Vec<Hash>, Error> {
    let ranges = proof_ranges(start, end, size).map_err(|e| Error::InvalidInput(e.to_string()))?;
    let indexes: Vec<Vec<u64>> = ranges
        .iter()
        .map(|&(lo, hi)| sub_tree_index(lo, hi, vec![]))
        .collect();
    let read = hashes.read_hashes(&indexes.concat())?;
    let mut read = read.into_iter();
    Ok(indexes
        .iter()
        .map(|range| {
            let parts: Vec<Hash> = read.by_ref().take(range.len()).collect();
            let last = *parts.last().expect("a range is not empty");
            parts[..parts.len() - 1]
                .iter()
                .rev()
                .fold(last, |right, left| node_hash(*left, right))
        })
        .collect())
}

/// Checks that `proof` shows the subtree `[start, end)` with hash `subtree` sits at those
/// positions in the tree of `size` leaves whose root is `root`.
pub fn verify(
    start: u64,
    end: u64,
    size: u64,
    proof: &[Hash],
    subtree: Hash,
    root: Hash,
) -> Result<(), SubtreeError> {
    check_position(start, end, size)?;
    let mut remaining = proof;
    let (rebuilt_subtree, rebuilt_root) =
        rebuild(start, end, 0, size, true, subtree, &mut remaining)?;
    if !remaining.is_empty() {
        return Err(SubtreeError::Length(proof.len()));
    }
    if rebuilt_subtree != subtree || rebuilt_root != root {
        return Err(SubtreeError::Mismatch);
    }
    Ok(())
}

/// Walks [`subproof_ranges`]'s recursion, taking the proof's hashes from its end (the
/// outermost sibling is last); returns the subtree's hash and the window's hash rebuilt.
fn rebuild(
    start: u64,
    end: u64,
    lo: u64,
    hi: u64,
    known: bool,
    subtree: Hash,
    proof: &mut &[Hash],
) -> Result<(Hash, Hash), SubtreeError> {
    let total = proof.len();
    let take_last = |proof: &mut &[Hash]| {
        let (last, rest) = proof.split_last().ok_or(SubtreeError::Length(total))?;
        *proof = rest;
        Ok::<Hash, SubtreeError>(*last)
    };
    if start == lo && end == hi {
        if known {
            return Ok((subtree, subtree));
        }
        let hash = take_last(proof)?;
        return Ok((hash, hash));
    }
    let mid = lo + split(hi - lo);
    let sibling = take_last(proof)?;
    if end <= mid {
        let (sub, left) = rebuild(start, end, lo, mid, known, subtree, proof)?;
        Ok((sub, node_hash(left, sibling)))
    } else if mid <= start {
        let (sub, right) = rebuild(start, end, mid, hi, known, subtree, proof)?;
        Ok((sub, node_hash(sibling, right)))
    } else {
        let (part, right) = rebuild(mid, end, mid, hi, false, subtree, proof)?;
        Ok((node_hash(sibling, part), node_hash(sibling, right)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Frontier;
    use crate::proof::FetchedHashes;
    use std::collections::HashMap;
    use tlog_tiles::record_hash;

    /// The leaf hashes and every stored hash of a tree of `size` leaves.
    fn tree(size: u64) -> (Vec<Hash>, FetchedHashes) {
        let mut frontier = Frontier::new();
        let mut stored = HashMap::new();
        let leaves: Vec<Hash> = (0..size).map(|i| record_hash(&i.to_be_bytes())).collect();
        for leaf in &leaves {
            stored.extend(frontier.append(*leaf));
        }
        (leaves, FetchedHashes(stored))
    }

    fn subtrees(size: u64) -> impl Iterator<Item = (u64, u64)> {
        (0..size).flat_map(move |start| {
            (start + 1..=size)
                .filter(move |&end| is_valid(start, end))
                .map(move |end| (start, end))
        })
    }

    #[test]
    fn proofs_for_every_subtree_of_trees_up_to_70_verify() {
        for size in 1..=70 {
            let (leaves, stored) = tree(size);
            let root = root_of(&leaves);
            for (start, end) in subtrees(size) {
                let hash = root_of(&leaves[start as usize..end as usize]);
                let proof = prove(start, end, size, &stored).unwrap();
                assert!(proof.len() <= 63);
                verify(start, end, size, &proof, hash, root)
                    .unwrap_or_else(|e| panic!("[{start}, {end}) in {size}: {e}"));
            }
        }
    }

    #[test]
    fn the_edge_cases_hold() {
        let (leaves, stored) = tree(13);
        let root = root_of(&leaves);
        // The whole tree: an empty proof.
        assert!(prove(0, 13, 13, &stored).unwrap().is_empty());
        verify(0, 13, 13, &[], root, root).unwrap();
        // A single leaf, anywhere, including the last.
        for i in 0..13 {
            let proof = prove(i, i + 1, 13, &stored).unwrap();
            verify(i, i + 1, 13, &proof, leaves[i as usize], root).unwrap();
        }
        // A subtree ending at the tree's end, and a tile-like package at a large size.
        let proof = prove(12, 13, 13, &stored).unwrap();
        verify(12, 13, 13, &proof, leaves[12], root).unwrap();
        let (big, stored) = tree(1000);
        let proof = prove(768, 1000, 1000, &stored).unwrap();
        verify(768, 1000, 1000, &proof, root_of(&big[768..]), root_of(&big)).unwrap();
        // Starting at 0, it is RFC 6962's consistency proof.
        let rfc = tlog_tiles::prove_tree(1000, 256, &stored).unwrap();
        assert_eq!(prove(0, 256, 1000, &stored).unwrap(), rfc);
    }

    #[test]
    fn anything_altered_fails() {
        let size = 37;
        let (leaves, stored) = tree(size);
        let root = root_of(&leaves);
        for (start, end) in subtrees(size).filter(|&(s, e)| (s, e) != (0, size)) {
            let hash = root_of(&leaves[start as usize..end as usize]);
            let proof = prove(start, end, size, &stored).unwrap();
            for i in 0..proof.len() {
                let mut altered = proof.clone();
                altered[i].0[0] ^= 1;
                assert!(verify(start, end, size, &altered, hash, root).is_err());
            }
            let wrong = record_hash(b"another");
            assert!(verify(start, end, size, &proof, wrong, root).is_err());
            assert!(verify(start, end, size, &proof, hash, wrong).is_err());
            // The size is not hashed: a wrong size is caught where it changes the proof's
            // shape (the checkpoint's signature binds the real one).
            for wrong in [size - 1, size + 1, size * 2] {
                let shape = proof_ranges(start, end, wrong).map(|r| r.len());
                if shape != Ok(proof.len()) || end == size {
                    assert!(verify(start, end, wrong, &proof, hash, root).is_err());
                }
            }
            let mut longer = proof.clone();
            longer.push(wrong);
            assert!(verify(start, end, size, &longer, hash, root).is_err());
            assert!(verify(start, end, size, &proof[..proof.len() - 1], hash, root).is_err());
        }
    }

    #[test]
    fn invalid_positions_are_refused_by_name() {
        assert_eq!(
            verify(1, 3, 8, &[], Hash([0; 32]), Hash([0; 32])),
            Err(SubtreeError::Invalid { start: 1, end: 3 })
        );
        assert_eq!(
            verify(4, 4, 8, &[], Hash([0; 32]), Hash([0; 32])),
            Err(SubtreeError::Invalid { start: 4, end: 4 })
        );
        assert_eq!(
            proof_ranges(8, 12, 10),
            Err(SubtreeError::BeyondTree {
                start: 8,
                end: 12,
                size: 10
            })
        );
    }
}
