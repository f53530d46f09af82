//! What the database knows of evidence files, and of reports by provenance, on every
//! backend: the projection's attachments in log order, publication, an upload kept once,
//! and the dataset rows already on the log.

use serde_json::json;
use truce_core::Timestamp;
use truce_core::envelope::Attachment as Attached;
use truce_core::kinds::{EVIDENCE_PUBLISHED, REPORT_SUBMITTED};
use truce_demo::{DEMO_ORIGIN, Exercise, SyntheticReports};
use truce_log::{Author, SignedEntry};
use truce_store::Store;
use truce_store::evidence_files::{Attachment, UploadedFile};
use truce_store::projection::{Arg, Column};
use truce_store::provenance::ProvenanceClaim;

use crate::support::*;

const PHOTO: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
/// The agreement lets monitors import reports.
const FILER: &str = "jmt/monitor-1";

/// The exercise's first entries, a report of dataset row `r1` by the first monitor
/// attaching the photo (confidential), and (if `publish`) its publication by a
/// commissioner. The report is the exercise's log index 9.
fn notes(exercise: &Exercise, publish: bool) -> Vec<Vec<u8>> {
    let mut notes = exercise.entries();
    // A synthetic report's contents, as imported.
    let synthetic = SyntheticReports::new(exercise, 1).next_notes(1).remove(0);
    let synthetic = SignedEntry::parse(synthetic).unwrap().envelope().clone();
    let mut payload = synthetic.payload;
    payload["accused"] = json!(null);
    payload["provisions"] = json!([]);
    payload["provenance"] = json!({"dataset": "ucdp-ged", "row": "r1"});
    let mut author = Author::new(exercise.officer(FILER).clone(), &exercise.origin);
    let mut envelope = author.envelope(REPORT_SUBMITTED, payload, synthetic.time);
    envelope.attachments = vec![Attached {
        bytes: 1_234,
        media_type: "image/jpeg".into(),
        public: false,
        sha256: PHOTO.into(),
    }];
    notes.push(author.sign(&envelope, &[]));
    if publish {
        let commissioner = exercise.officer("tr/commissioner-1").clone();
        let payload = json!({"sha256": PHOTO, "note": "EXERCISE"});
        let time = Timestamp::from_unix_seconds(1_790_000_000);
        let mut author = Author::new(commissioner, &exercise.origin);
        notes.push(author.write(EVIDENCE_PUBLISHED, payload, time));
    }
    notes
}

async fn with_report(store: &Store, publish: bool) {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    append_notes(store, &exercise, notes(&exercise, publish)).await;
}

#[tokio::test]
async fn a_file_attached_by_a_report_is_confidential_until_published() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    for publish in [false, true] {
        for (store, _dir) in stores().await {
            let backend = store.backend();
            with_report(&store, publish).await;
            let attached = store.attachments(PHOTO).await.unwrap();
            let expected = Attachment {
                media_type: "image/jpeg".into(),
                bytes: 1_234,
                public: false,
                author: exercise.officer(FILER).name().to_string(),
            };
            assert_eq!(attached, [expected], "{backend}");
            assert!(store.attachments(&"0".repeat(64)).await.unwrap().is_empty());
            let published = store.evidence_published(PHOTO).await.unwrap();
            assert_eq!(published, publish, "{backend}");
        }
    }
}

#[tokio::test]
async fn an_uploaded_file_is_recorded_once() {
    for (store, _dir) in stores().await {
        let upload = |uploaded_by: &str| UploadedFile {
            sha256: PHOTO.into(),
            media_type: "image/jpeg".into(),
            bytes: 1_234,
            uploaded_by: uploaded_by.into(),
            uploaded_ms: 1_000,
        };
        store.add_uploaded_file(&upload("first")).await.unwrap();
        store.add_uploaded_file(&upload("second")).await.unwrap();
        let mut uploaders = vec![];
        let sql = "SELECT uploaded_by FROM evidence_files WHERE sha256 = $1".to_string();
        let args = [Arg::Text(PHOTO.into())];
        store
            .for_each_row(sql, &args, &[Column::Text], |row| {
                uploaders.push(row[0].clone());
            })
            .await
            .unwrap();
        assert_eq!(
            uploaders,
            [Arg::Text("first".into())],
            "{}",
            store.backend()
        );
    }
}

#[tokio::test]
async fn the_rows_of_a_dataset_on_the_log_are_found_by_provenance() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    for (store, _dir) in stores().await {
        with_report(&store, false).await;
        // More rows than one query binds.
        let mut rows: Vec<String> = (0..1_200).map(|n| format!("x{n}")).collect();
        rows.insert(700, "r1".into());
        let claims = store.provenance_claims("ucdp-ged", &rows).await.unwrap();
        let claim = ProvenanceClaim {
            row: "r1".into(),
            index: 9,
            author: exercise.officer(FILER).name().to_string(),
        };
        assert_eq!(claims, [claim], "{}", store.backend());
        let other = store.provenance_claims("acled", &rows).await.unwrap();
        assert!(other.is_empty());
    }
}
