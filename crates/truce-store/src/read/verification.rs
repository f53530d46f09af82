//! Verification statuses and casualty reconciliations as the projection holds them.

use serde::Serialize;

use super::{Conditions, FromRow, Values, index_arg};
use crate::projection::Table;
use crate::projection::verification::{CASUALTY_RECONCILIATIONS, REPORT_VERIFICATIONS};
use crate::{Store, StoreError};

/// A report's verification status as one entry set it (`report_verifications`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationRow {
    pub index: u64,
    pub report_idx: u64,
    pub status: String,
    pub rule: String,
    /// The reports that corroborate it, by log index.
    pub corroborating: Vec<String>,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for VerificationRow {
    const TABLE: &'static Table = &REPORT_VERIFICATIONS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            report_idx: v.index()?,
            status: v.text()?,
            rule: v.text()?,
            corroborating: v.list()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// An incident's casualty reconciliation (`casualty_reconciliations`): the mechanism's
/// corroborated ranges and why they differ from the claimants'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReconciliationRow {
    pub index: u64,
    pub incident_idx: u64,
    pub killed_low: i64,
    pub killed_best: i64,
    pub killed_high: i64,
    pub injured_low: i64,
    pub injured_best: i64,
    pub injured_high: i64,
    pub explanation: String,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for ReconciliationRow {
    const TABLE: &'static Table = &CASUALTY_RECONCILIATIONS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            incident_idx: v.index()?,
            killed_low: v.int()?,
            killed_best: v.int()?,
            killed_high: v.int()?,
            injured_low: v.int()?,
            injured_best: v.int()?,
            injured_high: v.int()?,
            explanation: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl Store {
    /// The verification statuses set on the reports of `incident`, oldest first.
    pub async fn incident_verifications(
        &self,
        incident: u64,
    ) -> Result<Vec<VerificationRow>, StoreError> {
        let mut c = Conditions::default();
        c.and(
            "report_idx IN (SELECT report_idx FROM incident_reports WHERE incident_idx =",
            index_arg(incident),
        )
        .close_with(")");
        self.select(&c, "ORDER BY idx").await
    }

    /// The reconciliation in force for `incident`: its latest, if any.
    pub async fn reconciliation(
        &self,
        incident: u64,
    ) -> Result<Option<ReconciliationRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("incident_idx =", index_arg(incident));
        Ok(self.select(&c, "ORDER BY idx DESC LIMIT 1").await?.pop())
    }
}
