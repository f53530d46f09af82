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
use truce_store::read::verification::{ReconciliationRow, VerificationRow};
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

#[tokio::test]
async fn observations_count_by_day_area_and_delegation_alike_on_every_backend() {
    use truce_core::Day;
    use truce_store::read::observations::Area;
    let day = |d: &str| Day::parse(d).unwrap();
    let mut answers = vec![];
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let everywhere = Area::default();
        let tenth = store
            .observation_counts(&day("2025-11-10"), &day("2025-11-10"), &everywhere)
            .await
            .unwrap();
        let sums: Vec<(&str, i64, i64, i64)> = tenth
            .iter()
            .map(|d| {
                (
                    d.reported_by.as_str(),
                    d.observations,
                    d.total,
                    d.explosions,
                )
            })
            .collect();
        // The exercise's night at Torkham (9 impacts, 4 outgoing rounds, 10 bursts), the
        // Chaman patrol (3 explosions, 11 shots) and 2 flares; each party's own 21 and 17.
        assert_eq!(
            sums,
            [("af", 1, 17, 17), ("jmt", 3, 39, 16), ("pk", 1, 21, 21)],
            "{}",
            store.backend()
        );
        let jmt = tenth.iter().find(|d| d.reported_by == "jmt").unwrap();
        assert_eq!(jmt.kinds[0].kind, "shots_fired", "the most counted first");
        assert_eq!(jmt.kinds.iter().map(|k| k.count).sum::<i64>(), 39);

        let week = store
            .observation_counts(&day("2025-11-05"), &day("2025-11-11"), &everywhere)
            .await
            .unwrap();
        let jmt_week = week.iter().find(|d| d.reported_by == "jmt").unwrap();
        assert_eq!(
            jmt_week.observations, 20,
            "7 nights, 7 patrols, 6 camera watches"
        );

        let torkham = Area {
            sector: Some("torkham".into()),
            ..Area::default()
        };
        let at_torkham = store
            .observation_counts(&day("2025-11-10"), &day("2025-11-10"), &torkham)
            .await
            .unwrap();
        let jmt_torkham = at_torkham.iter().find(|d| d.reported_by == "jmt").unwrap();
        assert_eq!((jmt_torkham.total, jmt_torkham.explosions), (23, 13));

        let balochistan = Area {
            province: Some("PK-BA".into()),
            ..Area::default()
        };
        let in_balochistan = store
            .observation_counts(&day("2025-11-08"), &day("2025-11-08"), &balochistan)
            .await
            .unwrap();
        assert_eq!(in_balochistan.len(), 1, "{in_balochistan:?}");
        assert_eq!(in_balochistan[0].total, 2, "the camera was down that day");

        let eighth = 1_762_560_000; // 2025-11-08T00:00:00Z
        let down = store.sensors_down(eighth, eighth + 86_400).await.unwrap();
        assert_eq!(
            down.iter().map(|s| s.sensor.as_str()).collect::<Vec<_>>(),
            ["cam-chaman-1"]
        );
        let tenth_s = eighth + 2 * 86_400;
        assert!(
            store
                .sensors_down(tenth_s, tenth_s + 86_400)
                .await
                .unwrap()
                .is_empty()
        );
        answers.push((tenth.clone(), store.sensors().await.unwrap().len()));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
}

#[tokio::test]
async fn restrictions_liaison_answers_and_verifications_read_back_alike_on_every_backend() {
    use truce_core::Day;
    let day = |d: &str| Day::parse(d).unwrap();
    let mut answers = vec![];
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let restrictions = store
            .restrictions_in(&day("2025-11-05"), &day("2025-11-11"), 100)
            .await
            .unwrap();
        let kinds: Vec<(&str, &str, Option<i64>)> = restrictions
            .iter()
            .map(|r| (r.controlled_by.as_str(), r.kind.as_str(), r.delay_minutes))
            .collect();
        assert_eq!(
            kinds,
            [("pk", "delay", Some(43)), ("af", "denial", None)],
            "{}",
            store.backend()
        );
        let answered = store.responsiveness().await.unwrap();
        let pk = answered.iter().find(|a| a.party == "pk").unwrap();
        assert_eq!(
            (pk.contacts, pk.acknowledged, pk.mean_response_s),
            (2, 2, Some(1560))
        );
        let af = answered.iter().find(|a| a.party == "af").unwrap();
        assert_eq!(
            (af.no_answer, af.max_response_s),
            (1, Some(8940)),
            "{}",
            store.backend()
        );
        let contacts = store
            .contacts_in(&day("2025-11-05"), &day("2025-11-11"), 100)
            .await
            .unwrap();
        assert_eq!(contacts.len(), 4);
        let verified: Vec<VerificationRow> = store.newest_first(&all(10)).await.unwrap();
        let statuses: Vec<&str> = verified.iter().map(|v| v.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["under_review", "verified"],
            "{}",
            store.backend()
        );
        let reconciled: Vec<ReconciliationRow> = store.newest_first(&all(10)).await.unwrap();
        let incident = reconciled[0].incident_idx;
        assert_eq!(
            store.reconciliation(incident).await.unwrap(),
            Some(reconciled[0].clone())
        );
        assert_eq!(
            store.incident_verifications(incident).await.unwrap().len(),
            1
        );
        answers.push((
            format!("{kinds:?}"),
            answered.clone(),
            contacts.len(),
            reconciled,
        ));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
}
