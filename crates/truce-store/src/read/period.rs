//! What a situation report reads about a period: counts beside the previous period's,
//! casualty sums, and the workflow's rows that fall in it. Every query is bounded by the
//! period: reports by `occurred_start_unix` (the `reports_occurred` index, so a day of a
//! million-report log reads only that day's rows), the workflow tables by their own times.

use serde::Serialize;

use super::crossings::StatusRow;
use super::findings::FindingRow;
use super::talks::CommitmentRow;
use super::workflow::StepRow;
use super::{Conditions, Values};
use crate::projection::{Arg, Column};
use crate::{Store, StoreError};

/// A period of whole days, and the one of the same length before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounds {
    /// Unix seconds: the previous period's start, this one's start, and its end (excluded).
    pub previous_start_s: i64,
    pub start_s: i64,
    pub end_s: i64,
    /// `YYYY-MM-DD`: the first day, and the day after the last. RFC 3339 times compare as
    /// text against them.
    pub first_day: String,
    pub day_after: String,
}

/// A count in the period beside the same count in the previous period.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Compared {
    pub key: String,
    pub current: i64,
    pub previous: i64,
}

/// What reports are grouped by in a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// The accused party ("" for reports accusing none).
    Accused,
    EventType,
    /// Each provision a report alleges violated.
    Provision,
}

impl GroupBy {
    fn sql(self) -> String {
        let counts = "COUNT(*) FILTER (WHERE r.occurred_start_unix >= $2), \
             COUNT(*) FILTER (WHERE r.occurred_start_unix < $2)";
        let (key, join) = match self {
            Self::Accused => ("COALESCE(r.accused, '')", ""),
            Self::EventType => ("r.event_type", ""),
            Self::Provision => (
                "p.provision",
                " JOIN report_provisions p ON p.report_idx = r.idx",
            ),
        };
        format!(
            "SELECT {key}, {counts} FROM reports r{join} \
             WHERE r.occurred_start_unix >= $1 AND r.occurred_start_unix < $3 GROUP BY {key}"
        )
    }
}

/// Whose casualty figures a sum adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FiguresFrom {
    /// Reports of events in the period, by their filer's delegation.
    Reports,
    /// A party's statements signed in the period.
    Statements,
}

/// Low, best and high sums of one delegation's casualty figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasualtySums {
    pub source: FiguresFrom,
    pub delegation: String,
    pub entries: i64,
    pub killed: [i64; 3],
    pub injured: [i64; 3],
}

const SUMS: &str = "COUNT(*), CAST(SUM(killed_low) AS BIGINT), CAST(SUM(killed_best) AS BIGINT), \
    CAST(SUM(killed_high) AS BIGINT), CAST(SUM(injured_low) AS BIGINT), \
    CAST(SUM(injured_best) AS BIGINT), CAST(SUM(injured_high) AS BIGINT)";

impl Store {
    /// Reports of the period and of the previous one, grouped `by`, most in the period
    /// first (then by key).
    pub async fn compared(&self, b: &Bounds, by: GroupBy) -> Result<Vec<Compared>, StoreError> {
        let args = [
            Arg::Int(b.previous_start_s),
            Arg::Int(b.start_s),
            Arg::Int(b.end_s),
        ];
        let columns = [Column::Text, Column::Int, Column::Int];
        let mut rows = self
            .decoded(by.sql(), &args, &columns, |v: &mut Values| {
                Ok(Compared {
                    key: v.text()?,
                    current: v.int()?,
                    previous: v.int()?,
                })
            })
            .await?;
        rows.sort_by(|a, b| b.current.cmp(&a.current).then(a.key.cmp(&b.key)));
        Ok(rows)
    }

    /// Casualty sums per delegation: reports of events in the period, then the parties'
    /// statements signed in it (those that give figures).
    pub async fn casualty_sums(&self, b: &Bounds) -> Result<Vec<CasualtySums>, StoreError> {
        let reports = format!(
            "SELECT delegation, {SUMS} FROM reports WHERE occurred_start_unix >= $1 \
             AND occurred_start_unix < $2 GROUP BY delegation ORDER BY delegation"
        );
        let statements = format!(
            "SELECT party, {SUMS} FROM statements WHERE signed_at >= $1 AND signed_at < $2 \
             AND killed_best IS NOT NULL GROUP BY party ORDER BY party"
        );
        let times = [Arg::Int(b.start_s), Arg::Int(b.end_s)];
        let days = [
            Arg::Text(b.first_day.clone()),
            Arg::Text(b.day_after.clone()),
        ];
        let columns = [[Column::Text].as_slice(), &[Column::Int; 7]].concat();
        let mut found = vec![];
        for (source, sql, args) in [
            (FiguresFrom::Reports, reports, &times),
            (FiguresFrom::Statements, statements, &days),
        ] {
            let sums = self.decoded(sql, args, &columns, |v: &mut Values| {
                let (delegation, entries) = (v.text()?, v.int()?);
                // A sum over rows that all lack a figure is NULL: none, so 0.
                let mut sum = || v.opt_int().map(Option::unwrap_or_default);
                Ok(CasualtySums {
                    source,
                    delegation,
                    entries,
                    killed: [sum()?, sum()?, sum()?],
                    injured: [sum()?, sum()?, sum()?],
                })
            });
            found.extend(sums.await?);
        }
        Ok(found)
    }

    /// Findings proposed in the period, oldest first, at most `limit`.
    pub async fn findings_signed_in(
        &self,
        b: &Bounds,
        limit: usize,
    ) -> Result<Vec<FindingRow>, StoreError> {
        let days = vec![
            Arg::Text(b.first_day.clone()),
            Arg::Text(b.day_after.clone()),
        ];
        let c = Conditions::written("signed_at >= $1 AND signed_at < $2", days);
        self.select(&c, &format!("ORDER BY idx LIMIT {limit}"))
            .await
    }

    /// The newest `limit` final findings, newest first.
    pub async fn final_findings(&self, limit: usize) -> Result<Vec<FindingRow>, StoreError> {
        let c = Conditions::written("status = $1", vec![Arg::Text("final".into())]);
        self.select(&c, &format!("ORDER BY idx DESC LIMIT {limit}"))
            .await
    }

    /// Denials of access that happened in the period, oldest first, at most `limit`.
    pub async fn denials_in(&self, b: &Bounds, limit: usize) -> Result<Vec<StepRow>, StoreError> {
        let args = vec![
            Arg::Text("access_denied".into()),
            Arg::Text(b.first_day.clone()),
            Arg::Text(b.day_after.clone()),
        ];
        let c = Conditions::written("kind = $1 AND occurred_at >= $2 AND occurred_at < $3", args);
        self.select(&c, &format!("ORDER BY idx LIMIT {limit}"))
            .await
    }

    /// Commitments still open and due by the period's end (overdue included), and those
    /// due in the period whatever their status; by due day, at most `limit`.
    pub async fn commitments_due(
        &self,
        b: &Bounds,
        limit: usize,
    ) -> Result<Vec<CommitmentRow>, StoreError> {
        let args = vec![
            Arg::Text(b.day_after.clone()),
            Arg::Text("open".into()),
            Arg::Text(b.first_day.clone()),
        ];
        let c = Conditions::written(
            "due IS NOT NULL AND due < $1 AND (status = $2 OR due >= $3)",
            args,
        );
        self.select(&c, &format!("ORDER BY due, idx LIMIT {limit}"))
            .await
    }

    /// Every crossing status that took effect before `end_s`, by crossing and then in the
    /// order they took effect: the last of each crossing is the one in force at `end_s`.
    pub async fn statuses_before(&self, end_s: i64) -> Result<Vec<StatusRow>, StoreError> {
        let c = Conditions::written("since_s < $1", vec![Arg::Int(end_s)]);
        self.select(&c, "ORDER BY crossing, since_s, idx").await
    }

    /// Where the period's reports happened, (lon, lat), in the order they happened, at
    /// most `limit`.
    pub async fn report_points(
        &self,
        b: &Bounds,
        limit: usize,
    ) -> Result<Vec<(f64, f64)>, StoreError> {
        let sql = format!(
            "SELECT lon, lat FROM reports WHERE occurred_start_unix >= $1 \
             AND occurred_start_unix < $2 ORDER BY occurred_start_unix LIMIT {limit}"
        );
        let args = [Arg::Int(b.start_s), Arg::Int(b.end_s)];
        let columns = [Column::Real, Column::Real];
        let points = self.decoded(sql, &args, &columns, |v: &mut Values| {
            Ok((v.opt_real()?, v.opt_real()?))
        });
        Ok(points
            .await?
            .into_iter()
            .filter_map(|(lon, lat)| Some((lon?, lat?)))
            .collect())
    }
}
