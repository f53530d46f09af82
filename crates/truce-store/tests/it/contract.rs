//! The storage contract, run against every backend: SQLite in a temporary directory, and
//! PostgreSQL when `TRUCE_TEST_POSTGRES_URL` names a database (each test in a fresh schema).

use truce_core::LogState;
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::{Frontier, LogSigner};
use truce_store::{Lead, Store, StoreError};

use crate::support::*;

#[tokio::test]
async fn an_appended_batch_reads_back_whole() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    let signer = LogSigner::new(exercise.log_key.clone());
    for (store, _dir) in stores().await {
        let (mut state, mut frontier) = (LogState::new(), Frontier::new());
        let notes = exercise.entries();
        let batch = batch(&mut state, &mut frontier, &signer, notes.clone());
        store.append(&batch).await.unwrap();

        let head = store.head().await.unwrap();
        assert_eq!(
            (head.size, head.root),
            (9, frontier.root()),
            "{}",
            store.backend()
        );
        assert_eq!(head.checkpoint.as_deref(), Some(&batch.checkpoint.note[..]));
        assert_eq!(store.notes(0, 100).await.unwrap(), notes);
        assert_eq!(store.notes(3, 5).await.unwrap(), notes[3..5].to_vec());
        let entry = store.entry(4).await.unwrap().unwrap();
        assert_eq!((entry.note, entry.logged_at_ms), (notes[4].clone(), 1_000));
        assert!(store.entry(9).await.unwrap().is_none());
        assert_eq!(
            store.checkpoint(9).await.unwrap(),
            Some(batch.checkpoint.note.clone())
        );
        assert_eq!(store.checkpoint(8).await.unwrap(), None);

        let ids: Vec<u64> = batch.nodes.iter().map(|(id, _)| *id).collect();
        let hashes = store.hashes(&ids).await.unwrap();
        assert_eq!(hashes.len(), ids.len());
        assert!(batch.nodes.iter().all(|(id, h)| hashes[id] == *h));

        let keys = store.keys().await.unwrap();
        assert_eq!(keys.len(), state.keys().count());
        let revoked = keys.iter().filter(|k| k.revoked_at.is_some()).count();
        assert_eq!(revoked, 1, "{}", store.backend());
        // The convener (genesis) and every delegation root that registered officers.
        assert_eq!(store.authors().await.unwrap().len(), 5);
    }
}

#[tokio::test]
async fn a_batch_from_a_stale_head_conflicts_and_writes_nothing() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 2);
    let signer = LogSigner::new(exercise.log_key.clone());
    for (store, _dir) in stores().await {
        let notes = exercise.entries();
        let (mut state, mut frontier) = (LogState::new(), Frontier::new());
        let first = batch(&mut state, &mut frontier, &signer, notes[..3].to_vec());
        store.append(&first).await.unwrap();
        // A second writer that did not see the first batch tries to append at 0.
        let (mut state2, mut frontier2) = (LogState::new(), Frontier::new());
        let stale = batch(&mut state2, &mut frontier2, &signer, notes[..5].to_vec());
        let err = store.append(&stale).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Conflict {
                    expected: 0,
                    found: 3
                }
            ),
            "{}: {err}",
            store.backend()
        );
        assert_eq!(store.head().await.unwrap().size, 3);
        assert_eq!(store.notes(0, 10).await.unwrap().len(), 3);
        assert_eq!(store.checkpoint(5).await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_second_writer_on_one_data_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Store::open(dir.path(), None).await.unwrap();
    let err = Store::open(dir.path(), None).await.unwrap_err();
    assert!(matches!(err, StoreError::Locked(_)), "{err}");
    // Readers are welcome alongside the writer.
    Store::open_read_only(dir.path()).await.unwrap();
}

#[tokio::test]
async fn only_one_postgres_process_leads_at_a_time() {
    let Some(url) = postgres_url_in_fresh_schema().await else {
        return;
    };
    let unused = std::path::Path::new("unused");
    let first = Store::open(unused, Some(&url)).await.unwrap();
    let second = Store::open(unused, Some(&url)).await.unwrap();
    assert!(
        !first.leads() && !second.leads(),
        "nobody leads before asking"
    );
    assert_eq!(first.try_lead().await.unwrap(), Lead::Acquired);
    assert_eq!(second.try_lead().await.unwrap(), Lead::Refused);
    assert!(
        first.leads() && !second.leads(),
        "leads() tells the sequencer apart"
    );
    assert_eq!(
        first.try_lead().await.unwrap(),
        Lead::Held,
        "the leader keeps leading"
    );
    drop(first);
    // The lock is released with the leader's connection.
    let mut led = false;
    for _ in 0..50 {
        if second.try_lead().await.unwrap() == Lead::Acquired {
            led = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(led, "the second process takes over once the first is gone");
    assert!(second.leads());
}

#[tokio::test]
async fn a_database_url_that_is_not_postgres_is_refused_plainly() {
    let err = Store::open(std::path::Path::new("x"), Some("mysql://x"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("postgres://"), "{err}");
}

/// A report filed directly is stored as a bare index; an imported one keeps its
/// provenance, so that a restored admission state refuses its row again.
#[tokio::test]
async fn imported_reports_read_back_with_their_provenance() {
    use truce_core::state::Record;
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 4);
    let signer = LogSigner::new(exercise.log_key.clone());
    let key = exercise.officer("jmt/monitor-1").clone();
    let mut author = truce_log::Author::new(key, DEMO_ORIGIN);
    let time = truce_core::Timestamp::parse("2025-11-10T12:00:00Z").unwrap();
    let mut notes = exercise.entries();
    for provenance in [None, Some("59553")] {
        let mut report = serde_json::json!({
            "accused": null, "actors": [], "event_type": "battles", "sub_event_type": "armed_clash",
            "casualties": {"children_killed": null, "civilians_killed": null, "women_killed": null,
                "injured": {"low": 0, "best": 0, "high": 0}, "killed": {"low": 1, "best": 2, "high": 3}},
            "location": {"impact": null, "launch": null, "place": "", "point": {"lat": 34.0, "lon": 71.5}, "precision": 2},
            "occurred": {"end": null, "precision": "day", "start": "2021-03-04T00:00:00Z"},
            "provisions": [], "sources": [], "summary": "", "title": "Exercise report"});
        if let Some(row) = provenance {
            report["provenance"] = serde_json::json!({"dataset": "ucdp-ged", "row": row});
        }
        notes.push(author.write("report.submitted", report, time.clone()));
    }
    for (store, _dir) in stores().await {
        let (mut state, mut frontier) = (LogState::new(), Frontier::new());
        let batch = batch(&mut state, &mut frontier, &signer, notes.clone());
        store.append(&batch).await.unwrap();
        let records = store.records().await.unwrap();
        assert_eq!(records.reports, vec![9], "{}", store.backend());
        let imported = records.others.iter().find(|(at, _)| *at == 10);
        match imported {
            Some((_, Record::ImportedReport { provenance })) => {
                assert_eq!(
                    (provenance.dataset.as_str(), provenance.row.as_str()),
                    ("ucdp-ged", "59553")
                );
            }
            other => panic!("{}: {other:?}", store.backend()),
        }
    }
}

#[tokio::test]
async fn cosignatures_are_kept_once_per_witness_and_size_and_found_by_quorum() {
    use truce_store::StoredCosignature;
    let cosignature = |size: u64, witness: &str| StoredCosignature {
        size,
        witness: witness.to_string(),
        line: format!("— {witness} AAAA{size}\n").into_bytes(),
        cosigned_at: 1_700_000_000 + size,
        stored_at_ms: 1_700_000_000_000 + size,
    };
    for (store, _dir) in stores().await {
        assert_eq!(store.newest_cosigned(1).await.unwrap(), None);
        for (size, witness) in [(5, "w1"), (5, "w2"), (9, "w1"), (12, "w2"), (12, "w3")] {
            store
                .add_cosignature(&cosignature(size, witness))
                .await
                .unwrap();
        }
        // A second cosignature by w1 on size 5 (another time) does not replace the first.
        let mut again = cosignature(5, "w1");
        again.cosigned_at += 60;
        store.add_cosignature(&again).await.unwrap();
        let mut on_five = store.cosignatures(5).await.unwrap();
        // The store stamps when it wrote each one.
        for stored in &mut on_five {
            let age = now_ms().saturating_sub(stored.stored_at_ms);
            assert!(
                age < 60_000,
                "stored_at_ms {} is not the time of writing",
                stored.stored_at_ms
            );
            stored.stored_at_ms = cosignature(5, "w1").stored_at_ms;
        }
        assert_eq!(on_five, vec![cosignature(5, "w1"), cosignature(5, "w2")]);
        assert_eq!(store.newest_cosigned(1).await.unwrap(), Some(12));
        assert_eq!(store.newest_cosigned(2).await.unwrap(), Some(12));
        assert_eq!(store.newest_cosigned(3).await.unwrap(), None);
        let latest = store.latest_cosignatures().await.unwrap();
        let sizes: Vec<(String, u64)> = latest.into_iter().map(|c| (c.witness, c.size)).collect();
        assert_eq!(
            sizes,
            [("w1".into(), 9), ("w2".into(), 12), ("w3".into(), 12)]
        );
    }
}

fn now_ms() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    u64::try_from(since.unwrap().as_millis()).unwrap()
}
