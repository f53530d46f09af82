//! The mechanism's investigations and the measures its findings call for, as the
//! projection holds them.

use serde::Serialize;

use super::{FromRow, Values};
use crate::StoreError;
use crate::projection::Table;
use crate::projection::workflow::{INVESTIGATION_STEPS, INVESTIGATIONS, MEASURES};

/// An investigation the mechanism opened into an incident (`investigations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvestigationRow {
    pub index: u64,
    pub incident_idx: u64,
    /// The delegation that opened it.
    pub opened_by: String,
    pub author: String,
    pub signed_at: String,
    pub mandate: String,
    /// The monitors' key names.
    pub monitors: Vec<String>,
    pub tasks: Vec<String>,
    pub status: String,
}

impl FromRow for InvestigationRow {
    const TABLE: &'static Table = &INVESTIGATIONS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            incident_idx: v.index()?,
            opened_by: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
            mandate: v.text()?,
            monitors: v.list()?,
            tasks: v.json()?,
            status: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// One step of an investigation: a visit, an interview, a denial of access...
/// (`investigation_steps`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepRow {
    pub index: u64,
    pub investigation_idx: u64,
    pub kind: String,
    /// When the step happened, as its author says.
    pub occurred_at: String,
    /// The delegation the step concerns (the one that denied access, say), if any.
    pub party: Option<String>,
    /// The mandate's task the step carries out, if any.
    pub task: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub author: String,
    pub text: String,
}

impl FromRow for StepRow {
    const TABLE: &'static Table = &INVESTIGATION_STEPS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            investigation_idx: v.index()?,
            kind: v.text()?,
            occurred_at: v.text()?,
            party: v.opt_text()?,
            task: v.opt_int()?,
            lat: v.opt_real()?,
            lon: v.opt_real()?,
            author: v.text()?,
            text: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// A measure a final finding calls for, and where it stands (`measures`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureRow {
    pub index: u64,
    pub finding_idx: u64,
    /// The delegation that owes it.
    pub party: String,
    /// Its place on the agreement's ladder of measures.
    pub ordinal: i64,
    /// The agreed measure's id, if the ladder names one.
    pub step: Option<String>,
    pub status: String,
    /// The entry that last set the status (the finding's own at first).
    pub updated_idx: u64,
    pub note: String,
}

impl FromRow for MeasureRow {
    const TABLE: &'static Table = &MEASURES;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            finding_idx: v.index()?,
            party: v.text()?,
            ordinal: v.int()?,
            step: v.opt_text()?,
            status: v.text()?,
            updated_idx: v.index()?,
            note: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}
