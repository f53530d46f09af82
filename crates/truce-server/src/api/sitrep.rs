//! The situation report: what the record says about a day or a period, each count beside
//! the previous period of the same length, gathered as one language-neutral structure
//! (`Sitrep`) that the web pages, the JSON document and the PDF are all made from.
//!
//! Every query is bounded by the period: reports by `occurred_start_unix` (the
//! `reports_occurred` index, so a day of a million-report log reads only that day's rows),
//! the workflow tables by their own times; rows are read through the API's own `select`
//! and the crossings list, so the report and the API never disagree.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Value, json};
use time::{Date, Duration};
use truce_core::{Day, DelegationKind};
use truce_store::projection::{Arg, Column};

use super::listing::Filter;
use super::rows::{select, table};
use crate::app::AppState;
use crate::problem::Problem;

/// The longest period one report covers: a year (and its leap day).
pub(crate) const PERIOD_DAYS_MAX: i64 = 366;
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

    fn start_s(self) -> i64 {
        self.from.midnight().assume_utc().unix_timestamp()
    }

    fn end_s(self) -> i64 {
        self.start_s() + self.days() * SECONDS_PER_DAY
    }

    /// The day after the period, as text: RFC 3339 times compare as text against it.
    fn after(self) -> String {
        (self.to + Duration::days(1)).to_string()
    }

    fn json(self) -> Value {
        json!({"from": self.from.to_string(), "to": self.to.to_string(), "days": self.days()})
    }
}

fn parse_day(field: &str, text: &str) -> Result<Date, Problem> {
    Day::parse(text)
        .map(|day| day.date())
        .map_err(|why| Problem::bad_request(field, format!("{field}: {why}")))
}

/// A count in the period beside the same count in the previous period.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Compared {
    pub key: String,
    pub current: i64,
    pub previous: i64,
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
    pub period: Value,
    pub previous: Value,
    /// The log's size when the report was gathered: the record it was read from.
    pub log_size: u64,
    /// Every delegation's name by id (parties, mediators and monitors).
    pub delegations: BTreeMap<String, String>,
    pub allegations_total: Compared,
    pub by_party: Vec<Compared>,
    pub by_provision: Vec<Compared>,
    pub by_event_type: Vec<Compared>,
    pub casualties: Vec<Casualties>,
    pub findings_new: Vec<Value>,
    pub findings_final: Vec<Value>,
    pub measures: Vec<Value>,
    pub denials: Vec<Value>,
    pub crossings: Vec<Value>,
    pub commitments_due: Vec<Value>,
    /// Where the period's reports happened, (lon, lat).
    pub points: Vec<(f64, f64)>,
}

/// Gathers the report for `period` from the projection.
pub async fn gather(state: &AppState, period: Period) -> Result<Sitrep, Problem> {
    let log_size = state.store.head().await?.size;
    let delegations = match super::compliance::genesis(state).await? {
        Some(genesis) => genesis
            .delegations
            .iter()
            .map(|d| (d.id.to_string(), d.name.clone()))
            .collect(),
        None => BTreeMap::new(),
    };
    let by = |column| compared(state, period, column);
    let (by_party, by_event_type) = (by("COALESCE(accused, '')").await?, by("event_type").await?);
    let allegations_total = Compared {
        key: String::new(),
        current: by_party.iter().map(|c| c.current).sum(),
        previous: by_party.iter().map(|c| c.previous).sum(),
    };
    Ok(Sitrep {
        period: period.json(),
        previous: period.previous().json(),
        log_size,
        delegations,
        allegations_total,
        by_party,
        by_provision: by_provision(state, period).await?,
        by_event_type,
        casualties: casualties(state, period).await?,
        findings_new: signed_in(state, "findings", period).await?,
        findings_final: finalized_in(state, period).await?,
        measures: measures(state).await?,
        denials: denials(state, period).await?,
        crossings: crossings(state, period).await?,
        commitments_due: commitments_due(state, period).await?,
        points: points(state, period).await?,
    })
}

/// Reports that occurred in the period and in the previous one, grouped by `key` (an SQL
/// expression over `reports`), most in the period first.
async fn compared(state: &AppState, period: Period, key: &str) -> Result<Vec<Compared>, Problem> {
    let sql = format!(
        "SELECT {key}, COUNT(*) FILTER (WHERE occurred_start_unix >= $2), \
         COUNT(*) FILTER (WHERE occurred_start_unix < $2) FROM reports \
         WHERE occurred_start_unix >= $1 AND occurred_start_unix < $3 GROUP BY {key}"
    );
    grouped(state, sql, period).await
}

/// The same, by the provisions each report alleges violated.
async fn by_provision(state: &AppState, period: Period) -> Result<Vec<Compared>, Problem> {
    let sql = "SELECT p.provision, COUNT(*) FILTER (WHERE r.occurred_start_unix >= $2), \
        COUNT(*) FILTER (WHERE r.occurred_start_unix < $2) FROM reports r \
        JOIN report_provisions p ON p.report_idx = r.idx \
        WHERE r.occurred_start_unix >= $1 AND r.occurred_start_unix < $3 GROUP BY p.provision";
    grouped(state, sql.to_string(), period).await
}

async fn grouped(state: &AppState, sql: String, period: Period) -> Result<Vec<Compared>, Problem> {
    let args = [
        Arg::Int(period.previous().start_s()),
        Arg::Int(period.start_s()),
        Arg::Int(period.end_s()),
    ];
    let mut rows = vec![];
    let columns = [Column::Text, Column::Int, Column::Int];
    state
        .store
        .for_each_row(sql, &args, &columns, |row| {
            if let [Arg::Text(key), Arg::Int(current), Arg::Int(previous)] = &row[..] {
                rows.push(Compared {
                    key: key.clone(),
                    current: *current,
                    previous: *previous,
                });
            }
        })
        .await?;
    rows.sort_by(|a, b| b.current.cmp(&a.current).then(a.key.cmp(&b.key)));
    Ok(rows)
}

/// Casualty figures: the reports that occurred in the period by their filer's delegation
/// (the monitors' own are the mechanism's), and the parties' statements signed in it.
async fn casualties(state: &AppState, period: Period) -> Result<Vec<Casualties>, Problem> {
    let sums = "COUNT(*), CAST(SUM(killed_low) AS BIGINT), CAST(SUM(killed_best) AS BIGINT), \
        CAST(SUM(killed_high) AS BIGINT), CAST(SUM(injured_low) AS BIGINT), \
        CAST(SUM(injured_best) AS BIGINT), CAST(SUM(injured_high) AS BIGINT)";
    let reports = format!(
        "SELECT delegation, {sums} FROM reports WHERE occurred_start_unix >= $1 \
         AND occurred_start_unix < $2 GROUP BY delegation ORDER BY delegation"
    );
    let statements = format!(
        "SELECT party, {sums} FROM statements WHERE signed_at >= $1 AND signed_at < $2 \
         AND killed_best IS NOT NULL GROUP BY party ORDER BY party"
    );
    let monitors: Vec<String> = match super::compliance::genesis(state).await? {
        Some(genesis) => genesis
            .delegations_of(DelegationKind::Monitor)
            .map(|d| d.id.to_string())
            .collect(),
        None => vec![],
    };
    let mut found = vec![];
    let times = [Arg::Int(period.start_s()), Arg::Int(period.end_s())];
    let days = [
        Arg::Text(period.from.to_string()),
        Arg::Text(period.after()),
    ];
    for (source, sql, args) in [
        ("reports", reports, &times),
        ("statements", statements, &days),
    ] {
        let columns = [[Column::Text].as_slice(), &[Column::Int; 7]].concat();
        state
            .store
            .for_each_row(sql, args, &columns, |row| {
                let n = |i: usize| match row[i] {
                    Arg::Int(v) => v,
                    _ => 0,
                };
                let delegation = match &row[0] {
                    Arg::Text(d) => d.clone(),
                    _ => String::new(),
                };
                found.push(Casualties {
                    source,
                    monitor: monitors.contains(&delegation),
                    delegation,
                    entries: n(1),
                    killed: [n(2), n(3), n(4)],
                    injured: [n(5), n(6), n(7)],
                });
            })
            .await?;
    }
    Ok(found)
}

/// Rows of `table` signed in the period, oldest first.
async fn signed_in(state: &AppState, name: &str, period: Period) -> Result<Vec<Value>, Problem> {
    let mut filter = Filter::default();
    filter.push(
        "signed_at >= $1 AND signed_at < $2",
        vec![
            Arg::Text(period.from.to_string()),
            Arg::Text(period.after()),
        ],
    );
    let order = format!("ORDER BY idx LIMIT {ROWS_MAX}");
    select(state, table(name), &filter, &order).await
}

/// Findings made final in the period: by the time of their `finding.finalized` entry.
async fn finalized_in(state: &AppState, period: Period) -> Result<Vec<Value>, Problem> {
    let mut filter = Filter::default();
    filter.push("status = $1", vec![Arg::Text("final".into())]);
    let order = format!("ORDER BY idx DESC LIMIT {ROWS_MAX}");
    let mut found = vec![];
    for mut finding in select(state, table("findings"), &filter, &order).await? {
        let Some(at) = finding["final_idx"].as_u64() else {
            continue;
        };
        let Some(time) = entry_time(state, at).await? else {
            continue;
        };
        if time.date() >= period.from && time.date() <= period.to {
            finding["finalized_at"] = json!(time.to_string());
            found.push(finding);
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

/// Every measure with its status, newest first: measures stand until completed or lapsed.
async fn measures(state: &AppState) -> Result<Vec<Value>, Problem> {
    let order = format!("ORDER BY idx DESC LIMIT {ROWS_MAX}");
    select(state, table("measures"), &Filter::default(), &order).await
}

/// Denials of access that happened in the period.
async fn denials(state: &AppState, period: Period) -> Result<Vec<Value>, Problem> {
    let mut filter = Filter::default();
    filter.push(
        "kind = $1 AND occurred_at >= $2 AND occurred_at < $3",
        vec![
            Arg::Text("access_denied".into()),
            Arg::Text(period.from.to_string()),
            Arg::Text(period.after()),
        ],
    );
    let order = format!("ORDER BY idx LIMIT {ROWS_MAX}");
    select(state, table("investigation_steps"), &filter, &order).await
}

/// Commitments from the talks still open and due by the period's end (overdue included),
/// and those whose due day falls in the period whatever their status.
async fn commitments_due(state: &AppState, period: Period) -> Result<Vec<Value>, Problem> {
    let mut filter = Filter::default();
    filter.push(
        "due IS NOT NULL AND due < $1 AND (status = $2 OR due >= $3)",
        vec![
            Arg::Text(period.after()),
            Arg::Text("open".into()),
            Arg::Text(period.from.to_string()),
        ],
    );
    let order = format!("ORDER BY due, idx LIMIT {ROWS_MAX}");
    select(state, table("commitments"), &filter, &order).await
}

/// Each crossing of the crossings list, its status as of the period's end, and its flows'
/// totals over whole days of the period.
async fn crossings(state: &AppState, period: Period) -> Result<Vec<Value>, Problem> {
    let query = HashMap::from([
        ("from".to_string(), period.from.to_string()),
        ("to".to_string(), period.to.to_string()),
    ]);
    let flows = super::crossings::parse_flows(&query)?;
    let list = super::crossings::crossings(state, &flows).await?;
    let statuses = statuses_at(state, period.end_s()).await?;
    let mut found = vec![];
    for item in list.items {
        let crossing = item.summary;
        let status = statuses.get(&crossing.id).cloned().unwrap_or(Value::Null);
        found.push(
            json!({"id": crossing.id, "name": crossing.name, "lon": crossing.lon,
            "lat": crossing.lat, "status": status, "totals": item.totals}),
        );
    }
    Ok(found)
}

/// Each crossing's status in force at `end_s` (the last to take effect before it).
async fn statuses_at(state: &AppState, end_s: i64) -> Result<HashMap<String, Value>, Problem> {
    let sql = "SELECT crossing, status, since, reported_by FROM crossing_statuses \
        WHERE since_s < $1 ORDER BY crossing, since_s, idx"
        .to_string();
    let mut found = HashMap::new();
    state
        .store
        .for_each_row(sql, &[Arg::Int(end_s)], &[Column::Text; 4], |row| {
            let value = |i: usize| row[i].to_json();
            let crossing = value(0).as_str().unwrap_or_default().to_string();
            found.insert(
                crossing,
                json!({"status": value(1), "since": value(2), "reported_by": value(3)}),
            );
        })
        .await?;
    Ok(found)
}

/// Where the period's reports happened, for the map.
async fn points(state: &AppState, period: Period) -> Result<Vec<(f64, f64)>, Problem> {
    let sql = format!(
        "SELECT lon, lat FROM reports WHERE occurred_start_unix >= $1 \
         AND occurred_start_unix < $2 ORDER BY occurred_start_unix LIMIT {POINTS_MAX}"
    );
    let args = [Arg::Int(period.start_s()), Arg::Int(period.end_s())];
    let mut found = vec![];
    state
        .store
        .for_each_row(sql, &args, &[Column::Real, Column::Real], |row| {
            if let [Arg::Real(lon), Arg::Real(lat)] = &row[..] {
                found.push((*lon, *lat));
            }
        })
        .await?;
    Ok(found)
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
