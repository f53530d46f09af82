//! The per-party compliance summary: for each party to the agreement, what was alleged
//! against it, what the mechanism found, the measures it incurred and where they stand,
//! the denials of access recorded against it, the restrictions on the monitors in places it
//! controlled, and its commitments from the talks; and per
//! provision the alerts raised on it (crossings closed longer than the agreement allows).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use truce_store::read::compliance::{MonthCount, Tallied, TrendBy};
use truce_store::read::liaison::Responsiveness;

use crate::problem::Problem;
use crate::state::AppState;

/// The compliance summary: each party's counts, and the alerts raised per provision.
#[derive(Debug, Serialize)]
pub struct ComplianceSummary {
    pub parties: Vec<PartySummary>,
    /// The crossing-closure alerts, under the provision the agreement raises them on.
    pub provisions: Vec<super::crossings::ClosureAlerts>,
}

/// What was alleged against a party, what it alleged, and what the mechanism found and
/// asked of it.
#[derive(Debug, Serialize)]
pub struct PartySummary {
    pub party: String,
    pub name: String,
    pub allegations_against: Counts,
    pub allegations_made: Counts,
    pub findings_attributed: Counts,
    pub measures: Counts,
    /// Denials of access: a total only.
    pub access_denials: Counts,
    pub commitments: Counts,
    /// Restrictions on the monitors' movements in places it controlled, by kind: they
    /// count against the agreement's access provision.
    pub restrictions: Counts,
    /// How it has answered the mechanism's liaison contacts: contacts opened with it,
    /// acknowledged by its liaison, recorded as unanswered, and the mean and longest seconds
    /// it took.
    pub liaison: Responsiveness,
}

/// A total and its split by status.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub total: i64,
    pub by_status: BTreeMap<String, i64>,
}

impl PartySummary {
    fn counts(&mut self, what: Tallied) -> &mut Counts {
        match what {
            Tallied::AllegationsAgainst => &mut self.allegations_against,
            Tallied::AllegationsMade => &mut self.allegations_made,
            Tallied::FindingsAttributed => &mut self.findings_attributed,
            Tallied::Measures => &mut self.measures,
            Tallied::AccessDenials => &mut self.access_denials,
            Tallied::Commitments => &mut self.commitments,
            Tallied::Restrictions => &mut self.restrictions,
        }
    }
}

/// `GET /api/v1/compliance`.
pub async fn summary(State(state): State<AppState>) -> Result<Json<ComplianceSummary>, Problem> {
    Ok(Json(compliance(&state).await?))
}

/// The compliance summary as the record stands.
pub async fn compliance(state: &AppState) -> Result<ComplianceSummary, Problem> {
    let mut parties: BTreeMap<String, PartySummary> = state
        .parties()
        .await?
        .into_iter()
        .map(|(id, name)| {
            let summary = PartySummary {
                party: id.clone(),
                name,
                allegations_against: Counts::default(),
                allegations_made: Counts::default(),
                findings_attributed: Counts::default(),
                measures: Counts::default(),
                access_denials: Counts::default(),
                commitments: Counts::default(),
                restrictions: Counts::default(),
                liaison: Responsiveness::default(),
            };
            (id, summary)
        })
        .collect();
    for what in Tallied::ALL {
        for tally in state.store.tallies(what).await? {
            // Only the parties to the agreement are summarised (reports by monitors too
            // are counted under allegations_against their accused).
            let Some(summary) = parties.get_mut(&tally.party) else {
                continue;
            };
            let counts = summary.counts(what);
            counts.total += tally.count;
            if what != Tallied::AccessDenials {
                counts.by_status.insert(tally.status, tally.count);
            }
        }
    }
    for answered in state.store.responsiveness().await? {
        if let Some(summary) = parties.get_mut(&answered.party) {
            summary.liaison = answered;
        }
    }
    let provisions = super::crossings::alerts(state).await?.into_iter().collect();
    Ok(ComplianceSummary {
        parties: parties.into_values().collect(),
        provisions,
    })
}

/// Reports per month and accused party (or provision) over the `months` months ending with the month of
/// the latest report: `(YYYY-MM, party, count)`, oldest first. The window is found from the
/// newest report (an index lookup) and counted through the `reports_occurred` index.
pub async fn trend(state: &AppState, months: i64, by: TrendBy) -> Result<Vec<MonthCount>, Problem> {
    let Some(newest) = state.store.newest_report_start().await? else {
        return Ok(vec![]);
    };
    let from = first_of_month_months_before(newest, months - 1);
    Ok(state.store.report_trend(from, by).await?)
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
