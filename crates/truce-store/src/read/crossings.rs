//! Border crossings as the projection holds them: each status and each flow a delegation
//! reported, the crossings the log names, and the flows' sums. Which status is current
//! and how long a crossing has been closed are the reader's to work out (against its own
//! clock).

use serde::Serialize;
use truce_core::Day;
use truce_core::mechanism::{Direction, FlowCategory};

use super::{Conditions, FromRow, Values};
use crate::projection::crossings::{CROSSING_FLOWS, CROSSING_STATUSES};
use crate::projection::{Arg, Column, Table};
use crate::{Store, StoreError};

/// A crossing's status as one delegation reported it (`crossing_statuses`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusRow {
    pub index: u64,
    pub crossing: String,
    pub status: String,
    pub since: String,
    /// `since` as Unix seconds.
    pub since_s: i64,
    pub source: String,
    pub note: Option<String>,
    pub reported_by: String,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for StatusRow {
    const TABLE: &'static Table = &CROSSING_STATUSES;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            crossing: v.text()?,
            status: v.text()?,
            since: v.text()?,
            since_s: v.int()?,
            source: v.text()?,
            note: v.opt_text()?,
            reported_by: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// People who crossed over some days, as one delegation counted them (`crossing_flows`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowRow {
    pub index: u64,
    pub crossing: String,
    pub start_day: String,
    pub end_day: String,
    pub days: i64,
    pub direction: String,
    pub category: String,
    pub count_low: i64,
    pub count_best: i64,
    pub count_high: i64,
    pub precision: String,
    pub source: String,
    pub note: Option<String>,
    pub reported_by: String,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for FlowRow {
    const TABLE: &'static Table = &CROSSING_FLOWS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            crossing: v.text()?,
            start_day: v.text()?,
            end_day: v.text()?,
            days: v.int()?,
            direction: v.text()?,
            category: v.text()?,
            count_low: v.int()?,
            count_best: v.int()?,
            count_high: v.int()?,
            precision: v.text()?,
            source: v.text()?,
            note: v.opt_text()?,
            reported_by: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// The sum of one delegation's flows in one direction and category: one delegation's
/// figures are never added to another's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowTotal {
    pub reported_by: String,
    pub direction: String,
    pub category: String,
    /// How many flows were summed.
    pub flows: i64,
    pub count: Count,
}

/// A low, best and high estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    pub low: i64,
    pub best: i64,
    pub high: i64,
}

/// Which of a crossing's flows to read: those overlapping `from`..`to` (whole days), of
/// `category` and `direction`; all of them by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowFilter {
    pub from: Option<Day>,
    pub to: Option<Day>,
    pub category: Option<FlowCategory>,
    pub direction: Option<Direction>,
}

impl FlowFilter {
    fn conditions(&self, crossing: &str) -> Conditions {
        let text = |value: &str| Arg::Text(value.to_string());
        let mut conditions = Conditions::default();
        conditions.and("crossing =", text(crossing));
        if let Some(from) = &self.from {
            conditions.and("end_day >=", text(from.as_str()));
        }
        if let Some(to) = &self.to {
            conditions.and("start_day <=", text(to.as_str()));
        }
        if let Some(category) = self.category {
            conditions.and("category =", text(category.as_str()));
        }
        if let Some(direction) = &self.direction {
            conditions.and("direction =", text(direction.as_str()));
        }
        conditions
    }
}

impl Store {
    /// Every crossing some status or flow on the log names, by id.
    pub async fn crossings_on_log(&self) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT crossing FROM crossing_statuses UNION \
            SELECT crossing FROM crossing_flows ORDER BY crossing";
        self.decoded(sql.to_string(), &[], &[Column::Text], Values::text)
            .await
    }

    /// A crossing's statuses, the one in effect first (the latest `since`, then the latest
    /// entry), at most `limit`.
    pub async fn crossing_statuses(
        &self,
        crossing: &str,
        limit: usize,
    ) -> Result<Vec<StatusRow>, StoreError> {
        let mut conditions = Conditions::default();
        conditions.and("crossing =", Arg::Text(crossing.to_string()));
        let order = format!("ORDER BY since_s DESC, idx DESC LIMIT {limit}");
        self.select(&conditions, &order).await
    }

    /// A crossing's flows under `filter`, the latest days first, at most `limit`.
    pub async fn crossing_flows(
        &self,
        crossing: &str,
        filter: &FlowFilter,
        limit: usize,
    ) -> Result<Vec<FlowRow>, StoreError> {
        let order = format!("ORDER BY end_day DESC, idx DESC LIMIT {limit}");
        self.select(&filter.conditions(crossing), &order).await
    }

    /// The sums of a crossing's flows under `filter`, by reporting delegation, direction
    /// and category.
    pub async fn crossing_flow_totals(
        &self,
        crossing: &str,
        filter: &FlowFilter,
    ) -> Result<Vec<FlowTotal>, StoreError> {
        let conditions = filter.conditions(crossing);
        let sql = format!(
            "SELECT reported_by, direction, category, COUNT(*), CAST(SUM(count_low) AS BIGINT), \
             CAST(SUM(count_best) AS BIGINT), CAST(SUM(count_high) AS BIGINT) \
             FROM crossing_flows{} GROUP BY reported_by, direction, category \
             ORDER BY reported_by, direction, category",
            conditions.sql()
        );
        let columns = [[Column::Text; 3].as_slice(), &[Column::Int; 4]].concat();
        self.decoded(sql, &conditions.args, &columns, |v| {
            Ok(FlowTotal {
                reported_by: v.text()?,
                direction: v.text()?,
                category: v.text()?,
                flows: v.int()?,
                count: Count {
                    low: v.int()?,
                    best: v.int()?,
                    high: v.int()?,
                },
            })
        })
        .await
    }
}
