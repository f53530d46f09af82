//! Sealed testimony's admission rules on the exercise (which registers four custodians and
//! seals one testimony to them): who may register custodians, the invariant that no one
//! delegation's custodians can meet the policy, that a testimony is sealed to every active
//! custodian with their registered key, and unsealing: one approval per custodian, only
//! custodians, only within the request's window, nothing after destruction. Each refusal
//! names its field.

use crate::support::assert_refused;
use serde_json::{Value, json};
use truce_core::kinds::{
    CUSTODIAN_REGISTERED, KEY_REGISTERED, TESTIMONY_DESTROYED, TESTIMONY_RECORDED,
    TESTIMONY_UNSEAL_APPROVED, TESTIMONY_UNSEAL_REQUESTED,
};
use truce_core::state::Record;
use truce_core::{LogState, Rejection, RejectionCode, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::{Author, KeyPair, SignedEntry};

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

struct Played {
    exercise: Exercise,
    state: LogState,
    testimony: u64,
}

impl Played {
    fn new() -> Self {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 5);
        let mut state = LogState::new();
        let now = at("2025-11-20T10:00:00Z");
        for note in exercise
            .entries()
            .into_iter()
            .chain(exercise.scenario(&now))
        {
            apply(&mut state, &SignedEntry::parse(note).unwrap()).unwrap();
        }
        let testimony = (0..state.size())
            .find(|i| matches!(state.record(*i), Some(Record::Testimony { .. })))
            .expect("the exercise records a testimony");
        Self {
            exercise,
            state,
            testimony,
        }
    }

    /// Signs `payload` as the next entry of `key`'s chain.
    fn submit_as(
        &mut self,
        key: &KeyPair,
        kind: &str,
        payload: Value,
        time: &str,
    ) -> Result<u64, Rejection> {
        let mut author =
            Author::continuing(key.clone(), DEMO_ORIGIN, self.state.author(key.name()));
        let note = author.write(kind, payload, at(time));
        apply(&mut self.state, &SignedEntry::parse(note)?)?;
        Ok(self.state.size() - 1)
    }

    fn submit(
        &mut self,
        who: &str,
        kind: &str,
        payload: Value,
        time: &str,
    ) -> Result<u64, Rejection> {
        let key = self.exercise.officer(who).clone();
        self.submit_as(&key, kind, payload, time)
    }

    fn root(&mut self, delegation: &str, kind: &str, payload: Value) -> Result<u64, Rejection> {
        let key = self.exercise.root(delegation).clone();
        self.submit_as(&key, kind, payload, "2025-11-20T11:00:00Z")
    }

    /// A request to unseal the exercise's testimony, by a monitor, at `time`.
    fn request(&mut self, time: &str) -> u64 {
        let payload = json!({"testimony": self.testimony, "reason": "EXERCISE: re-interview",
            "recipient": key_b64(9)});
        self.submit("jmt/monitor-2", TESTIMONY_UNSEAL_REQUESTED, payload, time)
            .unwrap()
    }

    fn approve(&mut self, who: &str, request: u64, time: &str) -> Result<u64, Rejection> {
        // A file name of its own for each approval (the log refuses one named before).
        let sha256 = format!("{:064x}", self.state.size());
        let payload = json!({"request": request, "sha256": sha256});
        self.submit(who, TESTIMONY_UNSEAL_APPROVED, payload, time)
    }

    /// The exercise's testimony payload as recorded, to vary.
    fn recorded(&self) -> Value {
        let sealed = self.exercise.sealed_testimony();
        let shares: Vec<Value> = sealed
            .shares
            .iter()
            .zip(truce_demo::scenario::testimony::CUSTODIANS)
            .map(|(s, who)| {
                json!({"custodian": s.custodian, "sha256": s.sha256,
                    "delegation": who.split('/').next().unwrap(),
                    "encryption_key": self.exercise.custodian_key(who).public().to_base64()})
            })
            .collect();
        json!({"pseudonym": "W-2", "consent": ["never"],
            "sealed": {"sha256": sealed.sha256, "bytes": sealed.ciphertext.len()},
            "policy": self.exercise.genesis().testimony.unwrap(), "shares": shares})
    }
}

fn key_b64(byte: u8) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([byte; 32])
}

fn apply(state: &mut LogState, entry: &SignedEntry) -> Result<(), Rejection> {
    let admission = state.admit(entry.view(), None)?;
    assert!(admission.signers.iter().all(|k| entry.verify(k)));
    state.apply(admission, entry.leaf_hash().0);
    Ok(())
}

#[test]
fn a_root_names_custodians_of_its_own_delegation_only_and_never_enough_to_open_alone() {
    let mut played = Played::new();
    let monitor = played.exercise.officer("jmt/monitor-1").name().to_string();
    let payload = json!({"key": monitor, "encryption_key": key_b64(1)});
    let refused = played.root("tr", CUSTODIAN_REGISTERED, payload.clone());
    assert_refused(refused, RejectionCode::Unauthorized, "payload.key");
    let refused = played.submit(
        "jmt/monitor-1",
        CUSTODIAN_REGISTERED,
        payload,
        "2025-11-20T11:00:00Z",
    );
    assert_refused(refused, RejectionCode::Unauthorized, "author");
    // A third monitor as custodian would let the monitors alone meet 3 approvals.
    let third = KeyPair::generate(&format!("{DEMO_ORIGIN}/jmt/monitor-9")).unwrap();
    let registration = json!({"delegation": "jmt", "name": third.name().as_str(),
        "role": "monitor", "vkey": third.vkey()});
    played.root("jmt", KEY_REGISTERED, registration).unwrap();
    let payload = json!({"key": third.name().as_str(), "encryption_key": key_b64(2)});
    let reason = assert_refused(
        played.root("jmt", CUSTODIAN_REGISTERED, payload),
        RejectionCode::Invalid,
        "payload.key",
    );
    assert!(reason.contains("jmt's custodians alone"), "{reason}");
}

#[test]
fn a_testimony_is_sealed_to_every_custodian_with_the_key_they_registered() {
    let mut played = Played::new();
    let time = "2025-11-20T11:00:00Z";
    let mut missing = played.recorded();
    missing["shares"].as_array_mut().unwrap().pop();
    let reason = assert_refused(
        played.submit("jmt/monitor-1", TESTIMONY_RECORDED, missing, time),
        RejectionCode::Invalid,
        "payload.shares",
    );
    assert!(reason.contains("holds no share"), "{reason}");
    let mut swapped = played.recorded();
    swapped["shares"][1]["encryption_key"] = key_b64(3).into();
    assert_refused(
        played.submit("jmt/monitor-1", TESTIMONY_RECORDED, swapped, time),
        RejectionCode::Invalid,
        "payload.shares[1].encryption_key",
    );
    let mut weaker = played.recorded();
    weaker["policy"]["threshold"] = 2.into();
    assert_refused(
        played.submit("jmt/monitor-1", TESTIMONY_RECORDED, weaker, time),
        RejectionCode::Invalid,
        "payload.policy",
    );
    let mut shown = played.recorded();
    shown["statement"] = "the witness did not agree to this".into();
    assert_refused(
        played.submit("jmt/monitor-1", TESTIMONY_RECORDED, shown, time),
        RejectionCode::Invalid,
        "payload.statement",
    );
    let recorded = played.recorded();
    let refused = played.submit("pk/liaison-1", TESTIMONY_RECORDED, recorded.clone(), time);
    assert_refused(refused, RejectionCode::Unauthorized, "author");
    // The same files as the exercise's testimony: a request for this one would open that
    // one, and destroying it delete that one's files.
    let reason = assert_refused(
        played.submit("jmt/monitor-1", TESTIMONY_RECORDED, recorded, time),
        RejectionCode::Conflict,
        "payload.sealed.sha256",
    );
    assert!(reason.contains("names this file already"), "{reason}");
    let mut mislabelled = played.recorded();
    mislabelled["shares"][2]["delegation"] = "jmt".into();
    assert_refused(
        played.submit("jmt/monitor-1", TESTIMONY_RECORDED, mislabelled, time),
        RejectionCode::Invalid,
        "payload.shares[2].delegation",
    );
}

#[test]
fn custodians_approve_once_each_within_the_window_and_nothing_after_destruction() {
    let mut played = Played::new();
    let request = played.request("2025-11-20T12:00:00Z");
    played
        .approve("jmt/monitor-1", request, "2025-11-20T13:00:00Z")
        .unwrap();
    assert_refused(
        played.approve("jmt/monitor-1", request, "2025-11-20T13:05:00Z"),
        RejectionCode::Conflict,
        "payload.request",
    );
    let reason = assert_refused(
        played.approve("pk/liaison-1", request, "2025-11-20T13:10:00Z"),
        RejectionCode::Unauthorized,
        "author",
    );
    assert!(reason.contains("not a custodian"), "{reason}");
    // The exercise's policy keeps a request open 72 hours.
    let reason = assert_refused(
        played.approve("tr/commissioner-1", request, "2025-11-23T12:00:01Z"),
        RejectionCode::Conflict,
        "payload.request",
    );
    assert!(reason.contains("lapsed"), "{reason}");
    played
        .approve("tr/commissioner-1", request, "2025-11-23T12:00:00Z")
        .unwrap();

    let testimony = played.testimony;
    let destroy = json!({"testimony": testimony, "reason": "danger"});
    played
        .submit(
            "jmt/monitor-1",
            TESTIMONY_DESTROYED,
            destroy.clone(),
            "2025-11-23T13:00:00Z",
        )
        .unwrap();
    assert_refused(
        played.approve("qa/commissioner-1", request, "2025-11-23T13:01:00Z"),
        RejectionCode::Conflict,
        "payload.request",
    );
    let again = json!({"testimony": testimony, "reason": "EXERCISE: once more",
        "recipient": key_b64(4)});
    assert_refused(
        played.submit(
            "jmt/monitor-2",
            TESTIMONY_UNSEAL_REQUESTED,
            again,
            "2025-11-23T13:02:00Z",
        ),
        RejectionCode::Conflict,
        "payload.testimony",
    );
    assert_refused(
        played.submit(
            "jmt/monitor-1",
            TESTIMONY_DESTROYED,
            destroy,
            "2025-11-23T13:03:00Z",
        ),
        RejectionCode::Conflict,
        "payload.testimony",
    );
}

#[test]
fn a_restored_state_still_knows_the_custodians() {
    let played = Played::new();
    let mut records = vec![];
    for i in 0..played.state.size() {
        if let Some(record) = played.state.record(i) {
            records.push((i, record.clone()));
        }
    }
    let keys: Vec<_> = played.state.keys().cloned().collect();
    let authors: Vec<_> = keys
        .iter()
        .filter_map(|k| Some((k.name.clone(), played.state.author(&k.name)?)))
        .collect();
    let restored = LogState::restore(
        played.state.size(),
        played.state.genesis().cloned(),
        keys,
        authors,
        records,
    );
    assert_eq!(restored, played.state);
    let mut after = Played {
        exercise: played.exercise.clone(),
        state: restored,
        testimony: played.testimony,
    };
    // A testimony sealed to the same custodians gets past the custodians' checks only if
    // the restored state knows them all with their keys, and is then refused for naming
    // the exercise's files: the restored state knows those too.
    let recorded = after.recorded();
    let refused = after.submit(
        "jmt/monitor-1",
        TESTIMONY_RECORDED,
        recorded,
        "2025-11-20T11:00:00Z",
    );
    assert_refused(refused, RejectionCode::Conflict, "payload.sealed.sha256");
}
