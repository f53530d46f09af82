//! The liaison channel as the projection holds it: contacts, and how each party answers.

use serde::Serialize;
use truce_core::Day;

use super::{Conditions, FromRow, Values};
use crate::projection::liaison::LIAISON_CONTACTS;
use crate::projection::{Arg, Column, Table};
use crate::{Store, StoreError};

/// One contact (`liaison_contacts`), with its acknowledgement and outcome once recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactRow {
    pub index: u64,
    pub party: String,
    pub channel: String,
    pub subject: String,
    pub incident_idx: Option<u64>,
    pub route: Option<String>,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    pub opened_at: String,
    pub opened_s: i64,
    pub day: String,
    pub acknowledged_idx: Option<u64>,
    pub acknowledged_at: Option<String>,
    /// Seconds from the contact's entry to the acknowledgement's.
    pub response_s: Option<i64>,
    pub acknowledgement_note: Option<String>,
    pub outcome: Option<String>,
    pub outcome_idx: Option<u64>,
    pub outcome_note: Option<String>,
    pub reported_by: String,
    pub author: String,
}

impl FromRow for ContactRow {
    const TABLE: &'static Table = &LIAISON_CONTACTS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            party: v.text()?,
            channel: v.text()?,
            subject: v.text()?,
            incident_idx: v.opt_index()?,
            route: v.opt_text()?,
            window_start: v.opt_text()?,
            window_end: v.opt_text()?,
            opened_at: v.text()?,
            opened_s: v.int()?,
            day: v.text()?,
            acknowledged_idx: v.opt_index()?,
            acknowledged_at: v.opt_text()?,
            response_s: v.opt_int()?,
            acknowledgement_note: v.opt_text()?,
            outcome: v.opt_text()?,
            outcome_idx: v.opt_index()?,
            outcome_note: v.opt_text()?,
            reported_by: v.text()?,
            author: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// How one party has answered the mechanism's contacts (the party is the key it is
/// filed under, not part of the answer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Responsiveness {
    #[serde(skip)]
    pub party: String,
    pub contacts: i64,
    pub acknowledged: i64,
    /// Contacts whose outcome was recorded as `no_answer`.
    pub no_answer: i64,
    /// Mean and longest seconds to acknowledge, over the acknowledged contacts.
    pub mean_response_s: Option<i64>,
    pub max_response_s: Option<i64>,
}

impl Store {
    /// Every party's answers to the contacts opened so far.
    pub async fn responsiveness(&self) -> Result<Vec<Responsiveness>, StoreError> {
        let sql = "SELECT party, COUNT(*), COUNT(acknowledged_idx), \
            SUM(CASE WHEN outcome = 'no_answer' THEN 1 ELSE 0 END), \
            CAST(AVG(response_s) AS BIGINT), MAX(response_s) \
            FROM liaison_contacts GROUP BY party ORDER BY party";
        let columns = [
            Column::Text,
            Column::Int,
            Column::Int,
            Column::Int,
            Column::Int,
            Column::Int,
        ];
        self.decoded(sql.into(), &[], &columns, |v| {
            Ok(Responsiveness {
                party: v.text()?,
                contacts: v.int()?,
                acknowledged: v.int()?,
                no_answer: v.opt_int()?.unwrap_or(0),
                mean_response_s: v.opt_int()?,
                max_response_s: v.opt_int()?,
            })
        })
        .await
    }

    /// The contacts opened on days `first` to `last` (UTC), in order, at most `limit`.
    pub async fn contacts_in(
        &self,
        first: &Day,
        last: &Day,
        limit: usize,
    ) -> Result<Vec<ContactRow>, StoreError> {
        let mut conditions = Conditions::default();
        conditions.and("day >=", Arg::Text(first.as_str().to_string()));
        conditions.and("day <=", Arg::Text(last.as_str().to_string()));
        let order = format!("ORDER BY opened_s, idx LIMIT {limit}");
        self.select(&conditions, &order).await
    }
}
