//! Properties of the tree, the proofs, entries, checkpoints and tiles, over random inputs.
//!
//! Each property runs 64 cases so that the suite stays fast in debug builds.

use std::collections::HashMap;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use tlog_tiles::{Hash, Tile, check_record, check_tree, prove_record, prove_tree, tree_hash};
use truce_core::LogState;
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::audit::compare_tile;
use truce_log::proof::FetchedHashes;
use truce_log::tiles::TilePath;
use truce_log::{Frontier, LogSigner, SignedCheckpoint, SignedEntry, record_hash};

/// A tree of random leaves, with every stored hash.
struct Tree {
    leaves: Vec<Hash>,
    hashes: FetchedHashes,
    /// The root the frontier reported at each size asked for.
    roots: HashMap<u64, Hash>,
}

impl Tree {
    /// A tree of `size` leaves, keeping the frontier's root at each of `sizes` (and `size`).
    fn new(size: u64, seed: u64, sizes: &[u64]) -> Self {
        let mut frontier = Frontier::new();
        let mut hashes = HashMap::new();
        let mut roots = HashMap::new();
        let leaves: Vec<Hash> = (0..size)
            .map(|i| record_hash(format!("leaf {seed} {i}").as_bytes()))
            .collect();
        for leaf in &leaves {
            if sizes.contains(&frontier.size()) {
                roots.insert(frontier.size(), frontier.root());
            }
            hashes.extend(frontier.append(*leaf));
        }
        roots.insert(size, frontier.root());
        Self {
            leaves,
            hashes: FetchedHashes(hashes),
            roots,
        }
    }

    fn root(&self, size: u64) -> Hash {
        self.roots[&size]
    }

    fn leaf(&self, index: u64) -> Hash {
        self.leaves[usize::try_from(index).unwrap()]
    }
}

/// A tree size and a leaf index below it.
fn size_and_leaf(sizes: std::ops::RangeInclusive<u64>) -> impl Strategy<Value = (u64, u64)> {
    sizes.prop_flat_map(|t| (Just(t), 0..t))
}

/// A demo entry, the length of its signed text, and the state of the log just before it.
struct Fixture {
    note: Vec<u8>,
    text_len: usize,
    state: LogState,
}

/// The entries of the demos of seeds 1 and 2.
fn fixtures() -> &'static [Fixture] {
    static FIXTURES: OnceLock<Vec<Fixture>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut fixtures = vec![];
        for seed in [1, 2] {
            let mut state = LogState::new();
            for note in Exercise::from_seed(DEMO_ORIGIN, seed).entries() {
                let entry = SignedEntry::parse(note.clone()).unwrap();
                let admission = state.admit(entry.view(), None).unwrap();
                fixtures.push(Fixture {
                    text_len: entry.text().len(),
                    note,
                    state: state.clone(),
                });
                state.apply(admission, entry.leaf_hash().0);
            }
        }
        fixtures
    })
}

fn log_signer() -> &'static LogSigner {
    static SIGNER: OnceLock<LogSigner> = OnceLock::new();
    SIGNER.get_or_init(|| LogSigner::new(Exercise::from_seed(DEMO_ORIGIN, 1).log_key))
}

/// Whether `note` passes everything the log checks, after `state`.
fn accepted(note: Vec<u8>, state: &LogState) -> bool {
    let Ok(entry) = SignedEntry::parse(note) else {
        return false;
    };
    let Ok(admission) = state.admit(entry.view(), None) else {
        return false;
    };
    admission.signers.iter().all(|key| entry.verify(key))
}

fn with_byte_changed(bytes: &[u8], at: Index, xor: u8) -> (usize, Vec<u8>) {
    let position = at.index(bytes.len());
    let mut changed = bytes.to_vec();
    changed[position] ^= xor;
    (position, changed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn an_inclusion_proof_verifies_against_the_root_the_frontier_reports(
        (size, leaf) in size_and_leaf(1..=600),
        seed in any::<u64>(),
    ) {
        let tree = Tree::new(size, seed, &[]);
        let proof = prove_record(size, leaf, &tree.hashes).unwrap();
        let root = tree_hash(size, &tree.hashes).unwrap();
        prop_assert_eq!(root, tree.root(size));
        prop_assert!(check_record(&proof, size, root, leaf, tree.leaf(leaf)).is_ok());
    }

    #[test]
    fn a_consistency_proof_verifies_between_any_two_sizes(
        (size, old) in (1..=600u64).prop_flat_map(|t| (Just(t), 1..=t)),
        seed in any::<u64>(),
    ) {
        let tree = Tree::new(size, seed, &[old, old - 1]);
        let proof = prove_tree(size, old, &tree.hashes).unwrap();
        prop_assert!(check_tree(&proof, size, tree.root(size), old, tree.root(old)).is_ok());
        if old < size {
            // The same proof does not vouch for an old root the tree never had.
            let forged = tree.root(old - 1);
            prop_assert!(check_tree(&proof, size, tree.root(size), old, forged).is_err());
        }
    }

    #[test]
    fn an_inclusion_proof_with_a_changed_byte_or_another_leaf_fails(
        (size, leaf) in size_and_leaf(2..=600),
        seed in any::<u64>(),
        (which, byte) in (any::<Index>(), 0..32usize),
        xor in 1..=255u8,
        other in any::<Index>(),
    ) {
        let tree = Tree::new(size, seed, &[]);
        let root = tree.root(size);
        let proof = prove_record(size, leaf, &tree.hashes).unwrap();
        let mut bad = proof.clone();
        let at = which.index(bad.len());
        bad[at].0[byte] ^= xor;
        prop_assert!(check_record(&bad, size, root, leaf, tree.leaf(leaf)).is_err());

        let mut other = u64::try_from(other.index(tree.leaves.len())).unwrap();
        if other == leaf {
            other = (leaf + 1) % size;
        }
        prop_assert_ne!(tree.leaf(other), tree.leaf(leaf));
        prop_assert!(check_record(&proof, size, root, leaf, tree.leaf(other)).is_err());
    }

    #[test]
    fn a_one_byte_change_to_an_entry_is_always_detected(
        (entry, at) in (any::<Index>(), any::<Index>()),
        in_signature_lines in any::<bool>(),
        xor in 1..=255u8,
    ) {
        let Fixture { note, text_len, state } = entry.get(fixtures());
        prop_assert!(accepted(note.clone(), state), "the original entry must be accepted");
        // Half the changes hit the signature lines, which are a small part of a note.
        let position = if in_signature_lines {
            text_len + at.index(note.len() - text_len)
        } else {
            at.index(note.len())
        };
        let mut changed = note.clone();
        changed[position] ^= xor;
        prop_assert_ne!(record_hash(&changed), record_hash(note));
        prop_assert!(
            !accepted(changed.clone(), state),
            "byte {} changed (^{:#04x}) and still accepted:\n{}",
            position,
            xor,
            String::from_utf8_lossy(&changed)
        );
    }

    #[test]
    fn a_one_byte_change_to_a_checkpoint_never_verifies(
        size in 1..=1_000_000_000u64,
        root in any::<[u8; 32]>(),
        at in any::<Index>(),
        xor in 1..=255u8,
    ) {
        let signer = log_signer();
        let signed = signer.sign(size, Hash(root));
        prop_assert_eq!(SignedCheckpoint::verify(&signed.note, &signer.vkey()), Ok(signed.clone()));
        let (position, changed) = with_byte_changed(&signed.note, at, xor);
        let verified = SignedCheckpoint::verify(&changed, &signer.vkey());
        prop_assert!(
            verified.is_err(),
            "byte {} changed (^{:#04x}) and the checkpoint still verifies: {:?}",
            position,
            xor,
            verified
        );
    }

    #[test]
    fn a_one_byte_change_to_a_full_tile_is_detected(
        size in 256..=600u64,
        seed in any::<u64>(),
        at in any::<Index>(),
        xor in 1..=255u8,
    ) {
        let tree = Tree::new(size, seed, &[256]);
        let tile = Tile::new(8, 0, 0, 256, false).read_data(&tree.hashes).unwrap();
        let leaves: Vec<u8> = tree.leaves[..256].iter().flat_map(|h| h.0).collect();
        prop_assert_eq!(&tile, &leaves, "a level-0 tile is its leaf hashes");
        prop_assert_eq!(Tile::subtree_hash(&tile), tree.root(256));

        let path = TilePath::hashes(0, 0, 256);
        prop_assert!(compare_tile(&path, &tile, &tile).is_ok());
        let (_, changed) = with_byte_changed(&tile, at, xor);
        let err = compare_tile(&path, &tile, &changed).unwrap_err();
        prop_assert!(err.to_string().starts_with("tile/0/000:"), "{}", err);
    }
}
