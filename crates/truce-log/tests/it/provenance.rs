//! Imported reports: a dataset row is on a log once. The rule is admission's, so the
//! sequencer and an auditor replaying the log apply it alike, and a state restored from
//! its saved records still knows every imported row.

use serde_json::{Value, json};
use truce_core::kinds::{INCIDENT_OPENED, REPORT_SUBMITTED};
use truce_core::state::Record;
use truce_core::{LogState, Rejection, RejectionCode, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::{Author, SignedEntry};

const MONITOR: &str = "jmt/monitor-1";

fn time() -> Timestamp {
    Timestamp::parse("2025-11-10T12:00:00Z").unwrap()
}

/// The demo log after its first entries (genesis, registrations).
fn demo() -> (Exercise, LogState) {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    let mut state = LogState::new();
    for note in exercise.entries() {
        submit(&mut state, note).unwrap();
    }
    (exercise, state)
}

fn submit(state: &mut LogState, note: Vec<u8>) -> Result<u64, Rejection> {
    let entry = SignedEntry::parse(note)?;
    let admission = state.admit(entry.view(), None)?;
    Ok(state.apply(admission, entry.leaf_hash().0).index)
}

fn file(
    exercise: &Exercise,
    state: &mut LogState,
    who: &str,
    payload: Value,
) -> Result<u64, Rejection> {
    let key = exercise.officer(who);
    let mut author = Author::continuing(key.clone(), DEMO_ORIGIN, state.author(key.name()));
    submit(state, author.write(REPORT_SUBMITTED, payload, time()))
}

/// A UCDP GED row as `truce import ucdp` shapes it.
fn imported(dataset: &str, row: &str) -> Value {
    json!({
        "accused": null,
        "actors": [{"name": "Government of Pakistan", "party": null, "side": "perpetrator"}],
        "casualties": {"children_killed": null, "civilians_killed": null,
            "injured": {"low": 0, "best": 0, "high": 0}, "killed": {"low": 2, "best": 2, "high": 3},
            "women_killed": null},
        "event_type": "battles",
        "location": {"impact": null, "launch": null, "place": "Kel village",
            "point": {"lat": 34.82, "lon": 74.35}, "precision": 2},
        "occurred": {"end": null, "precision": "day", "start": "1990-10-04T00:00:00Z"},
        "provenance": {"dataset": dataset, "row": row, "version": "21.1"},
        "provisions": [],
        "sources": [{"credibility": 6, "name": "UCDP GED, citing Pakistani military", "reliability": "F"}],
        "sub_event_type": "armed_clash",
        "summary": "",
        "title": "India - Pakistan: Kel village",
    })
}

fn assert_already_imported(result: Result<u64, Rejection>, at: u64) {
    let rejection = result.expect_err("a second report of the row must be refused");
    assert_eq!(rejection.code, RejectionCode::Conflict);
    assert_eq!(rejection.field, "payload.provenance");
    assert!(
        rejection
            .reason
            .contains(&format!("already imported at index {at}")),
        "{rejection}"
    );
}

#[test]
fn a_dataset_row_is_imported_once_whoever_files_it_again() {
    let (exercise, mut state) = demo();
    let first = file(
        &exercise,
        &mut state,
        MONITOR,
        imported("ucdp-ged", "59553"),
    )
    .unwrap();
    assert_eq!(state.imported("ucdp-ged", "59553"), Some(first));
    let again = file(
        &exercise,
        &mut state,
        MONITOR,
        imported("ucdp-ged", "59553"),
    );
    assert_already_imported(again, first);
    let by_another = file(
        &exercise,
        &mut state,
        "jmt/monitor-2",
        imported("ucdp-ged", "59553"),
    );
    assert_already_imported(by_another, first);
    // The same id in another dataset is another row.
    file(&exercise, &mut state, MONITOR, imported("acled", "59553")).unwrap();
}

/// A liaison may file reports but not claim a dataset row: a claim would keep the real
/// row off the log. Only the agreement's `importers` (monitors by default) may.
#[test]
fn only_the_agreements_importers_may_claim_a_dataset_row() {
    let (exercise, mut state) = demo();
    let size = state.size();
    let claimed = file(
        &exercise,
        &mut state,
        "pk/liaison-1",
        imported("ucdp-ged", "59553"),
    );
    let rejection = claimed.expect_err("a liaison cannot import");
    assert_eq!(
        (rejection.code, rejection.field.as_str()),
        (RejectionCode::Unauthorized, "payload.provenance")
    );
    assert!(rejection.reason.contains("monitor"), "{rejection}");
    assert_eq!(state.size(), size);
    assert_eq!(state.imported("ucdp-ged", "59553"), None);
    // The same report without a provenance is an ordinary report of the liaison's.
    let mut plain = imported("ucdp-ged", "59553");
    plain.as_object_mut().unwrap().remove("provenance");
    file(&exercise, &mut state, "pk/liaison-1", plain).unwrap();
    // And the monitor's import of the row goes through.
    file(
        &exercise,
        &mut state,
        MONITOR,
        imported("ucdp-ged", "59553"),
    )
    .unwrap();
}

#[test]
fn the_agreements_importers_must_be_roles_that_file_reports() {
    use truce_core::Role;
    let mut genesis = Exercise::from_seed(DEMO_ORIGIN, 1).genesis();
    genesis.importers = Some(vec![Role::Monitor, Role::Device]);
    assert!(genesis.validate(DEMO_ORIGIN).is_ok());
    for (importers, field) in [
        (vec![Role::Monitor, Role::Commissioner], "importers[1]"),
        (vec![Role::Device, Role::Device], "importers[1]"),
        (vec![], "importers"),
    ] {
        genesis.importers = Some(importers);
        assert_eq!(genesis.validate(DEMO_ORIGIN).unwrap_err().field, field);
    }
}

#[test]
fn an_imported_report_is_a_report_to_the_rules_that_refer_to_reports() {
    let (exercise, mut state) = demo();
    let at = file(&exercise, &mut state, MONITOR, imported("ucdp-ged", "1")).unwrap();
    assert!(matches!(
        state.record(at),
        Some(Record::ImportedReport { .. })
    ));
    let key = exercise.officer(MONITOR);
    let mut author = Author::continuing(key.clone(), DEMO_ORIGIN, state.author(key.name()));
    let incident =
        json!({"accused": [], "reports": [at], "title": "An imported event", "summary": ""});
    submit(&mut state, author.write(INCIDENT_OPENED, incident, time())).unwrap();
}

#[test]
fn a_malformed_provenance_is_refused_naming_its_part() {
    let (exercise, mut state) = demo();
    let result = file(&exercise, &mut state, MONITOR, imported("UCDP", "1"));
    let rejection = result.expect_err("refused");
    assert_eq!(rejection.field, "payload.provenance.dataset");
}

#[test]
fn a_restored_state_still_refuses_an_imported_row() {
    let (exercise, mut state) = demo();
    let first = file(
        &exercise,
        &mut state,
        MONITOR,
        imported("ucdp-ged", "59553"),
    )
    .unwrap();
    file(
        &exercise,
        &mut state,
        MONITOR,
        imported("ucdp-ged", "59554"),
    )
    .unwrap();
    // What storage saves: every record, as `apply` reported it.
    let records = (0..state.size()).filter_map(|i| state.record(i).map(|r| (i, r.clone())));
    let authors = state
        .keys()
        .filter_map(|k| state.author(&k.name).map(|head| (k.name.clone(), head)));
    let mut restored = LogState::restore(
        state.size(),
        state.genesis().cloned(),
        state.keys().cloned(),
        authors.collect::<Vec<_>>(),
        records.collect::<Vec<_>>(),
    );
    let again = file(
        &exercise,
        &mut restored,
        MONITOR,
        imported("ucdp-ged", "59553"),
    );
    assert_already_imported(again, first);
}
