//! How sure the mechanism is: a report's verification status, set by monitors with the
//! rule they applied (as casualty recorders do: corroborated means two independent
//! credible sources), and an incident's casualty reconciliation: the mechanism's
//! corroborated range beside each claimant's figures, and why they differ.

use serde::{Deserialize, Serialize};

use super::values::{Range, text};
use crate::rejection::FieldError;

/// The most reports one verification names as corroborating.
pub const CORROBORATING_MAX: usize = 32;

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    Unverified,
    UnderReview,
    /// Supported by an independent credible source besides the report's own.
    Corroborated,
    /// Confirmed by the monitors themselves (a site visit, their own observation).
    Verified,
    /// Judged not credible; kept on the record with the reason.
    Discounted,
}

impl VerificationStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::UnderReview => "under_review",
            Self::Corroborated => "corroborated",
            Self::Verified => "verified",
            Self::Discounted => "discounted",
        }
    }
}

/// `report.verified`: a report's verification status from this entry on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportVerified {
    /// Other reports (log indexes) that corroborate it; a corroboration names one at least.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroborating: Vec<u64>,
    pub report: u64,
    /// The rule applied, in words ("two independent credible sources").
    pub rule: String,
    pub status: VerificationStatus,
}

/// `casualties.reconciled`: the mechanism's corroborated casualty range for an incident,
/// and why it differs from the claimants' figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasualtiesReconciled {
    pub explanation: String,
    pub incident: u64,
    pub injured: Range,
    pub killed: Range,
}

impl ReportVerified {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.rule, "rule", 1, 500)?;
        if self.corroborating.len() > CORROBORATING_MAX {
            let reason = format!("names at most {CORROBORATING_MAX} reports");
            return Err(FieldError::new("corroborating", reason));
        }
        if self.status == VerificationStatus::Corroborated && self.corroborating.is_empty() {
            let reason = "a corroboration names the report that corroborates it".to_string();
            return Err(FieldError::new("corroborating", reason));
        }
        if self.corroborating.contains(&self.report) {
            let reason = "a report does not corroborate itself".to_string();
            return Err(FieldError::new("corroborating", reason));
        }
        Ok(())
    }
}

impl CasualtiesReconciled {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.explanation, "explanation", 1, 4000)?;
        self.killed.validate("killed")?;
        self.injured.validate("injured")
    }
}
