//! The projection is a deterministic fold of the log: the same entries, sequenced on
//! SQLite or on PostgreSQL, give the same state digest, and so does a rebuild (imported
//! reports' provenance columns included).

use serde_json::json;
use truce_core::{LogState, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::{Author, Frontier};
use truce_server::Limits;
use truce_server::sequencer::Sequencer;
use truce_store::Store;

/// The demo's entries, its workflow scenario (investigations, findings, measures, talks,
/// the actor registry and designations), then 40 more reports by its liaisons and
/// monitors, incidents, a link and statements, an actor's new alias and a designation
/// withdrawn.
fn log() -> (Exercise, Vec<Vec<u8>>) {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 3);
    let mut notes = exercise.entries();
    notes.extend(exercise.scenario(&now()));
    let base = notes.len() as u64;
    // The scenario wrote with these keys already: continue their chains.
    let mut state = LogState::new();
    for note in &notes {
        let entry = truce_log::SignedEntry::parse(note.clone()).unwrap();
        let admission = state.admit(entry.view(), None).unwrap();
        state.apply(admission, entry.leaf_hash().0);
    }
    let mut authors: Vec<Author> = ["pk/liaison-1", "af/liaison-1", "jmt/monitor-1"]
        .iter()
        .map(|who| {
            let key = exercise.officer(who).clone();
            let head = state.author(key.name());
            Author::continuing(key, DEMO_ORIGIN, head)
        })
        .collect();
    let at = Timestamp::parse("2025-11-01T00:00:00Z").unwrap();
    for i in 0..40u32 {
        let author = &mut authors[i as usize % 3];
        notes.push(author.write("report.submitted", report(i), at.clone()));
    }
    // The monitor opens incidents from the reports, links one more, the liaisons reply.
    for i in 0..5u64 {
        let incident = json!({"accused": ["pk", "af"], "reports": [base + i, base + 3 + i], "summary": "", "title": format!("Incident {i}")});
        notes.push(authors[2].write("incident.opened", incident, at.clone()));
    }
    let first_incident = base + 40;
    notes.push(authors[2].write(
        "report.linked",
        json!({"incident": first_incident, "report": base + 21}),
        at.clone(),
    ));
    for (author, party) in [(0, "pk"), (1, "af")] {
        let statement = json!({"figures": {"injured": {"low": 1, "best": 2, "high": 3}, "killed": {"low": 0, "best": 1, "high": 1}},
            "incident": first_incident, "kind": "denial", "lang": "en", "party": party, "sources": [], "text": format!("Exercise denial of {party}.")});
        notes.push(authors[author].write("statement.filed", statement, at.clone()));
    }
    let alias = json!({"actor": "ttp", "aliases": [{"lang": "ps", "name": "Exercise alias"}],
        "description": "Exercise description.", "note": "Exercise."});
    notes.push(authors[2].write("actor.updated", alias, at.clone()));
    let withdrawn = (0..state.size())
        .find(|i| matches!(state.record(*i), Some(truce_core::state::Record::Designation { party, .. }) if party.as_str() == "pk"))
        .unwrap();
    let withdrawal = json!({"actor": "ttp", "party": "pk", "lang": "en", "withdrawn": withdrawn,
        "designation": "Exercise designation", "text": "Exercise text."});
    notes.push(authors[0].write("designation.filed", withdrawal, at.clone()));
    // A published situation report, so that its table takes part in the digest.
    let published = json!({"period": {"from": "2025-10-31", "to": "2025-10-31"}, "language": "ur",
        "format": "pdf", "sha256": "c3".repeat(32), "title": "Exercise daily report"});
    notes.push(authors[2].write("report.published", published, at.clone()));
    (exercise, notes)
}

fn report(i: u32) -> serde_json::Value {
    let mut report = json!({
        "accused": if i.is_multiple_of(2) { json!("pk") } else { json!(null) },
        "actors": [],
        "casualties": {"children_killed": null, "civilians_killed": {"low": 0, "best": i % 3, "high": i % 3},
            "women_killed": null, "injured": {"low": 0, "best": i, "high": i * 2}, "killed": {"low": 0, "best": i % 7, "high": 10}},
        "event_type": "battles",
        // Every third report was fired from a launch point near Chaman, so that the
        // geography columns (cross_border among them) take part in the digest.
        "location": {"impact": null, "launch": if i.is_multiple_of(3) { json!({"lat": 30.93, "lon": 66.45}) } else { json!(null) },
            "place": format!("Place {i}"),
            "point": {"lat": 30.0 + f64::from(i) / 7.0, "lon": 66.0 + f64::from(i) / 3.0}, "precision": 2},
        "occurred": {"end": null, "precision": "day", "start": format!("2025-10-{:02}T06:30:00Z", 1 + i % 28)},
        "provisions": if i.is_multiple_of(4) { json!(["ceasefire", "humanitarian"]) } else { json!(["ceasefire"]) },
        "sources": [{"credibility": 1 + (i % 6) as u8, "name": "Exercise source", "reliability": "C"}],
        "sub_event_type": "armed_clash",
        "summary": "Exercise report.",
        "title": format!("Exercise report {i}")
    });
    // Some reports are imported from a dataset row, so that the provenance columns take
    // part in the digest: the monitor's (reports `i % 3 == 2`), as only monitors import.
    if i % 15 == 5 {
        report["provenance"] =
            json!({"dataset": "ucdp-ged", "row": format!("{}", 900_000 + i), "version": "21.1"});
    }
    report
}

async fn sequence(store: &Store, exercise: &Exercise, notes: &[Vec<u8>]) {
    let (handle, task) = Sequencer::spawn(
        store.clone(),
        exercise.log_key.clone(),
        LogState::new(),
        Frontier::new(),
        Limits::default(),
        truce_server::geography::AgreedGeometry::new(std::path::Path::new("unused")),
    );
    for note in notes {
        handle.submit(note.clone()).await.unwrap();
    }
    drop(handle);
    task.await.unwrap();
}

#[tokio::test]
async fn the_same_log_gives_the_same_digest_on_every_backend_and_after_a_rebuild() {
    let (exercise, notes) = log();
    let dir = tempfile::tempdir().unwrap();
    let mut stores = vec![Store::open(dir.path(), None).await.unwrap()];
    if let Some(url) = truce_store::testing::postgres_url_in_fresh_schema().await {
        stores.push(
            Store::open(std::path::Path::new("unused"), Some(&url))
                .await
                .unwrap(),
        );
    }
    let mut digests = vec![];
    for store in &stores {
        sequence(store, &exercise, &notes).await;
        let before = store.projection_digest().await.unwrap();
        let entries = truce_server::rebuild::rebuild(store, std::path::Path::new("unused"), |_| {})
            .await
            .unwrap();
        assert_eq!(entries, notes.len() as u64, "{}", store.backend());
        let after = store.projection_digest().await.unwrap();
        assert_eq!(
            before,
            after,
            "{}: rebuild changed the projection",
            store.backend()
        );
        digests.push(after);
    }
    digests.dedup();
    assert_eq!(digests.len(), 1, "backends disagree: {digests:?}");
}

#[tokio::test]
async fn the_digest_changes_with_the_projection() {
    let (exercise, notes) = log();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), None).await.unwrap();
    sequence(&store, &exercise, &notes[..60]).await;
    let before = store.projection_digest().await.unwrap();
    store.clear_projection().await.unwrap();
    assert_ne!(store.projection_digest().await.unwrap(), before);
}

fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Timestamp::from_unix_seconds(i64::try_from(seconds).unwrap())
}

#[tokio::test]
async fn a_rebuild_stopped_halfway_keeps_the_server_from_starting_until_it_is_rerun() {
    let (exercise, notes) = log();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), None).await.unwrap();
    sequence(&store, &exercise, &notes[..60]).await;
    assert!(store.projection_whole().await.unwrap());
    // What a rebuild killed after emptying the tables leaves behind.
    store.clear_projection().await.unwrap();
    assert!(!store.projection_whole().await.unwrap());
    let refused = truce_server::loader::load(&store).await.unwrap_err();
    assert!(refused.to_string().contains("truce rebuild"), "{refused}");
    truce_server::rebuild::rebuild(&store, dir.path(), |_| {})
        .await
        .unwrap();
    assert!(store.projection_whole().await.unwrap());
    truce_server::loader::load(&store).await.unwrap();
}

/// A sequencer taking over a log whose genesis another process wrote (PostgreSQL: the
/// first process stopped, this one wins the lead) locates its reports in the geometry
/// that genesis names, exactly as a rebuild does.
#[tokio::test]
async fn a_sequencer_taking_over_a_log_locates_reports_as_a_rebuild_does() {
    let Some(url) = truce_store::testing::postgres_url_in_fresh_schema().await else {
        return; // said SKIPPED
    };
    let (exercise, notes) = log();
    let constitution = exercise.entries().len();
    let unused = std::path::Path::new("unused");
    let first = Store::open(unused, Some(&url)).await.unwrap();
    sequence(&first, &exercise, &notes[..constitution]).await;
    first.close().await;
    // A new sequencer that knows nothing yet: it reloads the log when it wins the lead.
    let second = Store::open(unused, Some(&url)).await.unwrap();
    sequence(&second, &exercise, &notes[constitution..]).await;
    let mut unlocated = -1;
    let count = "SELECT COUNT(*) FROM reports WHERE border_distance_km IS NULL".to_string();
    let int = [truce_store::projection::Column::Int];
    second
        .for_each_row(count, &[], &int, |row| {
            unlocated = row[0].to_json().as_i64().unwrap();
        })
        .await
        .unwrap();
    assert_eq!(unlocated, 0, "reports sequenced without their geography");
    let before = second.projection_digest().await.unwrap();
    truce_server::rebuild::rebuild(&second, unused, |_| {})
        .await
        .unwrap();
    assert_eq!(before, second.projection_digest().await.unwrap());
}
