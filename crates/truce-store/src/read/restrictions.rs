//! Restrictions on the monitors as the projection holds them.

use serde::Serialize;
use truce_core::Day;

use super::{Conditions, FromRow, Values};
use crate::projection::restrictions::RESTRICTIONS;
use crate::projection::{Arg, Table};
use crate::{Store, StoreError};

/// One restriction (`restrictions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestrictionRow {
    pub index: u64,
    pub movement: String,
    pub kind: String,
    pub delay_minutes: Option<i64>,
    pub at: String,
    pub at_s: i64,
    pub day: String,
    /// The party that controlled the place.
    pub controlled_by: String,
    pub place: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The reason given, verbatim.
    pub reason_given: Option<String>,
    /// 1 when the movement had been notified beforehand, 0 when not.
    pub notified: i64,
    pub outcome: String,
    pub provision: Option<String>,
    pub investigation_idx: Option<u64>,
    pub reported_by: String,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for RestrictionRow {
    const TABLE: &'static Table = &RESTRICTIONS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            movement: v.text()?,
            kind: v.text()?,
            delay_minutes: v.opt_int()?,
            at: v.text()?,
            at_s: v.int()?,
            day: v.text()?,
            controlled_by: v.text()?,
            place: v.text()?,
            lat: v.opt_real()?,
            lon: v.opt_real()?,
            reason_given: v.opt_text()?,
            notified: v.int()?,
            outcome: v.text()?,
            provision: v.opt_text()?,
            investigation_idx: v.opt_index()?,
            reported_by: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl Store {
    /// The restrictions that happened on days `first` to `last` (UTC), in the order they
    /// happened, at most `limit`.
    pub async fn restrictions_in(
        &self,
        first: &Day,
        last: &Day,
        limit: usize,
    ) -> Result<Vec<RestrictionRow>, StoreError> {
        let mut conditions = Conditions::default();
        conditions.and("day >=", Arg::Text(first.as_str().to_string()));
        conditions.and("day <=", Arg::Text(last.as_str().to_string()));
        let order = format!("ORDER BY at_s, idx LIMIT {limit}");
        self.select(&conditions, &order).await
    }
}
