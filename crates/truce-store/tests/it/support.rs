//! What the storage tests share: a fresh store on every available backend, and batches
//! built as the sequencer builds them.

use std::collections::BTreeMap;

use truce_core::LogState;
use truce_log::{Frontier, LogSigner, SignedEntry};
use truce_store::{Batch, NewEntry, Store};

pub use truce_store::testing::postgres_url_in_fresh_schema;

/// A fresh store on each backend that is available, named for messages.
pub async fn stores() -> Vec<(Store, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let mut stores = vec![(Store::open(dir.path(), None).await.unwrap(), Some(dir))];
    if let Some(url) = postgres_url_in_fresh_schema().await {
        let store = Store::open(std::path::Path::new("unused"), Some(&url))
            .await
            .unwrap();
        stores.push((store, None));
    }
    stores
}

/// Appends `notes` to an empty `store`, signed by the exercise's log key.
pub async fn append_notes(store: &Store, exercise: &truce_demo::Exercise, notes: Vec<Vec<u8>>) {
    let signer = LogSigner::new(exercise.log_key.clone());
    let (mut state, mut frontier) = (LogState::new(), Frontier::new());
    let batch = batch(&mut state, &mut frontier, &signer, notes);
    store.append(&batch).await.unwrap();
}

/// Builds the batch that appends `notes` after `state`, as a sequencer would.
pub fn batch(
    state: &mut LogState,
    frontier: &mut Frontier,
    signer: &LogSigner,
    notes: Vec<Vec<u8>>,
) -> Batch {
    let first_index = frontier.size();
    let (mut projection, mut records) = (vec![], vec![]);
    let (mut entries, mut nodes, mut keys, mut authors) = (vec![], vec![], vec![], BTreeMap::new());
    for note in notes {
        let entry = SignedEntry::parse(note).unwrap();
        let admission = state.admit(entry.view(), None).unwrap();
        let signer = admission.signers[0].clone();
        let applied = state.apply(admission, entry.leaf_hash().0);
        let geometry = truce_geo::Geometry::reference();
        let geography = truce_store::projection::geography::locate_entry(geometry, &entry);
        projection.extend(truce_store::projection::project(
            applied.index,
            &entry,
            &signer,
            &applied.records,
            geography.as_ref(),
        ));
        records.extend(applied.records);
        keys.extend(applied.keys);
        authors.insert(applied.author, applied.head);
        nodes.extend(frontier.append(entry.leaf_hash()));
        entries.push(NewEntry {
            leaf_hash: entry.leaf_hash(),
            note: entry.into_note(),
            logged_at_ms: 1_000,
        });
    }
    Batch {
        first_index,
        entries,
        nodes,
        keys,
        authors: authors.into_iter().collect(),
        projection,
        records,
        checkpoint: signer.sign(frontier.size(), frontier.root()),
        signed_at_ms: 2_000,
    }
}
