//! Peace talks as the projection holds them: each round and the commitments made at it,
//! with where each commitment stands.

use serde::Serialize;

use super::{FromRow, Values};
use crate::StoreError;
use crate::projection::Table;
use crate::projection::workflow::{COMMITMENTS, TALKS_ROUNDS};

/// A round of talks (`talks_rounds`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundRow {
    pub index: u64,
    pub title: String,
    pub place: String,
    pub starts: String,
    pub ends: Option<String>,
    /// The delegations that took part.
    pub participants: Vec<String>,
    pub summary: String,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for RoundRow {
    const TABLE: &'static Table = &TALKS_ROUNDS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            title: v.text()?,
            place: v.text()?,
            starts: v.text()?,
            ends: v.opt_text()?,
            participants: v.list()?,
            summary: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// A commitment made at a round, and where it stands (`commitments`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitmentRow {
    pub index: u64,
    pub round_idx: u64,
    /// The delegation that committed itself.
    pub owner: String,
    pub text: String,
    pub due: Option<String>,
    pub status: String,
    /// The entry that last set the status (the commitment's own at first).
    pub updated_idx: u64,
    pub note: String,
}

impl FromRow for CommitmentRow {
    const TABLE: &'static Table = &COMMITMENTS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            round_idx: v.index()?,
            owner: v.text()?,
            text: v.text()?,
            due: v.opt_text()?,
            status: v.text()?,
            updated_idx: v.index()?,
            note: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}
