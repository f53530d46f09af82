//! The admission rules, exercised through real signed entries: each entry is signed with
//! the demo's keys, parsed by `SignedEntry::parse`, admitted by `LogState::admit`, its
//! signatures checked, and applied, as the sequencer does.

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use serde_json::{Value, json};
use truce_core::kinds::{GENESIS, KEY_REGISTERED, KEY_REVOKED, NOTICE_PUBLISHED};
use truce_core::state::Clock;
use truce_core::{Envelope, KeyName, LogState, Rejection, RejectionCode, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::keypair::sign_note;
use truce_log::{Author, KeyPair, SignedEntry};

/// The demo log after its entries (genesis, seven registrations, a revocation).
struct Demo {
    exercise: Exercise,
    state: LogState,
}

impl Demo {
    fn new() -> Self {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
        let mut state = LogState::new();
        for note in exercise.entries() {
            submit(&mut state, note).unwrap();
        }
        assert_eq!(state.size(), 9);
        Self { exercise, state }
    }

    /// An author for `key`, positioned after its entries on the log.
    fn author(&self, key: &KeyPair) -> Author {
        Author::continuing(key.clone(), DEMO_ORIGIN, self.state.author(key.name()))
    }

    fn root(&self, delegation: &str) -> Author {
        self.author(self.exercise.root(delegation))
    }

    fn officer(&self, suffix: &str) -> &KeyPair {
        self.exercise.officer(suffix)
    }

    fn submit(&mut self, note: Vec<u8>) -> Result<(), Rejection> {
        submit(&mut self.state, note)
    }

    /// The rejection of `note`, which must parse but not be admitted.
    fn refusal(&self, note: Vec<u8>) -> Rejection {
        let entry = SignedEntry::parse(note).expect("the entry parses");
        self.state
            .admit(entry.view(), None)
            .expect_err("the entry must be refused")
    }
}

/// Parses, admits, checks every required signature and applies `note`, as the sequencer.
fn submit(state: &mut LogState, note: Vec<u8>) -> Result<(), Rejection> {
    let entry = SignedEntry::parse(note)?;
    let admission = state.admit(entry.view(), None)?;
    for key in &admission.signers {
        assert!(
            entry.verify(key),
            "the signature by {} must verify",
            key.name
        );
    }
    state.apply(admission, entry.leaf_hash().0);
    Ok(())
}

fn assert_refused(rejection: &Rejection, code: RejectionCode, field: &str) {
    assert_eq!(
        (rejection.code, rejection.field.as_str()),
        (code, field),
        "refused for another reason: {rejection}"
    );
}

fn time() -> Timestamp {
    Timestamp::parse("2025-11-06T10:00:00Z").unwrap()
}

fn new_key(suffix: &str) -> KeyPair {
    let name = KeyName::parse(format!("{DEMO_ORIGIN}/{suffix}")).unwrap();
    let seed: [u8; 32] = tlog_tiles::record_hash(name.as_str().as_bytes()).0;
    KeyPair::from_seed(&name, seed)
}

fn registration(delegation: &str, key: &KeyPair, role: &str) -> Value {
    json!({
        "delegation": delegation,
        "name": key.name().as_str(),
        "role": role,
        "vkey": key.vkey(),
    })
}

fn revocation(key: &KeyPair) -> Value {
    json!({"name": key.name().as_str(), "reason": "test"})
}

/// The genesis entry, signed by its convener and the given co-signers.
fn genesis_note(exercise: &Exercise, cosigners: &[&str]) -> Vec<u8> {
    let mut convener = Author::new(exercise.root("tr").clone(), DEMO_ORIGIN);
    let payload = serde_json::to_value(exercise.genesis()).unwrap();
    let envelope = convener.envelope(GENESIS, payload, time());
    let keys: Vec<&KeyPair> = cosigners.iter().map(|d| exercise.root(d)).collect();
    convener.sign(&envelope, &keys)
}

#[test]
fn the_first_entry_must_be_the_genesis() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    let mut pk = Author::new(exercise.root("pk").clone(), DEMO_ORIGIN);
    let note = pk.write(
        KEY_REGISTERED,
        registration("pk", &new_key("pk/x"), "liaison"),
        time(),
    );
    let entry = SignedEntry::parse(note).unwrap();
    let refusal = LogState::new().admit(entry.view(), None).unwrap_err();
    assert_refused(&refusal, RejectionCode::Conflict, "kind");
}

#[test]
fn a_genesis_signed_by_every_root_is_admitted() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    let mut state = LogState::new();
    submit(
        &mut state,
        genesis_note(&exercise, &["pk", "af", "qa", "jmt"]),
    )
    .unwrap();
    assert!(state.genesis().is_some());
}

#[test]
fn a_second_genesis_is_refused() {
    let demo = Demo::new();
    let mut tr = demo.root("tr");
    let payload = serde_json::to_value(demo.exercise.genesis()).unwrap();
    let envelope = tr.envelope(GENESIS, payload, time());
    let cosigners: Vec<&KeyPair> = ["pk", "af", "qa", "jmt"]
        .iter()
        .map(|d| demo.exercise.root(d))
        .collect();
    let refusal = demo.refusal(tr.sign(&envelope, &cosigners));
    assert_refused(&refusal, RejectionCode::Conflict, "kind");
}

#[test]
fn a_genesis_missing_one_roots_cosignature_is_refused() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    let entry = SignedEntry::parse(genesis_note(&exercise, &["pk", "af", "qa"])).unwrap();
    let refusal = LogState::new().admit(entry.view(), None).unwrap_err();
    assert_refused(&refusal, RejectionCode::BadSignature, "signature");
    assert!(refusal.reason.contains("jmt/root"), "{refusal}");
}

#[test]
fn an_entry_signed_by_an_unknown_key_is_refused() {
    let demo = Demo::new();
    let stranger = new_key("pk/liaison-9");
    let note = Author::new(stranger.clone(), DEMO_ORIGIN).write(
        KEY_REVOKED,
        revocation(&stranger),
        time(),
    );
    assert_refused(&demo.refusal(note), RejectionCode::UnknownKey, "author");
}

#[test]
fn an_entry_signed_by_a_revoked_key_is_refused() {
    let demo = Demo::new();
    let tablet = demo.officer("jmt/field-tablet-1");
    assert_eq!(
        demo.state.key(tablet.name().as_str()).unwrap().revoked_at,
        Some(8)
    );
    let note = demo
        .author(tablet)
        .write(KEY_REVOKED, revocation(tablet), time());
    assert_refused(&demo.refusal(note), RejectionCode::RevokedKey, "author");
}

#[test]
fn an_officer_cannot_register_a_key() {
    let demo = Demo::new();
    let liaison = demo.officer("pk/liaison-1");
    let payload = registration("pk", &new_key("pk/liaison-2"), "liaison");
    let note = demo.author(liaison).write(KEY_REGISTERED, payload, time());
    assert_refused(&demo.refusal(note), RejectionCode::Unauthorized, "author");
}

#[test]
fn a_root_cannot_register_a_key_for_another_delegation() {
    let demo = Demo::new();
    let payload = registration("af", &new_key("af/liaison-2"), "liaison");
    let note = demo.root("pk").write(KEY_REGISTERED, payload, time());
    assert_refused(&demo.refusal(note), RejectionCode::Unauthorized, "author");
}

#[test]
fn a_party_cannot_register_a_commissioner() {
    let demo = Demo::new();
    let payload = registration("pk", &new_key("pk/commissioner-1"), "commissioner");
    let note = demo.root("pk").write(KEY_REGISTERED, payload, time());
    assert_refused(&demo.refusal(note), RejectionCode::Invalid, "payload.role");
}

#[test]
fn a_registered_name_cannot_be_registered_again() {
    let demo = Demo::new();
    let payload = registration("pk", demo.officer("pk/liaison-1"), "liaison");
    let note = demo.root("pk").write(KEY_REGISTERED, payload, time());
    assert_refused(&demo.refusal(note), RejectionCode::Conflict, "payload.name");
}

#[test]
fn an_entry_that_skips_a_sequence_number_is_refused() {
    let demo = Demo::new();
    let pk = demo.root("pk");
    let payload = registration("pk", &new_key("pk/liaison-2"), "liaison");
    let mut envelope = pk.envelope(KEY_REGISTERED, payload, time());
    envelope.seq += 1;
    let note = SignedEntry::sign(&envelope, &[pk.key()]);
    assert_refused(&demo.refusal(note), RejectionCode::Sequence, "seq");
}

#[test]
fn an_entry_with_the_right_seq_but_a_wrong_prev_is_refused() {
    let demo = Demo::new();
    let pk = demo.root("pk");
    let payload = registration("pk", &new_key("pk/liaison-2"), "liaison");
    let mut envelope = pk.envelope(KEY_REGISTERED, payload, time());
    assert_eq!(envelope.seq, 2, "pk's root wrote one registration");
    envelope.prev = Some(BASE64.encode([7u8; 32]));
    let note = SignedEntry::sign(&envelope, &[pk.key()]);
    assert_refused(&demo.refusal(note), RejectionCode::Sequence, "prev");
}

#[test]
fn an_entry_for_another_log_is_refused() {
    let demo = Demo::new();
    let key = demo.exercise.root("pk");
    let head = demo.state.author(key.name()).unwrap();
    let mut elsewhere = Author::resume(
        key.clone(),
        "truce.example/another-log",
        head.seq,
        Some(head.last_leaf_hash),
    );
    let payload = registration("pk", &new_key("pk/liaison-2"), "liaison");
    let note = elsewhere.write(KEY_REGISTERED, payload, time());
    assert_refused(&demo.refusal(note), RejectionCode::Invalid, "origin");
}

#[test]
fn an_entry_dated_ten_minutes_ahead_is_refused_with_five_minutes_of_skew() {
    let demo = Demo::new();
    let now = time().unix_seconds();
    let clock = Some(Clock {
        now_unix_s: now,
        future_skew_s: 300,
    });
    let entry_at = |ahead: i64| {
        let payload = registration("pk", &new_key("pk/liaison-2"), "liaison");
        let time = Timestamp::from_unix_seconds(now + ahead);
        SignedEntry::parse(demo.root("pk").write(KEY_REGISTERED, payload, time)).unwrap()
    };
    let refusal = demo.state.admit(entry_at(600).view(), clock).unwrap_err();
    assert_refused(&refusal, RejectionCode::Invalid, "time");
    assert!(demo.state.admit(entry_at(240).view(), clock).is_ok());
}

#[test]
fn an_extra_signature_by_another_key_is_refused() {
    let demo = Demo::new();
    let pk = demo.root("pk");
    let payload = registration("pk", &new_key("pk/liaison-2"), "liaison");
    let envelope = pk.envelope(KEY_REGISTERED, payload, time());
    let note = SignedEntry::sign(&envelope, &[pk.key(), demo.exercise.root("af")]);
    assert_refused(&demo.refusal(note), RejectionCode::UnknownKey, "signature");
}

#[test]
fn a_newly_registered_key_may_write_entries() {
    let mut demo = Demo::new();
    let monitor = new_key("jmt/monitor-3");
    let revoke_self = |demo: &Demo| {
        demo.author(&monitor)
            .write(KEY_REVOKED, revocation(&monitor), time())
    };
    let refusal = demo.refusal(revoke_self(&demo));
    assert_refused(&refusal, RejectionCode::UnknownKey, "author");

    let payload = registration("jmt", &monitor, "monitor");
    let note = demo.root("jmt").write(KEY_REGISTERED, payload, time());
    demo.submit(note).unwrap();
    assert_eq!(
        demo.state
            .key(monitor.name().as_str())
            .unwrap()
            .registered_at,
        9
    );
    demo.submit(revoke_self(&demo)).unwrap();
    assert_eq!(demo.state.size(), 11);
}

#[test]
fn an_officer_may_revoke_its_own_key() {
    let mut demo = Demo::new();
    let liaison = demo.officer("pk/liaison-1").clone();
    let note = demo
        .author(&liaison)
        .write(KEY_REVOKED, revocation(&liaison), time());
    demo.submit(note).unwrap();
    assert_eq!(
        demo.state.key(liaison.name().as_str()).unwrap().revoked_at,
        Some(9)
    );
    let again = demo
        .author(&liaison)
        .write(KEY_REVOKED, revocation(&liaison), time());
    assert_refused(&demo.refusal(again), RejectionCode::RevokedKey, "author");
}

#[test]
fn an_officer_cannot_revoke_another_officers_key() {
    let demo = Demo::new();
    let liaison = demo.officer("pk/liaison-1");
    let other = demo.officer("af/liaison-1");
    let note = demo
        .author(liaison)
        .write(KEY_REVOKED, revocation(other), time());
    assert_refused(&demo.refusal(note), RejectionCode::Unauthorized, "author");
}

#[test]
fn a_root_key_cannot_be_revoked() {
    let demo = Demo::new();
    let own = revocation(demo.exercise.root("pk"));
    let note = demo.root("pk").write(KEY_REVOKED, own, time());
    assert_refused(
        &demo.refusal(note),
        RejectionCode::Unauthorized,
        "payload.name",
    );
    let other = revocation(demo.exercise.root("af"));
    let note = demo.root("tr").write(KEY_REVOKED, other, time());
    assert_refused(
        &demo.refusal(note),
        RejectionCode::Unauthorized,
        "payload.name",
    );
}

/// A revocation by pk's root whose signed text is `edit` applied to the canonical text.
fn edited_note(demo: &Demo, edit: impl FnOnce(&Envelope, String) -> String) -> Vec<u8> {
    let pk = demo.root("pk");
    let envelope = pk.envelope(
        KEY_REVOKED,
        revocation(demo.officer("pk/liaison-1")),
        time(),
    );
    let text = edit(&envelope, envelope.to_text());
    sign_note(text.as_bytes(), &[pk.key()])
}

fn parse_error(note: Vec<u8>) -> Rejection {
    SignedEntry::parse(note).expect_err("the entry must not parse")
}

#[test]
fn an_entry_whose_json_is_not_canonical_is_refused() {
    let demo = Demo::new();
    // The same text, signed, parses and is admitted: only the edits below are at fault.
    let faithful = edited_note(&demo, |_, text| text);
    assert!(
        demo.state
            .admit(SignedEntry::parse(faithful).unwrap().view(), None)
            .is_ok()
    );

    let spaced = edited_note(&demo, |_, text| text.replace("\":", "\": "));
    assert_refused(&parse_error(spaced), RejectionCode::NotCanonical, "text");
    let pretty = edited_note(&demo, |envelope, _| {
        serde_json::to_string_pretty(envelope).unwrap() + "\n"
    });
    assert_refused(&parse_error(pretty), RejectionCode::NotCanonical, "text");
}

#[test]
fn an_entry_larger_than_65535_bytes_is_refused() {
    let demo = Demo::new();
    let with_reason = |len: usize| {
        let pk = demo.root("pk");
        let payload = json!({
            "name": demo.officer("pk/liaison-1").name().as_str(),
            "reason": "x".repeat(len),
        });
        let envelope = pk.envelope(KEY_REVOKED, payload, time());
        SignedEntry::sign(&envelope, &[pk.key()])
    };
    let overhead = with_reason(0).len();
    let largest = with_reason(truce_core::ENTRY_BYTES_MAX - overhead);
    assert_eq!(largest.len(), 65_535);
    assert!(SignedEntry::parse(largest).is_ok());
    let too_large = with_reason(truce_core::ENTRY_BYTES_MAX - overhead + 1);
    assert_refused(&parse_error(too_large), RejectionCode::TooLarge, "note");
}

#[test]
fn an_entry_of_an_unknown_kind_is_refused() {
    let demo = Demo::new();
    let note = demo
        .root("pk")
        .write("report.filed", json!({"text": "x"}), time());
    assert_refused(&parse_error(note), RejectionCode::UnknownKind, "kind");
}

#[test]
fn a_note_without_signatures_is_refused() {
    let demo = Demo::new();
    let pk = demo.root("pk");
    let envelope = pk.envelope(
        KEY_REVOKED,
        revocation(demo.officer("pk/liaison-1")),
        time(),
    );
    let text = envelope.to_text().into_bytes();
    assert_refused(&parse_error(text.clone()), RejectionCode::Malformed, "note");
    let mut blank_block = text;
    blank_block.push(b'\n');
    assert_refused(&parse_error(blank_block), RejectionCode::Malformed, "note");
}

fn notice() -> Value {
    json!({"lang": "en", "text": "The crossing at Torkham is reported closed.", "title": "Notice"})
}

#[test]
fn any_registered_key_may_publish_a_notice_but_not_a_revoked_one() {
    let mut demo = Demo::new();
    let liaison = demo.officer("pk/liaison-1").clone();
    let note = demo
        .author(&liaison)
        .write(NOTICE_PUBLISHED, notice(), time());
    demo.submit(note).unwrap();
    let tablet = demo.officer("jmt/field-tablet-1").clone();
    let note = demo
        .author(&tablet)
        .write(NOTICE_PUBLISHED, notice(), time());
    assert_refused(&demo.refusal(note), RejectionCode::RevokedKey, "author");
}

#[test]
fn a_notice_without_a_title_is_refused_naming_the_field() {
    let demo = Demo::new();
    let liaison = demo.officer("af/liaison-1").clone();
    let mut payload = notice();
    payload["title"] = json!("");
    let note = demo
        .author(&liaison)
        .write(NOTICE_PUBLISHED, payload, time());
    assert_refused(&parse_error(note), RejectionCode::Invalid, "payload.title");
}
