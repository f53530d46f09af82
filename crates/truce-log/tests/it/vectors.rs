//! The RFC 6962 inclusion and consistency proof test vectors (transparency-dev's
//! `testdata`, kept in `shared/data/tlog-vectors`), run through the `tlog_tiles` checks
//! that truce-log relies on.
//!
//! `subtreeconsistency/` (proofs that a subtree `[start, end)` sits in a tree, from the
//! Merkle Tree Certificates draft) runs through `truce_log::subtree`, which tlog-mirror's
//! `add-entries` uses. `subtreeinclusion/` is not run: Truce does not use that proof type.

use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use serde_json::Value;
use tlog_tiles::{Hash, check_record, check_tree};

/// Vectors whose expectation `tlog_tiles` (or `truce_log::subtree`) cannot meet, by path
/// under the vectors directory, each with the reason. The test asserts that they still disagree, so a change in the
/// vectors or in the library shows up here rather than passing silently.
const KNOWN_DIVERGENCES: &[(&str, &str)] = &[
    (
        "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json",
        "its roots are the 12-byte string \"don't care 2\" and it expects success: the Go \
         verifier compares the two roots byte for byte when size1 == size2 and never checks \
         their length, but tlog_tiles takes 32-byte hashes, so such a root cannot even be \
         expressed; an undecodable hash counts as an error here",
    ),
    (
        "subtreeconsistency/additional/sizes-are-equal-one-and-proof-is-empty.json",
        "the same 12-byte \"don't care 2\" roots, expecting success: not a 32-byte hash, so \
         it cannot be expressed here",
    ),
    (
        "subtreeconsistency/additional/subtree-is-empty-sizes-are-equal-one-subtree-root-valid-proof-is-empty.json",
        EMPTY_SUBTREE,
    ),
    (
        "subtreeconsistency/additional/subtree-is-empty-sizes-are-equal-one-subtree-root-valid-tree-root-random-proof-is-empty.json",
        EMPTY_SUBTREE,
    ),
    (
        "subtreeconsistency/additional/subtree-is-empty-sizes-are-equal-zero-subtree-root-valid-proof-is-empty.json",
        EMPTY_SUBTREE,
    ),
    (
        "subtreeconsistency/additional/subtree-is-empty-sizes-are-equal-zero-subtree-root-valid-tree-root-random-proof-is-empty.json",
        EMPTY_SUBTREE,
    ),
    (
        "subtreeconsistency/additional/subtree-is-empty-subtree-root-valid-proof-is-empty.json",
        EMPTY_SUBTREE,
    ),
    (
        "subtreeconsistency/additional/subtree-is-empty-subtree-root-valid-tree-root-random-proof-is-empty.json",
        EMPTY_SUBTREE,
    ),
];

/// Why `truce_log::subtree` refuses an empty subtree that the Go verifier accepts.
const EMPTY_SUBTREE: &str = "an empty subtree (start == end), which the Go verifier accepts \
     whatever the roots, as it proves nothing; the draft defines a subtree only for start < \
     end, and tlog-mirror's packages are never empty, so truce_log::subtree refuses it";

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/tlog-vectors")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    children.sort();
    for path in children {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            out.push(path);
        }
    }
}

/// A 32-byte base64 hash, or None if the string is not one (empty, truncated, garbage).
fn hash(value: &Value) -> Option<Hash> {
    let bytes = BASE64.decode(value.as_str()?).ok()?;
    Some(Hash(bytes.try_into().ok()?))
}

/// A proof's hashes; `null` (a Go nil slice, as the happy paths of size 1 have) is empty.
fn hashes(value: &Value) -> Option<Vec<Hash>> {
    if value.is_null() {
        return Some(vec![]);
    }
    value.as_array()?.iter().map(hash).collect()
}

fn number(vector: &Value, field: &str) -> u64 {
    vector[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} is not an unsigned integer"))
}

/// Whether the check succeeded; None when an input is not a 32-byte hash.
fn inclusion_verifies(vector: &Value) -> Option<bool> {
    let proof = hashes(&vector["proof"])?;
    let root = hash(&vector["root"])?;
    let leaf = hash(&vector["leafHash"])?;
    let (size, index) = (number(vector, "treeSize"), number(vector, "leafIdx"));
    Some(check_record(&proof, size, root, index, leaf).is_ok())
}

fn consistency_verifies(vector: &Value) -> Option<bool> {
    let proof = hashes(&vector["proof"])?;
    let (root1, root2) = (hash(&vector["root1"])?, hash(&vector["root2"])?);
    let (size1, size2) = (number(vector, "size1"), number(vector, "size2"));
    // check_tree(proof, new size, new root, old size, old root): the bigger tree first.
    Some(check_tree(&proof, size2, root2, size1, root1).is_ok())
}

/// The same vectors through the witness's check, where tlog-witness agrees with RFC 6962:
/// it differs only for an old size of 0 (the empty tree is consistent with any tree, with an
/// empty proof) and for sizes that are not 32-byte hashes, which cannot be expressed.
fn witness_check_verifies(vector: &Value) -> Option<bool> {
    use truce_log::consistency::{TreeHead, check};
    let proof = hashes(&vector["proof"])?;
    let old = TreeHead {
        size: number(vector, "size1"),
        root: hash(&vector["root1"])?,
    };
    let new = TreeHead {
        size: number(vector, "size2"),
        root: hash(&vector["root2"])?,
    };
    if old.size == 0 {
        return consistency_verifies(vector);
    }
    Some(check(old, new, &proof).is_ok())
}

/// A subtree consistency vector through `truce_log::subtree::verify`: `root1` is the
/// subtree's hash, `root2` the tree's root.
fn subtree_verifies(vector: &Value) -> Option<bool> {
    let proof = hashes(&vector["proof"])?;
    let (subtree, root) = (hash(&vector["root1"])?, hash(&vector["root2"])?);
    let (start, end, size) = (
        number(vector, "start"),
        number(vector, "end"),
        number(vector, "size"),
    );
    Some(truce_log::subtree::verify(start, end, size, &proof, subtree, root).is_ok())
}

/// Runs every vector under `kind`; returns how many ran and the failures.
fn run(kind: &str, verifies: fn(&Value) -> Option<bool>) -> (usize, Vec<String>) {
    let root = vectors_dir();
    let mut files = vec![];
    json_files(&root.join(kind), &mut files);
    let mut failures = vec![];
    for file in &files {
        let name = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let vector: Value = serde_json::from_slice(&std::fs::read(file).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let want_err = vector["wantErr"].as_bool().expect("wantErr is a boolean");
        // tlog_tiles documents panics only on its own internal math errors; a vector that
        // made it panic would be a library bug, reported as a failure rather than aborting
        // the run.
        let Ok(verified) = catch_unwind(AssertUnwindSafe(|| verifies(&vector))) else {
            failures.push(format!("{name}: tlog_tiles panicked"));
            continue;
        };
        let got_err = !verified.unwrap_or(false);
        let known = KNOWN_DIVERGENCES.iter().find(|(path, _)| *path == name);
        match (got_err == want_err, known) {
            (true, None) | (false, Some(_)) => {}
            (true, Some(_)) => failures.push(format!(
                "{name}: listed as a known divergence but now agrees; remove it from the list"
            )),
            (false, None) => failures.push(format!(
                "{name}: wantErr {want_err} but got error {got_err} ({})",
                vector["desc"]
            )),
        }
    }
    (files.len(), failures)
}

#[test]
fn the_rfc6962_inclusion_and_consistency_vectors_pass() {
    let dir = vectors_dir();
    if !dir.is_dir() {
        let _ = writeln!(
            std::io::stderr(),
            "tlog-vectors absent at {}: RFC 6962 vector test SKIPPED",
            dir.display()
        );
        return;
    }
    let (inclusion, mut failures) = run("inclusion", inclusion_verifies);
    let (consistency, more) = run("consistency", consistency_verifies);
    failures.extend(more);
    let (_, more) = run("consistency", witness_check_verifies);
    failures.extend(more.into_iter().map(|f| format!("witness check: {f}")));
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        inclusion + consistency,
        failures.join("\n")
    );
    assert!(inclusion >= 75, "only {inclusion} inclusion vectors ran");
    assert!(
        consistency >= 75,
        "only {consistency} consistency vectors ran"
    );
    assert!(
        inclusion + consistency >= 150,
        "only {} vectors ran",
        inclusion + consistency
    );
}

#[test]
fn the_subtree_consistency_vectors_pass() {
    let dir = vectors_dir();
    if !dir.is_dir() {
        let _ = writeln!(
            std::io::stderr(),
            "tlog-vectors absent at {}: subtree consistency vector test SKIPPED",
            dir.display()
        );
        return;
    }
    let (ran, failures) = run("subtreeconsistency", subtree_verifies);
    assert!(
        failures.is_empty(),
        "{} of {ran} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ran >= 100, "only {ran} subtree consistency vectors ran");
}
