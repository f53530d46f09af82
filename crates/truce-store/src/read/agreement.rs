//! Amendments of the agreement (`amendments`): the provisions, ladder of measures and
//! reply window each put in force.

use serde::Serialize;
use truce_core::genesis::{MeasureStep, Provision};

use super::{Conditions, FromRow, Values};
use crate::projection::Table;
use crate::projection::agreement::AMENDMENTS;
use crate::{Store, StoreError};

/// An amendment, signed by the delegations its rule requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmendmentRow {
    pub index: u64,
    pub author: String,
    pub signed_at: String,
    /// The keys that signed it.
    pub signatures: Vec<String>,
    pub reason: String,
    pub reply_window_hours: i64,
    pub provisions: Vec<Provision>,
    pub measures: Vec<MeasureStep>,
}

impl FromRow for AmendmentRow {
    const TABLE: &'static Table = &AMENDMENTS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            author: v.text()?,
            signed_at: v.text()?,
            signatures: v.list()?,
            reason: v.text()?,
            reply_window_hours: v.int()?,
            provisions: v.json()?,
            measures: v.json()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl Store {
    /// Every amendment, oldest first: the last is in force.
    pub async fn amendments(&self) -> Result<Vec<AmendmentRow>, StoreError> {
        self.select(&Conditions::default(), "ORDER BY idx").await
    }

    /// The amendment in force, if the agreement was ever amended.
    pub async fn latest_amendment(&self) -> Result<Option<AmendmentRow>, StoreError> {
        let all = Conditions::default();
        Ok(self.select(&all, "ORDER BY idx DESC LIMIT 1").await?.pop())
    }
}
