//! Amending the agreement: only under the genesis amendment quorum of root keys, and the
//! amended provisions, ladder and reply window are what the rules apply afterwards, also
//! after a restart from saved state.

use serde_json::{Value, json};
use truce_core::kinds::AGREEMENT_AMENDED;
use truce_core::{LogState, Rejection, RejectionCode, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::{Author, KeyPair, SignedEntry};

fn at() -> Timestamp {
    Timestamp::parse("2025-11-20T10:00:00Z").unwrap()
}

fn constitution() -> (Exercise, LogState) {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 5);
    let mut state = LogState::new();
    for note in exercise.entries() {
        submit(&mut state, note).unwrap();
    }
    (exercise, state)
}

fn submit(state: &mut LogState, note: Vec<u8>) -> Result<(), Rejection> {
    let entry = SignedEntry::parse(note)?;
    let admission = state.admit(entry.view(), None)?;
    assert!(admission.signers.iter().all(|k| entry.verify(k)));
    state.apply(admission, entry.leaf_hash().0);
    Ok(())
}

fn amendment(exercise: &Exercise) -> Value {
    let mut genesis = exercise.genesis();
    genesis.provisions.retain(|p| p.id != "access");
    genesis.provisions.push(truce_core::genesis::Provision {
        id: "crossings".into(),
        title: "Crossings".into(),
        text: "Exercise text: crossings stay open to civilians.".into(),
        translations: std::collections::BTreeMap::new(),
    });
    json!({"measures": genesis.measures, "provisions": genesis.provisions,
        "reason": "Exercise: agreed at a round of talks.", "reply_window_hours": 48})
}

/// The amendment authored by `author`'s root, co-signed by the other roots named.
fn signed(exercise: &Exercise, state: &LogState, author: &str, cosigners: &[&str]) -> Vec<u8> {
    signed_with(exercise, state, author, cosigners, amendment(exercise))
}

fn signed_with(
    exercise: &Exercise,
    state: &LogState,
    author: &str,
    cosigners: &[&str],
    payload: Value,
) -> Vec<u8> {
    let key = exercise.root(author).clone();
    let head = state.author(key.name());
    let mut author = Author::continuing(key, DEMO_ORIGIN, head);
    let envelope = author.envelope(AGREEMENT_AMENDED, payload, at());
    let keys: Vec<&KeyPair> = cosigners.iter().map(|d| exercise.root(d)).collect();
    author.sign(&envelope, &keys)
}

#[test]
fn the_genesis_closure_alert_must_name_a_provision_and_a_sensible_threshold() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 5);
    let mut genesis = exercise.genesis();
    assert!(genesis.validate(DEMO_ORIGIN).is_ok());
    let alert = genesis.crossing_alert.as_mut().unwrap();
    alert.provision = "nowhere".into();
    let refusal = genesis.validate(DEMO_ORIGIN).unwrap_err();
    assert_eq!(refusal.field, "crossing_alert.provision", "{refusal:?}");
    let alert = genesis.crossing_alert.as_mut().unwrap();
    alert.provision = "humanitarian".into();
    alert.closure_days = 0;
    let refusal = genesis.validate(DEMO_ORIGIN).unwrap_err();
    assert_eq!(refusal.field, "crossing_alert.closure_days", "{refusal:?}");
}

#[test]
fn an_amendment_cannot_drop_the_provision_the_closure_alert_concerns() {
    let (exercise, mut state) = constitution();
    let mut payload = amendment(&exercise);
    let provisions = payload["provisions"].as_array_mut().unwrap();
    provisions.retain(|p| p["id"] != "humanitarian");
    let note = signed_with(&exercise, &state, "tr", &["qa", "pk", "af"], payload);
    let refusal = submit(&mut state, note).unwrap_err();
    assert_eq!(
        (refusal.code, refusal.field.as_str()),
        (RejectionCode::Invalid, "payload.provisions"),
        "{refusal}"
    );
}

#[test]
fn an_amendment_signed_by_too_few_delegations_is_refused_naming_the_quorum() {
    let (exercise, mut state) = constitution();
    let note = signed(&exercise, &state, "tr", &["qa", "pk"]);
    let refusal = submit(&mut state, note).unwrap_err();
    assert_eq!(
        (refusal.code, refusal.field.as_str()),
        (RejectionCode::Unauthorized, "signature")
    );
    assert!(
        refusal.reason.contains("needs 4 of pk, af, tr, qa"),
        "{refusal}"
    );
}

#[test]
fn a_root_outside_the_amendment_quorum_cannot_sign_one() {
    let (exercise, mut state) = constitution();
    let note = signed(&exercise, &state, "tr", &["qa", "pk", "af", "jmt"]);
    let refusal = submit(&mut state, note).unwrap_err();
    assert_eq!(refusal.field, "signature", "{refusal}");
}

#[test]
fn the_amended_agreement_is_the_one_applied_also_after_a_restart() {
    let (exercise, mut state) = constitution();
    let note = signed(&exercise, &state, "tr", &["qa", "pk", "af"]);
    submit(&mut state, note).unwrap();
    let genesis = state.genesis().unwrap();
    assert!(genesis.provisions.iter().any(|p| p.id == "crossings"));
    assert!(!genesis.provisions.iter().any(|p| p.id == "access"));
    assert_eq!(genesis.reply_window_hours, 48);

    // A restart restores the constitution in force from the saved records.
    let records: Vec<_> = (0..state.size())
        .filter_map(|i| state.record(i).map(|r| (i, r.clone())))
        .collect();
    let keys: Vec<_> = state.keys().cloned().collect();
    let restored = LogState::restore(
        state.size(),
        Some(exercise.genesis()),
        keys,
        vec![],
        records,
    );
    assert_eq!(restored.genesis().unwrap().reply_window_hours, 48);

    // The same amendment a second time is a replay: refused by its sequence number.
    let replay = signed(&exercise, &LogState::new(), "tr", &["qa", "pk", "af"]);
    assert_eq!(
        submit(&mut state, replay).unwrap_err().code,
        RejectionCode::Sequence
    );
}
