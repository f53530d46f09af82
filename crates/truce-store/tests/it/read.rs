//! The read model on every backend: the exercise's workflow projected, then read back as
//! typed rows. Every row decodes, lists page as the API pages them, and both backends
//! answer the same.

use truce_core::{LogState, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::{Frontier, LogSigner};
use truce_store::Store;
use truce_store::projection::Arg;
use truce_store::read::Listed;
use truce_store::read::crossings::FlowFilter;
use truce_store::read::talks::{CommitmentRow, RoundRow};
use truce_store::read::workflow::{InvestigationRow, MeasureRow, StepRow};

use crate::support::*;

/// Appends the exercise and its scenario (talks, commitments, crossings...) to `store`.
pub(crate) async fn play_exercise(store: &Store) {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    let signer = LogSigner::new(exercise.log_key.clone());
    let mut notes = exercise.entries();
    notes.extend(exercise.scenario(&Timestamp::from_unix_seconds(1_790_000_000)));
    let (mut state, mut frontier) = (LogState::new(), Frontier::new());
    let batch = batch(&mut state, &mut frontier, &signer, notes);
    store.append(&batch).await.unwrap();
}

pub(crate) fn all(limit: usize) -> Listed {
    Listed {
        limit,
        ..Listed::default()
    }
}

#[tokio::test]
async fn talks_read_back_newest_first_in_pages() {
    let mut answers = vec![];
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let rounds: Vec<RoundRow> = store.newest_first(&all(100)).await.unwrap();
        assert!(rounds.len() >= 2, "{}", store.backend());
        assert!(rounds.windows(2).all(|w| w[0].index > w[1].index));
        assert!(rounds.iter().all(|r| !r.participants.is_empty()));

        // The next page starts after the cursor.
        let older = Listed {
            before: Some(rounds[0].index),
            ..all(100)
        };
        let rest: Vec<RoundRow> = store.newest_first(&older).await.unwrap();
        assert_eq!(rest, rounds[1..]);
        let first: Vec<RoundRow> = store.newest_first(&all(1)).await.unwrap();
        assert_eq!(first, rounds[..1]);

        let round = rounds.last().unwrap().index;
        let made_at: Vec<CommitmentRow> = store.children("round_idx", round).await.unwrap();
        assert!(!made_at.is_empty(), "{}", store.backend());
        assert!(made_at.windows(2).all(|w| w[0].index < w[1].index));
        let filtered = Listed {
            equal: vec![("round_idx", Arg::Int(i64::try_from(round).unwrap()))],
            ..all(100)
        };
        let listed: Vec<CommitmentRow> = store.newest_first(&filtered).await.unwrap();
        assert_eq!(listed.into_iter().rev().collect::<Vec<_>>(), made_at);

        assert_eq!(
            store.row::<RoundRow>(round).await.unwrap().unwrap().index,
            round
        );
        assert_eq!(store.row::<RoundRow>(0).await.unwrap(), None);
        answers.push(format!("{rounds:?} {made_at:?}"));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the backends differ"
    );
}

#[tokio::test]
async fn crossings_read_back_with_totals_that_add_up() {
    let mut answers = vec![];
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let crossings = store.crossings_on_log().await.unwrap();
        assert!(!crossings.is_empty(), "{}", store.backend());
        let mut read = vec![];
        for id in &crossings {
            let statuses = store.crossing_statuses(id, 1_000).await.unwrap();
            assert!(statuses.windows(2).all(|w| w[0].since_s >= w[1].since_s));
            let all = FlowFilter::default();
            let flows = store.crossing_flows(id, &all, 1_000).await.unwrap();
            let totals = store.crossing_flow_totals(id, &all).await.unwrap();
            let summed: i64 = totals.iter().map(|t| t.flows).sum();
            assert_eq!(summed, i64::try_from(flows.len()).unwrap(), "{id}");
            let best: i64 = totals.iter().map(|t| t.count.best).sum();
            assert_eq!(
                best,
                flows.iter().map(|f| f.count_best).sum::<i64>(),
                "{id}"
            );
            read.push((statuses, flows, totals));
        }
        answers.push(format!("{crossings:?} {read:?}"));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the backends differ"
    );
}

#[tokio::test]
async fn investigations_their_steps_and_measures_read_back_alike() {
    let mut answers = vec![];
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let measures: Vec<MeasureRow> = store.newest_first(&all(100)).await.unwrap();
        assert!(!measures.is_empty(), "{}", store.backend());
        assert!(measures.iter().all(|m| m.updated_idx >= m.index));
        let mut steps = vec![];
        for measure in &measures {
            assert_eq!(
                store
                    .row::<MeasureRow>(measure.index)
                    .await
                    .unwrap()
                    .as_ref(),
                Some(measure)
            );
        }
        let investigations: Vec<InvestigationRow> = store.newest_first(&all(100)).await.unwrap();
        assert!(!investigations.is_empty(), "{}", store.backend());
        assert!(investigations.iter().all(|i| !i.monitors.is_empty()));
        for investigation in &investigations {
            let of: Vec<StepRow> = store
                .children("investigation_idx", investigation.index)
                .await
                .unwrap();
            assert!(
                of.iter()
                    .all(|s| s.investigation_idx == investigation.index)
            );
            steps.extend(of);
        }
        assert!(!steps.is_empty(), "{}", store.backend());
        answers.push(format!("{measures:?} {investigations:?} {steps:?}"));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the backends differ"
    );
}
