//! Regression: the auditor checks signatures exactly as strictly as the sequencer.
//!
//! An author can sign with R = r·B + T, T a point of order 2. `verify_strict` (the
//! sequencer's check) refuses such a signature; cofactored batch verification accepts it
//! about half the time. The auditor once used batch verification, so its verdict on such
//! an entry depended on how entries were grouped.

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
use curve25519_dalek::scalar::Scalar;
use serde_json::json;
use sha2::{Digest, Sha256, Sha512};
use truce_core::{KeyName, LogState, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::audit::Auditor;
use truce_log::{Author, Frontier, KeyPair, LogSigner, SignedEntry};

#[test]
fn a_signature_with_a_torsion_component_is_refused_by_the_auditor_in_any_grouping() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    let notes = exercise.entries();
    let (state, frontier) = replay(&notes);
    let root = exercise.root("jmt");
    // Find a crafted signature that batch verification accepts, to exercise the case.
    let crafted = (0u32..64)
        .map(|attempt| torsion_signed_entry(&exercise, &state, root, attempt))
        .find(|(entry, batch_accepts)| *batch_accepts && !strictly_valid(entry, &state))
        .expect("about half of such signatures pass batch verification")
        .0;
    let mut all = notes.clone();
    all.push(crafted.note().to_vec());
    let mut grown = frontier.clone();
    grown.append(crafted.leaf_hash());
    let checkpoint = LogSigner::new(exercise.log_key.clone()).sign(grown.size(), grown.root());

    // Alone in its push, and together with every other entry.
    for split in [notes.len(), 0] {
        let mut auditor = Auditor::new(checkpoint.clone(), &exercise.log_key.vkey(), None).unwrap();
        let refs: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
        let (first, rest) = refs.split_at(split);
        let outcome = auditor
            .push_entries(first)
            .and_then(|()| auditor.push_entries(rest))
            .and_then(|()| auditor.settle());
        let err = outcome
            .expect_err("the crafted entry must be refused")
            .to_string();
        assert!(
            err.starts_with("entry 9:") && err.contains("does not verify"),
            "{err}"
        );
    }
}

fn replay(notes: &[Vec<u8>]) -> (LogState, Frontier) {
    let (mut state, mut frontier) = (LogState::new(), Frontier::new());
    for note in notes {
        let entry = SignedEntry::parse(note.clone()).unwrap();
        let admission = state.admit(entry.view(), None).unwrap();
        state.apply(admission, entry.leaf_hash().0);
        frontier.append(entry.leaf_hash());
    }
    (state, frontier)
}

fn strictly_valid(entry: &SignedEntry, state: &LogState) -> bool {
    entry.verify(state.key(entry.envelope().author.as_str()).unwrap())
}

/// The jmt root's next entry, signed with R = r·B + T; and whether batch verification
/// accepts that signature.
fn torsion_signed_entry(
    exercise: &Exercise,
    state: &LogState,
    root: &KeyPair,
    attempt: u32,
) -> (SignedEntry, bool) {
    let secret = secret_scalar(root);
    let record = state.key(root.name().as_str()).unwrap();
    let public = record.public_key.to_bytes();
    let head = state.author(root.name()).unwrap();
    let author = Author::resume(
        root.clone(),
        &exercise.origin,
        head.seq,
        Some(head.last_leaf_hash),
    );
    let device = KeyPair::from_seed(
        &KeyName::parse(format!("{DEMO_ORIGIN}/jmt/device-t{attempt}")).unwrap(),
        [7; 32],
    );
    let payload = json!({"delegation": "jmt", "name": device.name().as_str(), "role": "device", "vkey": device.vkey()});
    let text = author
        .envelope(
            "key.registered",
            payload,
            Timestamp::parse("2025-11-06T10:00:00Z").unwrap(),
        )
        .to_text();
    let r = Scalar::from_bytes_mod_order_wide(&Sha512::digest(format!("r{attempt}")).into());
    let big_r = (ED25519_BASEPOINT_POINT * r + EIGHT_TORSION[4]).compress();
    let digest = Sha512::new()
        .chain_update(big_r.as_bytes())
        .chain_update(public)
        .chain_update(text.as_bytes());
    let k = Scalar::from_bytes_mod_order_wide(&digest.finalize().into());
    let s = r + k * secret;
    let signature = [
        &root.key_id().to_be_bytes()[..],
        big_r.as_bytes(),
        s.as_bytes(),
    ]
    .concat();
    let note = format!(
        "{text}\n\u{2014} {} {}\n",
        root.name(),
        BASE64.encode(signature)
    );
    let entry = SignedEntry::parse(note.into_bytes()).unwrap();
    let sig = entry.signature_by(record).unwrap();
    let batch_accepts =
        ed25519_dalek::verify_batch(&[entry.text()], &[sig], &[record.public_key]).is_ok();
    (entry, batch_accepts)
}

/// The demo derives each key's seed as SHA-256(seed || name); RFC 8032 §5.1.5 derives the
/// secret scalar from the seed.
fn secret_scalar(key: &KeyPair) -> Scalar {
    let seed: [u8; 32] = Sha256::new()
        .chain_update(1u64.to_be_bytes())
        .chain_update(key.name().as_str())
        .finalize()
        .into();
    let hash = Sha512::digest(seed);
    let mut bytes: [u8; 32] = hash[..32].try_into().unwrap();
    bytes[0] &= 0b1111_1000;
    bytes[31] &= 0b0111_1111;
    bytes[31] |= 0b0100_0000;
    let scalar = Scalar::from_bytes_mod_order(bytes);
    assert_eq!(
        (ED25519_BASEPOINT_POINT * scalar).compress().to_bytes(),
        key_public(key)
    );
    scalar
}

fn key_public(key: &KeyPair) -> [u8; 32] {
    let vkey = key.vkey();
    // <name>+<id>+<base64>; the base64 may itself contain '+'.
    let bytes = BASE64.decode(vkey.splitn(3, '+').nth(2).unwrap()).unwrap();
    bytes[1..].try_into().unwrap()
}
