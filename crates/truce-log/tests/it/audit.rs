//! The auditor, run over a log of the demo entries and 600 more: a faithful log audits
//! clean, and each way of tampering with it is caught and named.
//!
//! Unoptimised Ed25519 verification costs milliseconds a signature, so only the test of a
//! faithful log (which compares the tiles) audits all 609 entries; the others audit the log
//! as of its checkpoint at [`SHORT`] entries, or stop at the entry they tamper with.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use serde_json::json;
use tlog_tiles::{Hash, Tile};
use truce_core::kinds::KEY_REGISTERED;
use truce_core::{KeyName, LogState, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::audit::{AuditError, AuditSummary, Auditor, Resume, compare_tile};
use truce_log::proof::FetchedHashes;
use truce_log::{Author, Frontier, KeyPair, LogSigner, SignedCheckpoint, SignedEntry};

/// Extra entries after the demo's nine: device registrations by the `jmt` root, except one
/// registration by the `pk` root in the middle, which no later entry chains to.
const EXTRA: usize = 600;
/// The index of the `pk` root's registration.
const LONE: usize = 100;
/// The size of the earlier checkpoint most tests audit against.
const SHORT: usize = 128;

/// The log: its entries, their leaf hashes, every stored hash, and its checkpoint.
struct Log {
    exercise: Exercise,
    notes: Vec<Vec<u8>>,
    leaves: Vec<Hash>,
    hashes: FetchedHashes,
    /// The root at each size, from the frontier.
    roots: Vec<Hash>,
    checkpoint: SignedCheckpoint,
}

impl Log {
    fn size(&self) -> u64 {
        self.notes.len() as u64
    }

    fn signer(&self) -> LogSigner {
        LogSigner::new(self.exercise.log_key.clone())
    }

    fn vkey(&self) -> String {
        self.exercise.log_key.vkey()
    }

    fn auditor(&self, prior: Option<(u64, Hash)>) -> Auditor {
        Auditor::new(self.checkpoint.clone(), &self.vkey(), prior).unwrap()
    }

    /// An auditor of the log as of its checkpoint at `size` entries.
    fn auditor_at(&self, size: usize, prior: Option<(u64, Hash)>) -> Auditor {
        let checkpoint = self.signer().sign(size as u64, self.roots[size]);
        Auditor::new(checkpoint, &self.vkey(), prior).unwrap()
    }

    /// The first `size` entries.
    fn prefix(&self, size: usize) -> Vec<Vec<u8>> {
        self.notes[..size].to_vec()
    }

    /// The same entry as `notes[index]`, by the same author at the same place in its
    /// chain, registering another key instead: validly signed, but not what was logged.
    fn forged(&self, index: usize) -> Vec<u8> {
        let entry = SignedEntry::parse(self.notes[index].clone()).unwrap();
        let mut envelope = entry.envelope().clone();
        let delegation = envelope.payload["delegation"].as_str().unwrap().to_string();
        let key = key(&format!("{delegation}/forged-{index}"));
        envelope.payload = registration(&delegation, &key, "device");
        let author = if delegation == "pk" { "pk" } else { "jmt" };
        SignedEntry::sign(&envelope, &[self.exercise.root(author)])
    }
}

fn key(suffix: &str) -> KeyPair {
    let name = KeyName::parse(format!("{DEMO_ORIGIN}/{suffix}")).unwrap();
    KeyPair::from_seed(&name, tlog_tiles::record_hash(name.as_str().as_bytes()).0)
}

fn registration(delegation: &str, key: &KeyPair, role: &str) -> serde_json::Value {
    json!({
        "delegation": delegation,
        "name": key.name().as_str(),
        "role": role,
        "vkey": key.vkey(),
    })
}

fn log() -> &'static Log {
    static LOG: OnceLock<Log> = OnceLock::new();
    LOG.get_or_init(|| {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
        let mut notes = exercise.entries();
        // The roots continue their chains from where the demo left them.
        let mut state = LogState::new();
        for note in &notes {
            let entry = SignedEntry::parse(note.clone()).unwrap();
            let admission = state.admit(entry.view(), None).unwrap();
            state.apply(admission, entry.leaf_hash().0);
        }
        let resume = |delegation: &str| {
            let key = exercise.root(delegation);
            let head = state.author(key.name()).unwrap();
            Author::resume(
                key.clone(),
                DEMO_ORIGIN,
                head.seq,
                Some(head.last_leaf_hash),
            )
        };
        let (mut jmt, mut pk) = (resume("jmt"), resume("pk"));
        let start = Timestamp::parse("2025-11-06T00:00:00Z")
            .unwrap()
            .unix_seconds();
        for i in 0..EXTRA {
            let time = Timestamp::from_unix_seconds(start + i64::try_from(i).unwrap());
            notes.push(if notes.len() == LONE {
                pk.write(
                    KEY_REGISTERED,
                    registration("pk", &key("pk/liaison-2"), "liaison"),
                    time,
                )
            } else {
                let device = key(&format!("jmt/device-{i}"));
                jmt.write(KEY_REGISTERED, registration("jmt", &device, "device"), time)
            });
        }
        let mut frontier = Frontier::new();
        let mut hashes = HashMap::new();
        let mut roots = vec![frontier.root()];
        let leaves: Vec<Hash> = notes.iter().map(|n| tlog_tiles::record_hash(n)).collect();
        for leaf in &leaves {
            hashes.extend(frontier.append(*leaf));
            roots.push(frontier.root());
        }
        let checkpoint =
            LogSigner::new(exercise.log_key.clone()).sign(frontier.size(), frontier.root());
        Log {
            exercise,
            notes,
            leaves,
            hashes: FetchedHashes(hashes),
            roots,
            checkpoint,
        }
    })
}

/// The tiles of a tree with these leaves, computed from the RFC 6962 definition: level-0
/// tiles hold the leaf hashes, level-1 tiles the roots of full level-0 tiles.
fn expected_tiles(leaves: &[Hash]) -> BTreeMap<String, Vec<u8>> {
    let mut tiles = BTreeMap::new();
    let mut level: Vec<Hash> = leaves.to_vec();
    for l in 0u8.. {
        if level.is_empty() {
            break;
        }
        let mut next = vec![];
        for (n, chunk) in level.chunks(256).enumerate() {
            let data: Vec<u8> = chunk.iter().flat_map(|h| h.0).collect();
            let width = u32::try_from(chunk.len()).unwrap();
            let tile = Tile::new(8, l, n as u64, width, false);
            if width == 256 {
                next.push(Tile::subtree_hash(&data));
            }
            tiles.insert(c2sp_path(&tile.path()), data);
        }
        level = next;
    }
    tiles
}

/// `tile/8/0/001.p/5` (Go) as `tile/0/001.p/5` (C2SP).
fn c2sp_path(go: &str) -> String {
    go.replacen("tile/8/", "tile/", 1)
}

/// Audits `notes` against `auditor` in chunks of 256; returns the tiles it produced.
fn audit(
    mut auditor: Auditor,
    notes: &[Vec<u8>],
) -> (Result<AuditSummary, AuditError>, BTreeMap<String, Vec<u8>>) {
    let mut tiles = BTreeMap::new();
    for chunk in notes.chunks(256) {
        let refs: Vec<&[u8]> = chunk.iter().map(Vec::as_slice).collect();
        if let Err(e) = auditor.push_entries(&refs) {
            return (Err(e), tiles);
        }
        tiles.extend(
            auditor
                .take_full_tiles()
                .into_iter()
                .map(|(p, d)| (p.path(), d)),
        );
    }
    match auditor.last_tiles() {
        Ok(last) => tiles.extend(last.into_iter().map(|(p, d)| (p.path(), d))),
        Err(e) => return (Err(e), tiles),
    }
    (auditor.finish(), tiles)
}

fn entry_error(result: Result<AuditSummary, AuditError>) -> (u64, String) {
    match result {
        Err(AuditError::Entry { index, reason }) => (index, reason),
        other => panic!("expected an entry to be named, got {other:?}"),
    }
}

fn checkpoint_error(result: Result<AuditSummary, AuditError>) -> String {
    match result {
        Err(AuditError::Checkpoint(reason)) => reason,
        other => panic!("expected the checkpoint to be named, got {other:?}"),
    }
}

#[test]
fn a_faithful_log_audits_clean_and_every_tile_matches() {
    let log = log();
    assert_eq!(log.size(), 609);
    let (summary, tiles) = audit(log.auditor(None), &log.notes);
    let summary = summary.unwrap();
    assert_eq!((summary.size, summary.root), (609, log.checkpoint.root));
    assert_eq!(summary.keys, 5 + 7 + EXTRA);

    let expected = expected_tiles(&log.leaves);
    let paths: Vec<&str> = expected.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "tile/0/000",
            "tile/0/001",
            "tile/0/002.p/97",
            "tile/1/000.p/2"
        ]
    );
    assert_eq!(
        tiles.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, data) in &expected {
        let parsed = truce_log::tiles::TilePath::parse(path).unwrap();
        compare_tile(&parsed, &tiles[path], data).unwrap();
        // The log's stored hashes hold the same tile.
        assert_eq!(
            &parsed.tile().read_data(&log.hashes).unwrap(),
            data,
            "{path}"
        );
    }
}

#[test]
fn a_replaced_entry_that_nothing_chains_to_fails_at_the_checkpoint() {
    let log = log();
    let mut notes = log.prefix(SHORT);
    notes[LONE] = log.forged(LONE);
    let (result, tiles) = audit(log.auditor_at(SHORT, None), &notes);
    let reason = checkpoint_error(result);
    assert!(reason.contains("root hash"), "{reason}");
    // And the tile the honest log serves for that entry is not the one its entries hash to.
    let honest = expected_tiles(&log.leaves[..SHORT]);
    let path = "tile/0/000.p/128";
    let parsed = truce_log::tiles::TilePath::parse(path).unwrap();
    let err = compare_tile(&parsed, &tiles[path], &honest[path]).unwrap_err();
    assert!(
        matches!(&err, AuditError::Tile { path: p, .. } if p == path),
        "{err}"
    );
}

#[test]
fn a_replaced_entry_fails_at_its_authors_next_entry() {
    let log = log();
    let k = 60;
    let mut notes = log.notes.clone();
    notes[k] = log.forged(k);
    let (index, reason) = entry_error(audit(log.auditor(None), &notes).0);
    assert_eq!(index, k as u64 + 1, "{reason}");
    assert!(reason.starts_with("prev:"), "{reason}");
}

#[test]
fn a_replaced_last_entry_fails_at_the_checkpoint() {
    let log = log();
    let mut notes = log.prefix(SHORT);
    notes[SHORT - 1] = log.forged(SHORT - 1);
    let reason = checkpoint_error(audit(log.auditor_at(SHORT, None), &notes).0);
    assert!(reason.contains("root hash"), "{reason}");
}

#[test]
fn a_dropped_entry_fails_where_it_was() {
    let log = log();
    let k = 70;
    let mut notes = log.notes.clone();
    notes.remove(k);
    let (index, reason) = entry_error(audit(log.auditor(None), &notes).0);
    assert_eq!(index, k as u64, "{reason}");
    assert!(reason.starts_with("seq:"), "{reason}");
}

#[test]
fn two_swapped_entries_fail_at_the_first() {
    let log = log();
    let k = 80;
    let mut notes = log.notes.clone();
    notes.swap(k, k + 1);
    let (index, reason) = entry_error(audit(log.auditor(None), &notes).0);
    assert_eq!(index, k as u64, "{reason}");
    assert!(reason.starts_with("seq:"), "{reason}");
}

#[test]
fn two_swapped_entries_of_different_authors_fail_at_the_checkpoint() {
    let log = log();
    // The pk root's registration and the jmt root's before it: neither chains to the other,
    // so both orders are admissible and only the root hash tells them apart.
    let mut notes = log.prefix(SHORT);
    notes.swap(LONE - 1, LONE);
    let reason = checkpoint_error(audit(log.auditor_at(SHORT, None), &notes).0);
    assert!(reason.contains("root hash"), "{reason}");
}

#[test]
fn a_checkpoint_over_a_wrong_root_fails_at_finish() {
    let log = log();
    let wrong = log.signer().sign(SHORT as u64, log.roots[SHORT - 1]);
    let auditor = Auditor::new(wrong, &log.vkey(), None).unwrap();
    let reason = checkpoint_error(audit(auditor, &log.prefix(SHORT)).0);
    assert!(reason.contains("root hash"), "{reason}");
}

#[test]
fn a_prior_checkpoint_of_the_same_history_is_confirmed() {
    let log = log();
    let prior = (64, log.roots[64]);
    let summary = audit(log.auditor_at(SHORT, Some(prior)), &log.prefix(SHORT))
        .0
        .unwrap();
    assert_eq!(summary.consistent_with_prior, Some(64));
}

#[test]
fn a_prior_checkpoint_of_another_history_fails_as_rewritten() {
    let log = log();
    let mut other = Frontier::new();
    for leaf in &log.leaves[..63] {
        other.append(*leaf);
    }
    other.append(tlog_tiles::record_hash(b"another entry 63"));
    let prior = (64, other.root());
    let reason = checkpoint_error(audit(log.auditor_at(SHORT, Some(prior)), &log.prefix(SHORT)).0);
    assert!(reason.contains("rewritten"), "{reason}");
}

#[test]
fn a_prior_checkpoint_larger_than_the_checkpoint_fails_as_rolled_back() {
    let log = log();
    let prior = Some((log.size() + 1, log.roots[1]));
    let err = Auditor::new(log.checkpoint.clone(), &log.vkey(), prior).unwrap_err();
    assert!(
        matches!(&err, AuditError::Checkpoint(r) if r.contains("rolled back")),
        "{err}"
    );
}

#[test]
fn an_entry_with_a_corrupted_signature_fails_naming_it() {
    let log = log();
    // Past the first chunk of 256, so that the index is counted across pushes.
    let k = 300;
    let mut notes = log.notes.clone();
    notes[k] = corrupt_signature(&notes[k]);
    let entry = SignedEntry::parse(notes[k].clone()).expect("a corrupted signature still parses");
    let root = log.exercise.root("jmt");
    assert_eq!(entry.envelope().author, *root.name());
    let (index, reason) = entry_error(audit(log.auditor(None), &notes).0);
    assert_eq!(index, k as u64, "{reason}");
    assert!(reason.contains("signature"), "{reason}");
}

#[test]
fn a_bad_signature_pushed_earlier_is_named_before_a_fault_pushed_later() {
    // A push's signatures are checked while the next push is admitted; the earlier
    // fault must still be the one named.
    let log = log();
    // The pk root's lone registration: nothing chains to it, so its changed bytes fail
    // nothing else; the dropped entry is in the next push of 256.
    let (bad, dropped) = (LONE, 300);
    let mut notes = log.notes.clone();
    notes[bad] = corrupt_signature(&notes[bad]);
    notes.remove(dropped);
    let (index, reason) = entry_error(audit(log.auditor(None), &notes).0);
    assert_eq!(index, bad as u64, "{reason}");
    assert!(reason.contains("signature"), "{reason}");
}

#[test]
fn no_resume_point_covers_a_signature_not_yet_checked() {
    let log = log();
    // The last entry, so that no later one fails to chain to it.
    let k = 300;
    let mut notes = log.prefix(k + 1);
    notes[k] = corrupt_signature(&notes[k]);
    let refs: Vec<&[u8]> = notes.iter().map(Vec::as_slice).collect();
    let mut auditor = log.auditor_at(k + 1, None);
    auditor
        .push_entries(&refs)
        .expect("admissible; signatures are checked later");
    let err = auditor
        .resume_point()
        .expect_err("the bad signature is found first");
    assert!(err.to_string().starts_with("entry 300:"), "{err}");
    // The fault stays: nothing after it can pass the audit.
    assert_eq!(auditor.settle(), Err(err.clone()));
    assert_eq!(auditor.finish().map(|_| ()), Err(err));
}

#[test]
fn a_tile_is_offered_only_once_its_entries_signatures_hold() {
    let log = log();
    let refs: Vec<&[u8]> = log.notes[..256].iter().map(Vec::as_slice).collect();
    let mut auditor = log.auditor(None);
    auditor.push_entries(&refs).unwrap();
    assert!(auditor.take_full_tiles().is_empty());
    auditor.settle().unwrap();
    let offered: Vec<String> = auditor
        .take_full_tiles()
        .into_iter()
        .map(|(path, _)| path.path())
        .collect();
    assert_eq!(offered, ["tile/0/000"]);
}

/// The note with one byte of its (only) Ed25519 signature flipped, re-encoded.
fn corrupt_signature(note: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(note).unwrap();
    let (body, line) = text.trim_end_matches('\n').rsplit_once('\n').unwrap();
    let (prefix, sig64) = line.rsplit_once(' ').unwrap();
    let mut sig = BASE64.decode(sig64).unwrap();
    // Four bytes of key id, then the 64-byte signature.
    sig[4 + 10] ^= 0x01;
    format!("{body}\n{prefix} {}\n", BASE64.encode(sig)).into_bytes()
}

/// An audit of the first `size` entries, where `truce verify --state` saves it (through
/// JSON, as the state file holds it).
fn saved_at(size: usize) -> serde_json::Value {
    let log = log();
    let mut auditor = log.auditor_at(size, None);
    let refs: Vec<&[u8]> = log.notes[..size].iter().map(Vec::as_slice).collect();
    auditor.push_entries(&refs).unwrap();
    let resume = auditor.resume_point().unwrap();
    auditor.finish().unwrap();
    serde_json::to_value(resume).unwrap()
}

fn resumed(saved: serde_json::Value, root: Hash) -> Result<Auditor, AuditError> {
    let log = log();
    let resume: Resume = serde_json::from_value(saved).unwrap();
    Auditor::resume(log.checkpoint.clone(), &log.vkey(), resume, root)
}

#[test]
fn a_resumed_audit_checks_only_the_new_entries_and_agrees_with_a_full_one() {
    let log = log();
    let auditor = resumed(saved_at(SHORT), log.roots[SHORT]).unwrap();
    assert_eq!(auditor.size(), SHORT as u64);
    let (summary, tiles) = audit(auditor, &log.notes[SHORT..]);
    let summary = summary.unwrap();
    assert_eq!(
        (summary.size, summary.root, summary.keys),
        (609, log.checkpoint.root, 5 + 7 + EXTRA)
    );
    assert_eq!(summary.consistent_with_prior, Some(SHORT as u64));
    // Every tile, the first one (half checked before the resume point) among them.
    assert_eq!(tiles, expected_tiles(&log.leaves));
}

#[test]
fn a_resumed_audit_names_a_bad_entry_after_the_resume_point() {
    let log = log();
    let k = 300;
    let mut notes = log.notes[SHORT..].to_vec();
    notes[k - SHORT] = corrupt_signature(&log.notes[k]);
    let auditor = resumed(saved_at(SHORT), log.roots[SHORT]).unwrap();
    let (index, reason) = entry_error(audit(auditor, &notes).0);
    assert_eq!(index, k as u64, "{reason}");
    assert!(reason.contains("signature"), "{reason}");
}

#[test]
fn a_resume_point_that_does_not_add_up_is_refused_naming_what() {
    let log = log();
    let refused = |saved: serde_json::Value, root: Hash| match resumed(saved, root) {
        Err(AuditError::SavedState(reason)) => reason,
        other => panic!("expected the saved audit to be refused, got {other:?}"),
    };
    let reason = refused(saved_at(SHORT), log.roots[SHORT - 1]);
    assert!(
        reason.contains("the saved audit: its tree's root"),
        "{reason}"
    );

    let mut saved = saved_at(SHORT);
    saved["state"]["size"] = json!(SHORT - 1);
    let reason = refused(saved, log.roots[SHORT]);
    assert!(reason.contains("admission state covers 127"), "{reason}");

    let mut saved = saved_at(SHORT);
    saved["frontier"].as_array_mut().unwrap().pop();
    let reason = refused(saved, log.roots[SHORT]);
    assert!(
        reason.contains("right edge holds 7 hashes, not the 8"),
        "{reason}"
    );

    // Same length, another hash: the pending tile no longer ends on the right edge.
    let mut saved = saved_at(SHORT);
    let first = log.leaves[0].to_string();
    let last = log.leaves[SHORT - 1].to_string();
    let tile = saved["pending"][0].as_str().unwrap().to_string();
    let bytes = BASE64.decode(&tile).unwrap();
    let mut changed = bytes.clone();
    changed[bytes.len() - 32..].copy_from_slice(&BASE64.decode(&first).unwrap());
    assert_ne!(first, last);
    saved["pending"][0] = json!(BASE64.encode(changed));
    let reason = refused(saved, log.roots[SHORT]);
    assert!(
        reason.contains("pending tile 0 does not end on the tree's right edge"),
        "{reason}"
    );

    let mut saved = saved_at(SHORT);
    saved["pending"][0] = json!("");
    let reason = refused(saved, log.roots[SHORT]);
    assert!(reason.contains("pending tile 0 holds 0 bytes"), "{reason}");
}

#[test]
fn a_resumed_audit_confirms_the_audited_entries_of_its_last_bundle() {
    let log = log();
    let auditor = resumed(saved_at(SHORT), log.roots[SHORT]).unwrap();
    let refs: Vec<&[u8]> = log.notes[..SHORT].iter().map(Vec::as_slice).collect();
    auditor.confirm_audited(&refs).unwrap();
    let forged = log.forged(5);
    let mut changed = refs.clone();
    changed[5] = &forged;
    let (index, reason) = entry_error(auditor.confirm_audited(&changed).map(|()| unreachable!()));
    assert_eq!(index, 5, "{reason}");
    assert!(reason.contains("audited before"), "{reason}");
    let (index, _) = entry_error(
        auditor
            .confirm_audited(&refs[..SHORT - 1])
            .map(|()| unreachable!()),
    );
    assert_eq!(index, 0);
}

#[test]
fn resuming_at_zero_or_on_a_tile_boundary_agrees_with_a_full_audit() {
    let log = log();
    for size in [0, 256] {
        let auditor = resumed(saved_at(size), log.roots[size]).unwrap();
        let (summary, tiles) = audit(auditor, &log.notes[size..]);
        let summary = summary.unwrap();
        assert_eq!((summary.size, summary.root), (609, log.checkpoint.root));
        // The tiles completed or begun after the resume point, as a full audit has them.
        let expected = expected_tiles(&log.leaves);
        for (path, data) in &tiles {
            assert_eq!(Some(data), expected.get(path), "{path} resumed at {size}");
        }
        assert!(tiles.contains_key("tile/0/002.p/97") && tiles.contains_key("tile/1/000.p/2"));
    }
}
