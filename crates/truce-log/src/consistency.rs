//! RFC 6962 §2.1.2 consistency between two tree heads, with the rules C2SP tlog-witness
//! adds for sizes zero and equal: the checks a witness runs before it cosigns.

use tlog_tiles::{EMPTY_HASH, Hash, HashReader, check_tree, prove_tree};

/// The most proof lines a tlog-witness request may carry.
pub const PROOF_HASHES_MAX: usize = 63;

/// Why a new tree head is not consistent with an old one. The tlog-witness status for each
/// is in [`ConsistencyError::is_bad_request`] (400) or otherwise 422.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConsistencyError {
    #[error("the old size {old} is larger than the checkpoint's size {new}")]
    OldSizeTooLarge { old: u64, new: u64 },
    #[error("a checkpoint of size 0 must have the empty tree's root hash")]
    EmptyTreeRoot,
    #[error("the old size is 0, so the consistency proof must be empty")]
    ProofNotEmpty,
    #[error("the sizes are equal ({0}) but the root hashes differ")]
    SameSizeDifferentRoot(u64),
    #[error("the consistency proof from size {old} to {new} does not verify")]
    Proof { old: u64, new: u64 },
}

impl ConsistencyError {
    /// Whether tlog-witness answers this with 400 Bad Request (else 422).
    #[must_use]
    pub fn is_bad_request(&self) -> bool {
        matches!(self, Self::OldSizeTooLarge { .. })
    }
}

/// A tree head: a size and its root hash.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TreeHead {
    pub size: u64,
    pub root: Hash,
}

impl TreeHead {
    /// The empty tree (what a witness holds for a log it never cosigned).
    pub const EMPTY: Self = Self {
        size: 0,
        root: EMPTY_HASH,
    };
}

/// Checks that `new` extends `old` by `proof`, as tlog-witness's add-checkpoint does: an
/// empty old tree is consistent with anything (and takes no proof); equal sizes need
/// equal roots; otherwise the RFC 6962 proof must lead from `old` to `new`.
pub fn check(old: TreeHead, new: TreeHead, proof: &[Hash]) -> Result<(), ConsistencyError> {
    if old.size > new.size {
        return Err(ConsistencyError::OldSizeTooLarge {
            old: old.size,
            new: new.size,
        });
    }
    if new.size == 0 && new.root != EMPTY_HASH {
        return Err(ConsistencyError::EmptyTreeRoot);
    }
    if old.size == 0 {
        return if proof.is_empty() {
            Ok(())
        } else {
            Err(ConsistencyError::ProofNotEmpty)
        };
    }
    if old.size == new.size && old.root != new.root {
        return Err(ConsistencyError::SameSizeDifferentRoot(old.size));
    }
    check_tree(&proof.to_vec(), new.size, new.root, old.size, old.root).map_err(|_| {
        ConsistencyError::Proof {
            old: old.size,
            new: new.size,
        }
    })
}

/// The proof that the tree of `new_size` leaves extends the one of `old_size` (empty when
/// `old_size` is 0 or equal), read from stored hashes.
pub fn prove<R: HashReader>(
    old_size: u64,
    new_size: u64,
    hashes: &R,
) -> Result<Vec<Hash>, tlog_tiles::Error> {
    if old_size == 0 {
        return Ok(vec![]);
    }
    prove_tree(new_size, old_size, hashes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Frontier;
    use std::collections::HashMap;
    use tlog_tiles::record_hash;

    /// Every stored hash of a tree of `size` leaves, and its root.
    fn tree(size: u32) -> (crate::proof::FetchedHashes, Hash) {
        let mut frontier = Frontier::new();
        let mut all = HashMap::new();
        for i in 0..size {
            all.extend(frontier.append(record_hash(&i.to_be_bytes())));
        }
        (crate::proof::FetchedHashes(all), frontier.root())
    }

    fn head(size: u32) -> TreeHead {
        TreeHead {
            size: u64::from(size),
            root: tree(size).1,
        }
    }

    #[test]
    fn every_proof_between_sizes_up_to_40_verifies() {
        let (hashes, _) = tree(40);
        for new in 1..=40 {
            for old in 0..=new {
                let proof = prove(u64::from(old), u64::from(new), &hashes).unwrap();
                assert!(proof.len() <= PROOF_HASHES_MAX);
                check(head(old), head(new), &proof).unwrap_or_else(|e| panic!("{old}->{new}: {e}"));
            }
        }
    }

    #[test]
    fn a_proof_against_another_tree_fails() {
        let (hashes, _) = tree(20);
        let proof = prove(7, 20, &hashes).unwrap();
        let forged = TreeHead {
            size: 7,
            root: record_hash(b"another history"),
        };
        assert_eq!(
            check(forged, head(20), &proof),
            Err(ConsistencyError::Proof { old: 7, new: 20 })
        );
    }

    #[test]
    fn the_witness_rules_for_sizes_zero_and_equal_hold() {
        let (hashes, _) = tree(5);
        let proof = prove(3, 5, &hashes).unwrap();
        assert_eq!(
            check(TreeHead::EMPTY, head(5), &proof),
            Err(ConsistencyError::ProofNotEmpty)
        );
        let not_empty = TreeHead {
            size: 0,
            root: head(1).root,
        };
        assert_eq!(
            check(TreeHead::EMPTY, not_empty, &[]),
            Err(ConsistencyError::EmptyTreeRoot)
        );
        assert_eq!(check(TreeHead::EMPTY, TreeHead::EMPTY, &[]), Ok(()));
        let split = TreeHead {
            size: 5,
            root: record_hash(b"fork"),
        };
        assert_eq!(
            check(head(5), split, &[]),
            Err(ConsistencyError::SameSizeDifferentRoot(5))
        );
        let error = check(head(5), head(3), &[]).unwrap_err();
        assert!(error.is_bad_request());
    }
}
