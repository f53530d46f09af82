//! The read model's records on every backend: reports under every filter, an incident with
//! its accounts, a finding with its votes, the compliance counts, a period's figures, the
//! actor registry and the agreement. Each query is checked against the same rows filtered
//! or counted here, so the SQL and the meaning cannot drift apart, and both backends must
//! answer alike.

use time::OffsetDateTime;
use truce_core::DelegationId;
use truce_store::Store;
use truce_store::read::actors::{ActorRow, DesignationRow};
use truce_store::read::compliance::{Tallied, TrendBy};
use truce_store::read::findings::FindingRow;
use truce_store::read::incidents::{IncidentFilter, IncidentRow};
use truce_store::read::period::{Bounds, GroupBy};
use truce_store::read::reports::{Order, ReportFilter, ReportRow};

use crate::read::{all, play_exercise};
use crate::support::*;

/// Which reports a filter should select, worked out here.
type Keep = Box<dyn Fn(&ReportRow) -> bool>;

/// Every report, newest first.
async fn every_report(store: &Store) -> Vec<ReportRow> {
    let filter = ReportFilter::default();
    let reports = store.reports(&filter, Order::NewestBefore(None), 10_000);
    reports.await.unwrap()
}

/// The reports `filter` selects, newest first, and the same picked out of `every` by `keep`.
async fn filtered(
    store: &Store,
    every: &[ReportRow],
    filter: ReportFilter,
    keep: impl Fn(&ReportRow) -> bool,
) -> (Vec<u64>, Vec<u64>) {
    let got = store.reports(&filter, Order::NewestBefore(None), 10_000);
    let got = got.await.unwrap().iter().map(|r| r.index).collect();
    let expected = every.iter().filter(|r| keep(r)).map(|r| r.index).collect();
    (got, expected)
}

#[tokio::test]
async fn report_filters_select_what_they_say() {
    let mut answers = vec![];
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let every = every_report(&store).await;
        assert!(every.len() >= 5, "{}", store.backend());
        let first = &every[every.len() / 2];
        let party = first.delegation.clone();
        let kind = first.report.event_type.clone();
        let start = first.report.occurred.start.unix_seconds();
        let checks: Vec<(ReportFilter, Keep)> = vec![
            (
                ReportFilter {
                    party: Some(party.clone()),
                    ..ReportFilter::default()
                },
                Box::new(move |r: &ReportRow| {
                    r.delegation == party
                        || r.report.accused.as_ref().map(DelegationId::as_str)
                            == Some(party.as_str())
                }),
            ),
            (
                ReportFilter {
                    kind: Some(kind.clone()),
                    from: Some(start),
                    ..ReportFilter::default()
                },
                Box::new(move |r: &ReportRow| {
                    r.report.event_type == kind && r.report.occurred.start.unix_seconds() >= start
                }),
            ),
            (
                ReportFilter {
                    bbox: Some([69.0, 30.0, 72.0, 35.0]),
                    ..ReportFilter::default()
                },
                Box::new(move |r: &ReportRow| {
                    let p = r.report.location.point;
                    (69.0..=72.0).contains(&p.lon) && (30.0..=35.0).contains(&p.lat)
                }),
            ),
            (
                ReportFilter {
                    border_km_max: Some(25.0),
                    ..ReportFilter::default()
                },
                Box::new(move |r: &ReportRow| {
                    r.geography
                        .as_ref()
                        .is_some_and(|g| g.border_distance_km <= 25.0)
                }),
            ),
        ];
        let mut narrowed = false;
        for (filter, keep) in checks {
            let (got, expected) = filtered(&store, &every, filter.clone(), keep).await;
            assert_eq!(got, expected, "{} {filter:?}", store.backend());
            narrowed |= !got.is_empty() && got.len() < every.len();
        }
        assert!(narrowed, "some filter selects some reports but not all");
        // Pages: oldest first after a cursor, newest first before one.
        let cursor = every[2].index;
        let none = ReportFilter::default();
        let older = store.reports(&none, Order::NewestBefore(Some(cursor)), 2);
        let older: Vec<u64> = older.await.unwrap().iter().map(|r| r.index).collect();
        assert_eq!(older, [every[3].index, every[4].index]);
        let newer = store.reports(&none, Order::OldestAfter(Some(cursor)), 2);
        let newer: Vec<u64> = newer.await.unwrap().iter().map(|r| r.index).collect();
        assert_eq!(newer, [every[1].index, every[0].index]);
        answers.push(format!("{every:?}"));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the backends differ"
    );
}

#[tokio::test]
async fn an_incident_reads_back_with_reports_accounts_and_findings() {
    let mut answers = vec![];
    let now = OffsetDateTime::UNIX_EPOCH;
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let none = IncidentFilter::default();
        let incidents: Vec<IncidentRow> = store.incidents(&none, None, 100).await.unwrap();
        assert!(!incidents.is_empty(), "{}", store.backend());
        let mut views = vec![];
        for incident in &incidents {
            let view = store.incident(incident.index, now).await.unwrap().unwrap();
            assert_eq!(&view.incident, incident);
            let accused = &incident.accused;
            // Every accused party has an account, silent or not; accounts are by party.
            assert!(
                accused
                    .iter()
                    .all(|p| view.accounts.iter().any(|a| &a.party == p))
            );
            assert!(view.accounts.windows(2).all(|w| w[0].party < w[1].party));
            assert!(
                view.findings
                    .iter()
                    .all(|f| f.finding.incident_idx == incident.index)
            );
            // At the epoch every reply window not yet final is open.
            assert!(
                view.findings
                    .iter()
                    .all(|f| f.reply_window_open == (f.finding.status != "final"))
            );
            for party in accused {
                let filter = IncidentFilter {
                    party: Some(party.clone()),
                    ..IncidentFilter::default()
                };
                let listed = store.incidents(&filter, None, 100).await.unwrap();
                assert!(listed.iter().any(|i| i.index == incident.index));
                assert!(listed.iter().all(|i| i.accused.contains(party)));
            }
            views.push(view);
        }
        assert!(
            views
                .iter()
                .any(|v| !v.reports.is_empty() && !v.findings.is_empty())
        );
        assert_eq!(store.incident(0, now).await.unwrap(), None);
        answers.push(format!("{views:?}"));
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the backends differ"
    );
}

#[tokio::test]
async fn a_finding_reads_back_with_votes_replies_and_measure() {
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let findings: Vec<FindingRow> = store.newest_first(&all(100)).await.unwrap();
        assert!(
            findings.iter().any(|f| f.status == "final"),
            "{}",
            store.backend()
        );
        for finding in &findings {
            let far = OffsetDateTime::UNIX_EPOCH + time::Duration::days(365 * 200);
            let detail = store.finding(finding.index, far).await.unwrap().unwrap();
            assert_eq!(&detail.finding.finding, finding);
            assert!(
                !detail.finding.reply_window_open,
                "no window is open in 200 years"
            );
            assert!(detail.votes.iter().all(|v| v.finding_idx == finding.index));
            assert!(
                detail
                    .replies
                    .iter()
                    .all(|r| r.finding_idx == Some(finding.index))
            );
            assert_eq!(detail.measure.map(|m| m.index), finding.measure_idx);
            let replied = finding.replied.iter().filter_map(|r| r.index);
            assert!(
                replied
                    .clone()
                    .all(|i| detail.replies.iter().any(|r| r.index == i))
            );
        }
        let made_final = store.findings_made_final(100).await.unwrap();
        let finals = findings.iter().filter(|f| f.final_idx.is_some()).count();
        assert_eq!(made_final.len(), finals);
        assert!(
            made_final
                .windows(2)
                .all(|w| w[0].final_idx > w[1].final_idx)
        );
    }
}

#[tokio::test]
async fn compliance_counts_add_up_to_the_rows() {
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let every = every_report(&store).await;
        let against = store.tallies(Tallied::AllegationsAgainst).await.unwrap();
        let accused = every.iter().filter(|r| r.report.accused.is_some()).count();
        let counted: i64 = against.iter().map(|t| t.count).sum();
        assert_eq!(
            usize::try_from(counted).unwrap(),
            accused,
            "{}",
            store.backend()
        );
        let made = store.tallies(Tallied::AllegationsMade).await.unwrap();
        let counted: i64 = made.iter().map(|t| t.count).sum();
        assert_eq!(usize::try_from(counted).unwrap(), every.len());
        for what in Tallied::ALL {
            let tallies = store.tallies(what).await.unwrap();
            assert!(tallies.iter().all(|t| t.count > 0 && !t.party.is_empty()));
        }
        let newest = store.newest_report_start().await.unwrap().unwrap();
        let latest = every
            .iter()
            .map(|r| r.report.occurred.start.unix_seconds())
            .max();
        assert_eq!(Some(newest), latest);
        let trend = store.report_trend(0, TrendBy::Party).await.unwrap();
        let counted: i64 = trend.iter().map(|m| m.count).sum();
        assert_eq!(usize::try_from(counted).unwrap(), accused);
        assert!(trend.windows(2).all(|w| w[0].month <= w[1].month));
    }
}

#[tokio::test]
async fn a_period_counts_against_the_one_before() {
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let every = every_report(&store).await;
        let start = every
            .iter()
            .map(|r| r.report.occurred.start.unix_seconds())
            .min()
            .unwrap();
        let day = 86_400;
        let (start_s, end_s) = (start - start % day, start - start % day + 30 * day);
        let bounds = Bounds {
            previous_start_s: start_s - 30 * day,
            start_s,
            end_s,
            first_day: "1970-01-01".into(),
            day_after: "2100-01-01".into(),
        };
        let in_period = |r: &&ReportRow| {
            let s = r.report.occurred.start.unix_seconds();
            (start_s..end_s).contains(&s)
        };
        let by_type = store.compared(&bounds, GroupBy::EventType).await.unwrap();
        let current: i64 = by_type.iter().map(|c| c.current).sum();
        let expected = every.iter().filter(in_period).count();
        assert_eq!(
            usize::try_from(current).unwrap(),
            expected,
            "{}",
            store.backend()
        );
        assert!(
            by_type.iter().all(|c| c.previous == 0),
            "nothing is older than the first"
        );
        assert!(by_type.windows(2).all(|w| w[0].current >= w[1].current));
        let points = store.report_points(&bounds, 1_000).await.unwrap();
        assert_eq!(points.len(), expected);
        let sums = store.casualty_sums(&bounds).await.unwrap();
        let entries: i64 = sums.iter().map(|s| s.entries).sum();
        assert!(entries >= current);
        let signed = store.findings_signed_in(&bounds, 1_000).await.unwrap();
        let findings: Vec<FindingRow> = store.newest_first(&all(1_000)).await.unwrap();
        assert_eq!(
            signed.len(),
            findings.len(),
            "every finding is signed in 1970..2100"
        );
        let denials = store.denials_in(&bounds, 1_000).await.unwrap();
        assert!(denials.iter().all(|d| d.kind == "access_denied"));
        let statuses = store.statuses_before(i64::MAX).await.unwrap();
        assert!(
            statuses
                .windows(2)
                .all(|w| (&w[0].crossing, w[0].since_s) <= (&w[1].crossing, w[1].since_s))
        );
    }
}

#[tokio::test]
async fn actors_designations_and_amendments_read_back() {
    for (store, _dir) in stores().await {
        play_exercise(&store).await;
        let actors: Vec<ActorRow> = store.newest_first(&all(100)).await.unwrap();
        assert!(!actors.is_empty(), "{}", store.backend());
        for actor in &actors {
            let by_id = store.actor_by_id(&actor.id).await.unwrap();
            assert_eq!(by_id.as_ref(), Some(actor));
            let filed: Vec<DesignationRow> =
                store.children("actor_idx", actor.index).await.unwrap();
            assert!(filed.iter().all(|d| d.actor == actor.id));
        }
        assert_eq!(store.actor_by_id("no-such-actor").await.unwrap(), None);
        let amendments = store.amendments().await.unwrap();
        assert_eq!(
            store.latest_amendment().await.unwrap().as_ref(),
            amendments.last()
        );
    }
}
