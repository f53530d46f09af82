//! The situation report: what the record says about a day or a period, each count beside
//! the previous period of the same length, gathered as one language-neutral structure
//! (`Sitrep`) that the web pages, the JSON document and the PDF are all made from.
//!
//! Every query is bounded by the period: reports by `occurred_start_unix` (the
//! `reports_occurred` index, so a day of a million-report log reads only that day's rows),
//! the workflow tables by their own times; rows are the read model's, as the API answers
//! them, so the report and the API never disagree.

use std::collections::{BTreeMap, HashMap};

use crate::problem::Problem;
use crate::state::AppState;
use serde::Serialize;
use time::{Date, Duration};
use truce_core::{Day, DelegationKind};
use truce_store::read::Listed;
use truce_store::read::crossings::FlowTotal;
use truce_store::read::findings::FindingRow;
use truce_store::read::liaison::ContactRow;
use truce_store::read::observations::Area;
use truce_store::read::restrictions::RestrictionRow;

use super::observations::ObservationCounts;
use truce_store::read::period::{Bounds, Compared, FiguresFrom, GroupBy};
use truce_store::read::talks::CommitmentRow;
use truce_store::read::workflow::{MeasureRow, StepRow};

/// The longest period one report covers: a year (and its leap day).
pub const PERIOD_DAYS_MAX: i64 = 366;
/// The most report locations one report's map shows.
const POINTS_MAX: usize = 500;
/// The most rows one list of the report holds (findings, denials, commitments...).
const ROWS_MAX: usize = 200;
const SECONDS_PER_DAY: i64 = 86_400;

/// Whole days `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// One day, `YYYY-MM-DD`, refused naming `field`.
    pub fn day(field: &str, text: &str) -> Result<Period, Problem> {
        let day = parse_day(field, text)?;
        Ok(Period { from: day, to: day })
    }

    /// `from` to `to` (both `YYYY-MM-DD`, both included, at most a year).
    pub fn between(from: Option<&str>, to: Option<&str>) -> Result<Period, Problem> {
        let missing = |field: &str| Problem::bad_request(field, format!("{field} is required"));
        let from = parse_day("from", from.ok_or_else(|| missing("from"))?)?;
        let to = parse_day("to", to.ok_or_else(|| missing("to"))?)?;
        if to < from {
            return Err(Problem::bad_request(
                "to",
                format!("to ({to}) is before from ({from})"),
            ));
        }
        let period = Period { from, to };
        if period.days() > PERIOD_DAYS_MAX {
            return Err(Problem::bad_request(
                "to",
                format!(
                    "to: a period is at most {PERIOD_DAYS_MAX} days ({from} to {to} is {})",
                    period.days()
                ),
            ));
        }
        Ok(period)
    }

    #[must_use]
    pub fn days(self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    /// The period of the same length that ends the day before this one starts.
    #[must_use]
    pub fn previous(self) -> Period {
        let days = Duration::days(self.days());
        Period {
            from: self.from - days,
            to: self.to - days,
        }
    }

    /// The period's first and last day, as the read model takes days.
    pub fn first_and_last(self) -> Result<(Day, Day), Problem> {
        let day = |date: Date| Day::parse(date.to_string()).map_err(|e| Problem::internal(&e));
        Ok((day(self.from)?, day(self.to)?))
    }

    /// The period's start and end (exclusive), in Unix seconds.
    #[must_use]
    pub fn seconds(self) -> (i64, i64) {
        (self.start_s(), self.end_s())
    }

    fn start_s(self) -> i64 {
        self.from.midnight().assume_utc().unix_timestamp()
    }

    fn end_s(self) -> i64 {
        self.start_s() + self.days() * SECONDS_PER_DAY
    }

    /// The period's bounds as the read model takes them.
    fn bounds(self) -> Bounds {
        Bounds {
            previous_start_s: self.previous().start_s(),
            start_s: self.start_s(),
            end_s: self.end_s(),
            first_day: self.from.to_string(),
            // RFC 3339 times compare as text against the day after the period.
            day_after: (self.to + Duration::days(1)).to_string(),
        }
    }

    fn described(self) -> PeriodDays {
        PeriodDays {
            from: self.from.to_string(),
            to: self.to.to_string(),
            days: self.days(),
        }
    }
}

/// A period as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodDays {
    pub from: String,
    pub to: String,
    pub days: i64,
}

fn parse_day(field: &str, text: &str) -> Result<Date, Problem> {
    Day::parse(text)
        .map(|day| day.date())
        .map_err(|why| Problem::bad_request(field, format!("{field}: {why}")))
}

/// Low, best and high sums of one source's casualty figures.
#[derive(Debug, Clone, Serialize)]
pub struct Casualties {
    /// `reports` (allegations filed in the period) or `statements` (a party's statements).
    pub source: &'static str,
    /// The delegation whose figures these are.
    pub delegation: String,
    /// Whether the delegation is one of the mechanism's monitors (else a party's).
    pub monitor: bool,
    pub entries: i64,
    pub killed: [i64; 3],
    pub injured: [i64; 3],
}

/// Everything one situation report says, before it is put in words.
#[derive(Debug, Serialize)]
pub struct Sitrep {
    pub period: PeriodDays,
    pub previous: PeriodDays,
    /// The log's size when the report was gathered: the record it was read from.
    pub log_size: u64,
    /// Every delegation's name by id (parties, mediators and monitors).
    pub delegations: BTreeMap<String, String>,
    pub allegations_total: Compared,
    pub by_party: Vec<Compared>,
    pub by_provision: Vec<Compared>,
    pub by_event_type: Vec<Compared>,
    pub casualties: Vec<Casualties>,
    pub findings_new: Vec<FindingRow>,
    pub findings_final: Vec<FinalizedFinding>,
    pub measures: Vec<MeasureRow>,
    pub denials: Vec<StepRow>,
    pub crossings: Vec<CrossingAt>,
    pub commitments_due: Vec<CommitmentRow>,
    /// What the monitors observed in the period, everywhere, against the period before:
    /// the report leads with the mechanism's figures.
    pub observations: ObservationCounts,
    /// Restrictions on the monitors that happened in the period, in the order they did.
    pub restrictions: Vec<RestrictionRow>,
    /// Liaison contacts opened in the period, with the party's answer as it stands.
    pub contacts: Vec<ContactRow>,
    /// Where the period's reports happened, (lon, lat).
    pub points: Vec<(f64, f64)>,
}

/// A final finding and when it was made final (its `finding.finalized` entry's time).
#[derive(Debug, Clone, Serialize)]
pub struct FinalizedFinding {
    #[serde(flatten)]
    pub finding: FindingRow,
    pub finalized_at: String,
}

/// A crossing, its status as of the period's end, and its flows' totals over the period.
#[derive(Debug, Clone, Serialize)]
pub struct CrossingAt {
    pub id: String,
    pub name: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub status: Option<StatusAt>,
    pub totals: Vec<FlowTotal>,
}

/// A crossing's status in force at a time, and who reported it.
#[derive(Debug, Clone, Serialize)]
pub struct StatusAt {
    pub status: String,
    pub since: String,
    pub reported_by: String,
}

/// Gathers the report for `period` from the projection.
pub async fn gather(state: &AppState, period: Period) -> Result<Sitrep, Problem> {
    let log_size = state.store.head().await?.size;
    let delegations = match state.genesis().await? {
        Some(genesis) => genesis
            .delegations
            .iter()
            .map(|d| (d.id.to_string(), d.name.clone()))
            .collect(),
        None => BTreeMap::new(),
    };
    let bounds = period.bounds();
    let store = &state.store;
    let by_party = store.compared(&bounds, GroupBy::Accused).await?;
    let allegations_total = Compared {
        key: String::new(),
        current: by_party.iter().map(|c| c.current).sum(),
        previous: by_party.iter().map(|c| c.previous).sum(),
    };
    let measures = Listed {
        limit: ROWS_MAX,
        ..Listed::default()
    };
    Ok(Sitrep {
        period: period.described(),
        previous: period.previous().described(),
        log_size,
        delegations,
        allegations_total,
        by_party,
        by_provision: store.compared(&bounds, GroupBy::Provision).await?,
        by_event_type: store.compared(&bounds, GroupBy::EventType).await?,
        casualties: casualties(state, &bounds).await?,
        findings_new: store.findings_signed_in(&bounds, ROWS_MAX).await?,
        findings_final: finalized_in(state, period).await?,
        // Every measure with its status, newest first: measures stand until completed or
        // lapsed.
        measures: store.newest_first(&measures).await?,
        denials: store.denials_in(&bounds, ROWS_MAX).await?,
        crossings: crossings(state, period).await?,
        commitments_due: store.commitments_due(&bounds, ROWS_MAX).await?,
        points: store.report_points(&bounds, POINTS_MAX).await?,
        observations: super::observations::counts(state, period, Area::default()).await?,
        restrictions: restrictions(state, period).await?,
        contacts: contacts(state, period).await?,
    })
}

/// The restrictions on the monitors that happened in `period`.
async fn restrictions(state: &AppState, period: Period) -> Result<Vec<RestrictionRow>, Problem> {
    let (first, last) = period.first_and_last()?;
    Ok(state.store.restrictions_in(&first, &last, ROWS_MAX).await?)
}

/// The liaison contacts opened in `period`.
async fn contacts(state: &AppState, period: Period) -> Result<Vec<ContactRow>, Problem> {
    let (first, last) = period.first_and_last()?;
    Ok(state.store.contacts_in(&first, &last, ROWS_MAX).await?)
}

/// Casualty figures: the reports that occurred in the period by their filer's delegation
/// (the monitors' own are the mechanism's), and the parties' statements signed in it.
async fn casualties(state: &AppState, bounds: &Bounds) -> Result<Vec<Casualties>, Problem> {
    let monitors: Vec<String> = match state.genesis().await? {
        Some(genesis) => genesis
            .delegations_of(DelegationKind::Monitor)
            .map(|d| d.id.to_string())
            .collect(),
        None => vec![],
    };
    let sums = state.store.casualty_sums(bounds).await?;
    Ok(sums
        .into_iter()
        .map(|sum| Casualties {
            source: match sum.source {
                FiguresFrom::Reports => "reports",
                FiguresFrom::Statements => "statements",
            },
            monitor: monitors.contains(&sum.delegation),
            delegation: sum.delegation,
            entries: sum.entries,
            killed: sum.killed,
            injured: sum.injured,
        })
        .collect())
}

/// Findings made final in the period: by the time of their `finding.finalized` entry.
async fn finalized_in(state: &AppState, period: Period) -> Result<Vec<FinalizedFinding>, Problem> {
    let mut found = vec![];
    for finding in state.store.final_findings(ROWS_MAX).await? {
        let Some(at) = finding.final_idx else {
            continue;
        };
        let Some(time) = entry_time(state, at).await? else {
            continue;
        };
        if time.date() >= period.from && time.date() <= period.to {
            let finalized_at = time
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|e| Problem::internal(&e))?;
            found.push(FinalizedFinding {
                finding,
                finalized_at,
            });
        }
    }
    found.reverse();
    Ok(found)
}

/// The time an entry's author claims for it.
async fn entry_time(state: &AppState, index: u64) -> Result<Option<time::OffsetDateTime>, Problem> {
    let Some(stored) = state.store.entry(index).await? else {
        return Ok(None);
    };
    let entry = truce_log::SignedEntry::parse(stored.note)
        .map_err(|e| Problem::internal(&format!("stored entry {index} does not parse: {e}")))?;
    Ok(Some(entry.envelope().time.instant()))
}

/// Each crossing of the crossings list, its status as of the period's end, and its flows'
/// totals over whole days of the period.
async fn crossings(state: &AppState, period: Period) -> Result<Vec<CrossingAt>, Problem> {
    let query = HashMap::from([
        ("from".to_string(), period.from.to_string()),
        ("to".to_string(), period.to.to_string()),
    ]);
    let flows = super::crossings::parse_flows(&query)?;
    let list = super::crossings::crossings(state, &flows).await?;
    // In crossing and then effect order: the last of each crossing is in force.
    let mut statuses: HashMap<String, StatusAt> = HashMap::new();
    for row in state.store.statuses_before(period.end_s()).await? {
        let status = StatusAt {
            status: row.status,
            since: row.since,
            reported_by: row.reported_by,
        };
        statuses.insert(row.crossing, status);
    }
    Ok(list
        .items
        .into_iter()
        .map(|item| {
            let crossing = item.summary;
            CrossingAt {
                status: statuses.remove(&crossing.id),
                id: crossing.id,
                name: crossing.name,
                lon: crossing.lon,
                lat: crossing.lat,
                totals: item.totals,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_the_day_before() {
        let period = Period::between(Some("2025-10-10"), Some("2025-10-12")).unwrap();
        assert_eq!(period.days(), 3);
        let previous = period.previous();
        assert_eq!(previous.from.to_string(), "2025-10-07");
        assert_eq!(previous.to.to_string(), "2025-10-09");
        assert_eq!(previous.end_s(), period.start_s());
    }

    #[test]
    fn bad_periods_name_their_field() {
        let field = |from, to| Period::between(from, to).unwrap_err().field.unwrap();
        assert_eq!(field(Some("2025-13-01"), Some("2025-10-01")), "from");
        assert_eq!(field(Some("2025-10-02"), Some("2025-10-01")), "to");
        assert_eq!(field(Some("2024-01-01"), Some("2025-10-01")), "to");
        assert_eq!(field(None, Some("2025-10-01")), "from");
    }
}
