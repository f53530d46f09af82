//! Investigations: monitors assigned to an incident, the tasks they set themselves, and
//! what happened on the ground, including each denial of access, recorded against the
//! party that denied it.

use serde::{Deserialize, Serialize};

use super::values::{Point, text};
use crate::names::{DelegationId, KeyName};
use crate::rejection::FieldError;
use crate::timestamp::Timestamp;

/// Monitors, tasks, or steps one entry may list.
pub const ITEMS_MAX: usize = 32;

/// A monitor opens an investigation of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvestigationOpened {
    pub incident: u64,
    /// What the investigation is to establish.
    pub mandate: String,
    /// The monitors' keys assigned to it.
    pub monitors: Vec<KeyName>,
    /// Tasks, numbered from 0 in the order given; steps refer to them by number.
    pub tasks: Vec<String>,
}

/// What an investigation step records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A task was done (`task` names it).
    TaskDone,
    SiteVisit,
    Interview,
    /// A party refused or obstructed access (`party` names it).
    AccessDenied,
    Note,
    /// The investigation's fact-finding is over; findings may still be proposed.
    Closed,
}

impl StepKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TaskDone => "task_done",
            Self::SiteVisit => "site_visit",
            Self::Interview => "interview",
            Self::AccessDenied => "access_denied",
            Self::Note => "note",
            Self::Closed => "closed",
        }
    }
}

/// One step of an investigation, as the monitor recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvestigationStep {
    pub investigation: u64,
    pub kind: StepKind,
    /// When it happened (at or before the entry's signing time).
    pub occurred: Timestamp,
    /// The party that denied access; only for `access_denied`, and required there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<DelegationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Point>,
    /// The task done; only for `task_done`, and required there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<u32>,
    pub text: String,
}

impl InvestigationOpened {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.mandate, "mandate", 1, 5_000)?;
        count("monitors", self.monitors.len(), 1)?;
        count("tasks", self.tasks.len(), 0)?;
        for (i, task) in self.tasks.iter().enumerate() {
            text(task, &format!("tasks[{i}]"), 1, 1_000)?;
        }
        Ok(())
    }
}

impl InvestigationStep {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.text, "text", 1, 20_000)?;
        if let Some(place) = &self.place {
            place.validate("place")?;
        }
        let denial = self.kind == StepKind::AccessDenied;
        if denial != self.party.is_some() {
            let reason = if denial {
                "an access denial names the party that denied access"
            } else {
                "only an access_denied step names a party"
            };
            return Err(FieldError::new("party", reason));
        }
        let task_done = self.kind == StepKind::TaskDone;
        if task_done != self.task.is_some() {
            let reason = if task_done {
                "a task_done step names the task's number"
            } else {
                "only a task_done step names a task"
            };
            return Err(FieldError::new("task", reason));
        }
        Ok(())
    }
}

fn count(at: &str, n: usize, min: usize) -> Result<(), FieldError> {
    if n < min || n > ITEMS_MAX {
        return Err(FieldError::new(
            at,
            format!("must list {min} to {ITEMS_MAX} items (lists {n})"),
        ));
    }
    Ok(())
}
