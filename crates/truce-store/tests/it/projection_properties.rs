//! Properties of the projector over varied logs of the exercise: the same admitted log
//! gives the same projection digest on SQLite and, when `TRUCE_TEST_POSTGRES_URL` names a
//! database, on PostgreSQL; and a rebuild from scratch gives the digest that projecting
//! batch by batch gave.
//!
//! 12 cases from a fixed seed: each opens a store per backend (PostgreSQL in a fresh
//! schema, migrations and all).

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError};
use truce_core::{LogState, Timestamp};
use truce_demo::{Change, DEMO_ORIGIN, Exercise, Plan, Variation};
use truce_log::{Frontier, LogSigner, SignedEntry};
use truce_store::Store;
use truce_store::projection::{self, Write, geography};

use crate::support::{batch, stores};

/// The exercise and its whole log: the constitution's entries, then the scenario.
fn corpus() -> &'static (Exercise, Vec<Vec<u8>>) {
    static CORPUS: OnceLock<(Exercise, Vec<Vec<u8>>)> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
        let now = Timestamp::parse("2025-11-20T12:00:00Z").expect("a valid time");
        let mut notes = exercise.entries();
        notes.extend(exercise.scenario(&now));
        (exercise, notes)
    })
}

/// The notes of `plan`'s variation that an empty log admits, in order.
fn admitted_log(plan: &Plan) -> Vec<Vec<u8>> {
    let (exercise, notes) = corpus();
    let mut variation = Variation::new(exercise, notes, plan);
    let mut state = LogState::new();
    let mut admitted = vec![];
    while let Some((_, note)) = variation.next_note(&state) {
        let Ok(entry) = SignedEntry::parse(note) else {
            continue;
        };
        let Ok(admission) = state.admit(entry.view(), None) else {
            continue;
        };
        if admission.signers.iter().all(|key| entry.verify(key)) {
            variation.admitted(state.size());
            state.apply(admission, entry.leaf_hash().0);
            admitted.push(entry.into_note());
        }
    }
    admitted
}

/// Plans that keep most entries: refused notes never reach the store, so only the
/// changes that move what is admitted matter here.
fn plan() -> impl Strategy<Value = Plan> {
    let total = corpus().1.len();
    let change = prop_oneof![
        12 => Just(Change::Keep),
        1 => Just(Change::Drop),
        1 => Just(Change::Twice),
        1 => (-2i8..=2).prop_map(Change::ShiftReferences),
        1 => prop_oneof![Just(-24), Just(24 * 30)].prop_map(Change::ShiftTime),
        1 => any::<u8>().prop_map(Change::OtherAuthor),
    ];
    (
        1..=total,
        prop::collection::vec(change, 0..=total),
        prop::collection::vec((0..total, 1..=3usize), 0..=4),
    )
        .prop_map(|(length, changes, swaps)| Plan {
            length,
            changes,
            swaps,
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        rng_seed: RngSeed::Fixed(0x7275_6365),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_backend_and_a_rebuild_project_a_varied_log_to_the_same_digest(
        plan in plan(),
        batch_sizes in prop::collection::vec(1..=24usize, 1..=6),
    ) {
        let notes = admitted_log(&plan);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(same_digest_everywhere(&notes, &batch_sizes))?;
    }
}

async fn same_digest_everywhere(
    notes: &[Vec<u8>],
    batch_sizes: &[usize],
) -> Result<(), TestCaseError> {
    let mut digests = vec![];
    for (store, _dir) in stores().await {
        append_in_batches(&store, notes, batch_sizes).await;
        let appended = store.projection_digest().await.unwrap();
        rebuild(&store, notes).await;
        let rebuilt = store.projection_digest().await.unwrap();
        store.close().await;
        prop_assert_eq!(
            &appended,
            &rebuilt,
            "{}: the rebuild differs",
            store.backend()
        );
        digests.push((store.backend(), appended));
    }
    let first = &digests[0].1;
    prop_assert!(
        digests.iter().all(|(_, digest)| digest == first),
        "the backends disagree on {} entries: {:?}",
        notes.len(),
        digests
    );
    Ok(())
}

/// Appends `notes` as the sequencer does, in batches of the sizes given (cycled).
async fn append_in_batches(store: &Store, notes: &[Vec<u8>], batch_sizes: &[usize]) {
    let (exercise, _) = corpus();
    let signer = LogSigner::new(exercise.log_key.clone());
    let (mut state, mut frontier) = (LogState::new(), Frontier::new());
    let mut rest = notes;
    for &size in batch_sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (now, later) = rest.split_at(size.min(rest.len()));
        let batch = batch(&mut state, &mut frontier, &signer, now.to_vec());
        store.append(&batch).await.unwrap();
        rest = later;
    }
}

/// Empties the projection and replays the whole log through the projector in one
/// transaction, as `truce rebuild` does.
async fn rebuild(store: &Store, notes: &[Vec<u8>]) {
    store.clear_projection().await.unwrap();
    store.apply_writes(&replayed_writes(notes)).await.unwrap();
    store.finish_rebuild().await.unwrap();
}

fn replayed_writes(notes: &[Vec<u8>]) -> Vec<Write> {
    let geometry = truce_geo::Geometry::reference();
    let mut state = LogState::new();
    let mut writes = vec![];
    for (index, note) in (0..).zip(notes) {
        let entry = SignedEntry::parse(note.clone()).unwrap();
        let admission = state.admit(entry.view(), None).unwrap();
        let signer = admission.signers[0].clone();
        let applied = state.apply(admission, entry.leaf_hash().0);
        let located = geography::locate_entry(geometry, &entry);
        writes.extend(projection::project(
            index,
            &entry,
            &signer,
            &applied.records,
            located.as_ref(),
        ));
    }
    writes
}
