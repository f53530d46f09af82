//! The mechanism's investigations as the projection holds them.

use serde::Serialize;

use super::{FromRow, Values};
use crate::StoreError;
use crate::projection::Table;
use crate::projection::workflow::INVESTIGATION_STEPS;

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
