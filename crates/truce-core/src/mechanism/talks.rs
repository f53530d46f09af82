//! Measures taken on final findings, and the talks: rounds, the commitments made at them,
//! who owns each, and by when.

use serde::{Deserialize, Serialize};

use super::values::text;
use crate::names::DelegationId;
use crate::rejection::FieldError;
use crate::timestamp::Timestamp;

/// Where a measure from the ladder stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    /// Set when the finding became final.
    Due,
    InProgress,
    Completed,
    /// Not carried out by its deadline.
    Lapsed,
}

impl MeasureStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Due => "due",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Lapsed => "lapsed",
        }
    }

    #[must_use]
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Lapsed)
    }
}

/// A commissioner records progress on a measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureUpdated {
    pub measure: u64,
    pub note: String,
    pub status: MeasureStatus,
}

/// A round of talks, convened by the mediators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalksRound {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<Timestamp>,
    pub participants: Vec<DelegationId>,
    pub place: String,
    pub starts: Timestamp,
    pub summary: String,
    pub title: String,
}

/// A commitment made at a round, owned by one delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentMade {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Timestamp>,
    pub owner: DelegationId,
    pub round: u64,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    Open,
    Met,
    Missed,
    Withdrawn,
}

impl CommitmentStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Met => "met",
            Self::Missed => "missed",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// A commissioner records where a commitment stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentUpdated {
    pub commitment: u64,
    pub note: String,
    pub status: CommitmentStatus,
}

impl MeasureUpdated {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.status == MeasureStatus::Due {
            return Err(FieldError::new(
                "status",
                "a measure is due from the start; record in_progress, completed or lapsed",
            ));
        }
        text(&self.note, "note", 0, 10_000)
    }
}

impl TalksRound {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.title, "title", 1, 200)?;
        text(&self.place, "place", 1, 200)?;
        text(&self.summary, "summary", 0, 20_000)?;
        if self.participants.len() < 2 || self.participants.len() > 32 {
            return Err(FieldError::new(
                "participants",
                format!(
                    "must list 2 to 32 delegations (lists {})",
                    self.participants.len()
                ),
            ));
        }
        if let Some(ends) = &self.ends
            && ends.instant() < self.starts.instant()
        {
            return Err(FieldError::new("ends", "is before starts"));
        }
        Ok(())
    }
}

impl CommitmentMade {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.text, "text", 1, 5_000)
    }
}

impl CommitmentUpdated {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.note, "note", 0, 10_000)
    }
}
