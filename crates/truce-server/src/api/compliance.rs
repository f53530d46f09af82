//! The per-party compliance summary: for each party to the agreement, what was alleged
//! against it, what the mechanism found, the measures it incurred and where they stand,
//! the denials of access recorded against it, and its commitments from the talks; and per
//! provision the alerts raised on it (crossings closed longer than the agreement allows).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use truce_core::{Body, DelegationKind, Genesis};
use truce_log::SignedEntry;
use truce_store::projection::{Arg, Column};

use crate::app::AppState;
use crate::problem::Problem;

/// (name in the answer, grouped count: party first, then an optional second key). Report
/// counts are kept by the projector in `report_counts`, so a million reports are not
/// counted on each request (BENCHMARKS.md).
const COUNTS: &[(&str, &str)] = &[
    (
        "allegations_against",
        "SELECT party, status, n FROM report_counts WHERE side = 'against'",
    ),
    (
        "allegations_made",
        "SELECT party, status, n FROM report_counts WHERE side = 'made'",
    ),
    (
        "findings_attributed",
        "SELECT party, status, COUNT(*) FROM findings WHERE party IS NOT NULL GROUP BY party, status",
    ),
    (
        "measures",
        "SELECT party, status, COUNT(*) FROM measures GROUP BY party, status",
    ),
    (
        "access_denials",
        "SELECT party, kind, COUNT(*) FROM investigation_steps WHERE kind = 'access_denied' GROUP BY party, kind",
    ),
    (
        "commitments",
        "SELECT owner, status, COUNT(*) FROM commitments GROUP BY owner, status",
    ),
];

/// `GET /api/v1/compliance`.
pub async fn summary(State(state): State<AppState>) -> Result<Json<Value>, Problem> {
    let mut parties: BTreeMap<String, Value> = parties(&state)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let mut summary = json!({"party": id, "name": name});
            for (field, _) in COUNTS {
                summary[*field] = json!({"total": 0, "by_status": {}});
            }
            (id, summary)
        })
        .collect();
    let columns = [Column::Text, Column::Text, Column::Int];
    for (field, sql) in COUNTS {
        let mut rows = vec![];
        state
            .store
            .for_each_row((*sql).to_string(), &[], &columns, |row| rows.push(row))
            .await?;
        for row in rows {
            let (Arg::Text(party), Arg::Text(status), Arg::Int(count)) =
                (&row[0], &row[1], &row[2])
            else {
                continue;
            };
            // Only the parties to the agreement are summarised (reports by monitors too
            // are counted under allegations_against their accused).
            let Some(summary) = parties.get_mut(party) else {
                continue;
            };
            let entry = &mut summary[*field];
            entry["total"] = (entry["total"].as_i64().unwrap_or(0) + count).into();
            if *field != "access_denials" {
                entry["by_status"][status] = (*count).into();
            }
        }
    }
    let provisions: Vec<super::crossings::ClosureAlerts> = super::crossings::alerts(&state)
        .await?
        .into_iter()
        .collect();
    Ok(Json(
        json!({"parties": parties.into_values().collect::<Vec<_>>(), "provisions": provisions}),
    ))
}

/// The parties named by the genesis (entry 0), by id, with their names.
pub(crate) async fn parties(state: &AppState) -> Result<Vec<(String, String)>, Problem> {
    let Some(genesis) = genesis(state).await? else {
        return Ok(vec![]);
    };
    Ok(genesis
        .delegations_of(DelegationKind::Party)
        .map(|d| (d.id.to_string(), d.name.clone()))
        .collect())
}

/// The genesis (entry 0) as signed, if the log has one.
/// Read from storage once: entry 0 never changes (amendments are entries of their own).
pub(crate) async fn genesis(state: &AppState) -> Result<Option<Arc<Genesis>>, Problem> {
    if let Some(genesis) = state.genesis.get() {
        return Ok(Some(genesis.clone()));
    }
    let Some(stored) = state.store.entry(0).await? else {
        return Ok(None);
    };
    let entry = SignedEntry::parse(stored.note)
        .map_err(|e| Problem::internal(&format!("the stored genesis does not parse: {e}")))?;
    let Body::Genesis(genesis) = entry.body() else {
        return Err(Problem::internal(&"entry 0 is not the genesis"));
    };
    Ok(Some(
        state
            .genesis
            .get_or_init(|| Arc::new((**genesis).clone()))
            .clone(),
    ))
}

/// What the trend counts reports by.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TrendBy {
    /// The party a report accuses (reports accusing none are left out).
    Party,
    /// Each provision a report says was violated (a report naming two counts under both).
    Provision,
}

impl TrendBy {
    fn sql(self) -> &'static str {
        match self {
            Self::Party => {
                "SELECT substr(occurred_start, 1, 7), accused, COUNT(*) FROM reports \
                 WHERE occurred_start_unix >= $1 AND accused IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
            }
            Self::Provision => {
                "SELECT substr(r.occurred_start, 1, 7), p.provision, COUNT(*) FROM reports r \
                 JOIN report_provisions p ON p.report_idx = r.idx \
                 WHERE r.occurred_start_unix >= $1 GROUP BY 1, 2 ORDER BY 1, 2"
            }
        }
    }
}

/// Reports per month and accused party (or provision) over the `months` months ending with the month of
/// the latest report: `(YYYY-MM, party, count)`, oldest first. The window is found from the
/// newest report (an index lookup) and counted through the `reports_occurred` index.
pub(crate) async fn trend(
    state: &AppState,
    months: i64,
    by: TrendBy,
) -> Result<Vec<(String, String, i64)>, Problem> {
    let mut newest = None;
    state
        .store
        .for_each_row(
            "SELECT MAX(occurred_start_unix) FROM reports".into(),
            &[],
            &[Column::Int],
            |row| newest = row[0].to_json().as_i64(),
        )
        .await?;
    let Some(newest) = newest else {
        return Ok(vec![]);
    };
    let from = first_of_month_months_before(newest, months - 1);
    let mut counts = vec![];
    state
        .store
        .for_each_row(
            by.sql().into(),
            &[Arg::Int(from)],
            &[Column::Text, Column::Text, Column::Int],
            |row| {
                if let (Arg::Text(month), Arg::Text(party), Arg::Int(n)) =
                    (&row[0], &row[1], &row[2])
                {
                    counts.push((month.clone(), party.clone(), *n));
                }
            },
        )
        .await?;
    Ok(counts)
}

/// The Unix time of the first day of the month `back` months before the one holding `unix`.
fn first_of_month_months_before(unix: i64, back: i64) -> i64 {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp(unix) else {
        return 0;
    };
    let months = i64::from(at.year()) * 12 + i64::from(u8::from(at.month())) - 1 - back;
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .unwrap_or(time::Month::January);
    i32::try_from(year)
        .ok()
        .and_then(|y| time::Date::from_calendar_date(y, month, 1).ok())
        .map_or(0, |d| d.midnight().assume_utc().unix_timestamp())
}
