//! The actor registry and the parties' designations: the exercise registers the TTP and
//! files each side's designation of it; the rules refuse duplicates, filings in another
//! party's name and withdrawals of what is not the party's own, naming the field.

use crate::support::assert_refused;
use serde_json::{Value, json};
use truce_core::kinds::{ACTOR_REGISTERED, ACTOR_UPDATED, DESIGNATION_FILED};
use truce_core::state::Record;
use truce_core::{LogState, Rejection, RejectionCode, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::{Author, SignedEntry};

fn now() -> Timestamp {
    Timestamp::parse("2025-11-20T10:00:00Z").unwrap()
}

/// The exercise after its scenario, and where its actor and designations are.
struct Played {
    exercise: Exercise,
    state: LogState,
    ttp: u64,
    /// Pakistan's and Kabul's designations of the TTP.
    designations: [u64; 2],
}

impl Played {
    fn new() -> Self {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 3);
        let mut state = LogState::new();
        for note in exercise
            .entries()
            .into_iter()
            .chain(exercise.scenario(&now()))
        {
            apply(&mut state, &SignedEntry::parse(note).unwrap()).unwrap();
        }
        let of = |wanted: &str| {
            (0..state.size())
                .filter(|i| match state.record(*i) {
                    Some(Record::Actor { .. }) => wanted == "actor",
                    Some(Record::Designation { party, .. }) => party.as_str() == wanted,
                    _ => false,
                })
                .collect::<Vec<u64>>()
        };
        let (ttp, pk, af) = (of("actor"), of("pk"), of("af"));
        assert_eq!((ttp.len(), pk.len(), af.len()), (1, 1, 1));
        Self {
            designations: [pk[0], af[0]],
            ttp: ttp[0],
            exercise,
            state,
        }
    }

    fn submit(&mut self, who: &str, kind: &str, payload: Value) -> Result<(), Rejection> {
        let key = self.exercise.officer(who);
        let mut author =
            Author::continuing(key.clone(), DEMO_ORIGIN, self.state.author(key.name()));
        let note = author.write(kind, payload, now());
        apply(&mut self.state, &SignedEntry::parse(note)?)
    }

    fn designation(&self, index: u64) -> (String, Option<u64>) {
        match self.state.record(index) {
            Some(Record::Designation {
                party,
                withdrawn_at,
                ..
            }) => (party.to_string(), *withdrawn_at),
            other => panic!("entry {index} is not a designation: {other:?}"),
        }
    }
}

fn apply(state: &mut LogState, entry: &SignedEntry) -> Result<(), Rejection> {
    let admission = state.admit(entry.view(), None)?;
    assert!(admission.signers.iter().all(|k| entry.verify(k)));
    state.apply(admission, entry.leaf_hash().0);
    Ok(())
}

fn actor(id: &str) -> Value {
    json!({"id": id, "name": "Exercise armed group", "kind": "armed_group", "aliases": []})
}

fn designation(party: &str, withdrawn: Option<u64>) -> Value {
    let mut payload = json!({"actor": "ttp", "party": party, "lang": "en",
        "designation": "Exercise: proscribed organisation", "text": "Exercise text."});
    if let Some(earlier) = withdrawn {
        payload["withdrawn"] = earlier.into();
    }
    payload
}

#[test]
fn the_scenario_registers_the_ttp_and_keeps_each_sides_designation_apart() {
    let played = Played::new();
    match played.state.record(played.ttp) {
        Some(Record::Actor { id, aliases }) => {
            assert_eq!(id.as_str(), "ttp");
            assert!(aliases.iter().any(|a| a.lang == "ur"), "{aliases:?}");
        }
        other => panic!("no actor: {other:?}"),
    }
    let [pk, af] = played.designations;
    assert_eq!(played.designation(pk), ("pk".into(), None));
    assert_eq!(played.designation(af), ("af".into(), None));
}

#[test]
fn an_actor_id_is_registered_once_by_a_monitor() {
    let mut played = Played::new();
    let reason = assert_refused(
        played.submit("jmt/monitor-2", ACTOR_REGISTERED, actor("ttp")),
        RejectionCode::Conflict,
        "payload.id",
    );
    assert!(
        reason.contains(&format!("entry {}", played.ttp)),
        "{reason}"
    );
    assert_refused(
        played.submit("pk/liaison-1", ACTOR_REGISTERED, actor("baloch-group")),
        RejectionCode::Unauthorized,
        "author",
    );
    assert_refused(
        played.submit("jmt/monitor-1", ACTOR_REGISTERED, actor("1234")),
        RejectionCode::Malformed,
        "payload.id",
    );
    played
        .submit("jmt/monitor-1", ACTOR_REGISTERED, actor("baloch-group"))
        .unwrap();
}

#[test]
fn a_party_files_designations_only_in_its_own_name_and_of_registered_actors() {
    let mut played = Played::new();
    assert_refused(
        played.submit("af/liaison-1", DESIGNATION_FILED, designation("pk", None)),
        RejectionCode::Unauthorized,
        "payload.party",
    );
    assert_refused(
        played.submit("jmt/monitor-1", DESIGNATION_FILED, designation("pk", None)),
        RejectionCode::Unauthorized,
        "author",
    );
    let mut unknown = designation("pk", None);
    unknown["actor"] = "not-registered".into();
    assert_refused(
        played.submit("pk/liaison-1", DESIGNATION_FILED, unknown),
        RejectionCode::Invalid,
        "payload.actor",
    );
    let mut untagged = designation("pk", None);
    untagged["lang"] = "Urdu please".into();
    assert_refused(
        played.submit("pk/liaison-1", DESIGNATION_FILED, untagged),
        RejectionCode::Invalid,
        "payload.lang",
    );
}

#[test]
fn a_party_withdraws_only_its_own_designation_and_only_once() {
    let mut played = Played::new();
    let [pk, af] = played.designations;
    assert_refused(
        played.submit(
            "af/liaison-1",
            DESIGNATION_FILED,
            designation("af", Some(pk)),
        ),
        RejectionCode::Unauthorized,
        "payload.withdrawn",
    );
    let ttp = played.ttp;
    assert_refused(
        played.submit(
            "pk/liaison-1",
            DESIGNATION_FILED,
            designation("pk", Some(ttp)),
        ),
        RejectionCode::Invalid,
        "payload.withdrawn",
    );
    let withdrawal = played.state.size();
    played
        .submit(
            "pk/liaison-1",
            DESIGNATION_FILED,
            designation("pk", Some(pk)),
        )
        .unwrap();
    assert_eq!(played.designation(pk), ("pk".into(), Some(withdrawal)));
    assert_eq!(played.designation(withdrawal), ("pk".into(), None));
    assert_eq!(played.designation(af), ("af".into(), None), "untouched");
    let reason = assert_refused(
        played.submit(
            "pk/liaison-1",
            DESIGNATION_FILED,
            designation("pk", Some(pk)),
        ),
        RejectionCode::Conflict,
        "payload.withdrawn",
    );
    assert!(reason.contains(&format!("entry {withdrawal}")), "{reason}");
}

#[test]
fn a_designation_of_another_actor_is_not_withdrawn_by_this_one() {
    let mut played = Played::new();
    played
        .submit("jmt/monitor-1", ACTOR_REGISTERED, actor("other-group"))
        .unwrap();
    let pk = played.designations[0];
    let mut elsewhere = designation("pk", Some(pk));
    elsewhere["actor"] = "other-group".into();
    assert_refused(
        played.submit("pk/liaison-1", DESIGNATION_FILED, elsewhere),
        RejectionCode::Invalid,
        "payload.withdrawn",
    );
}

#[test]
fn an_update_adds_new_aliases_and_refuses_one_the_actor_has() {
    let mut played = Played::new();
    let update = |name: &str| json!({"actor": "ttp", "aliases": [{"lang": "ps", "name": name}], "note": "Exercise."});
    played
        .submit("jmt/monitor-1", ACTOR_UPDATED, update("Exercise alias"))
        .unwrap();
    assert_refused(
        played.submit("jmt/monitor-2", ACTOR_UPDATED, update("Exercise alias")),
        RejectionCode::Conflict,
        "payload.aliases[0]",
    );
    assert_refused(
        played.submit(
            "jmt/monitor-1",
            ACTOR_UPDATED,
            json!({"actor": "ttp", "aliases": [], "note": ""}),
        ),
        RejectionCode::Invalid,
        "payload.aliases",
    );
    match played.state.record(played.ttp) {
        Some(Record::Actor { aliases, .. }) => assert_eq!(aliases.len(), 4),
        other => panic!("no actor: {other:?}"),
    }
}

#[test]
fn a_restored_state_still_knows_the_registered_ids() {
    let played = Played::new();
    let state = &played.state;
    let records = (0..state.size()).filter_map(|i| state.record(i).map(|r| (i, r.clone())));
    let authors = state
        .keys()
        .filter_map(|k| state.author(&k.name).map(|head| (k.name.clone(), head)));
    let restored = LogState::restore(
        state.size(),
        state.genesis().cloned(),
        state.keys().cloned(),
        authors.collect::<Vec<_>>(),
        records.collect::<Vec<_>>(),
    );
    let mut played = Played {
        state: restored,
        ..played
    };
    assert_refused(
        played.submit("jmt/monitor-1", ACTOR_REGISTERED, actor("ttp")),
        RejectionCode::Conflict,
        "payload.id",
    );
}
