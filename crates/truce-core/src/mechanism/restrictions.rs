//! Restrictions on the monitors' freedom of movement: a patrol, an investigation or a
//! visit denied, delayed, let through on conditions, jammed, threatened, fired upon or
//! detained; where, by whom (the party that controlled the place), the reason given
//! verbatim, whether the movement was notified beforehand, and how it ended. CTSAMVM
//! counts obstruction of its teams as a violation; so does the compliance view here, per
//! party.

use serde::{Deserialize, Serialize};

use super::values::{Point, text};
use crate::names::DelegationId;
use crate::rejection::FieldError;
use crate::timestamp::Timestamp;

/// The longest delay one restriction may record, in minutes: a week.
pub const DELAY_MINUTES_MAX: u32 = 7 * 24 * 60;

/// What kind of movement was restricted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Patrol,
    Investigation,
    Visit,
}

impl Movement {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patrol => "patrol",
            Self::Investigation => "investigation",
            Self::Visit => "visit",
        }
    }
}

/// How the movement was restricted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestrictionKind {
    Denial,
    Delay,
    ConditionalPassage,
    Jamming,
    Threat,
    FiredUpon,
    Detention,
}

impl RestrictionKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Denial => "denial",
            Self::Delay => "delay",
            Self::ConditionalPassage => "conditional_passage",
            Self::Jamming => "jamming",
            Self::Threat => "threat",
            Self::FiredUpon => "fired_upon",
            Self::Detention => "detention",
        }
    }
}

/// `restriction.recorded`: one restriction on one movement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestrictionRecorded {
    /// When it happened: not after the entry's time.
    pub at: Timestamp,
    /// The party that controlled the place.
    pub controlled_by: DelegationId,
    /// How long the movement was held, for a delay (and only for one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_minutes: Option<u32>,
    /// The investigation the movement served, by log index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigation: Option<u64>,
    pub kind: RestrictionKind,
    pub movement: Movement,
    /// Whether the movement had been notified to the parties beforehand.
    pub notified: bool,
    /// How it ended ("turned back", "passed after 43 minutes").
    pub outcome: String,
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Point>,
    /// The agreement's provision it counts against (its access provision, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// The reason given at the place, verbatim, in whatever language it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_given: Option<String>,
}

impl RestrictionRecorded {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.place, "place", 1, 200)?;
        text(&self.outcome, "outcome", 1, 500)?;
        if let Some(reason) = &self.reason_given {
            text(reason, "reason_given", 1, 2000)?;
        }
        if let Some(position) = &self.position {
            position.validate("position")?;
        }
        match (self.kind, self.delay_minutes) {
            (RestrictionKind::Delay, None) => Err(FieldError::new(
                "delay_minutes",
                "a delay says how many minutes",
            )),
            (RestrictionKind::Delay, Some(m)) if m == 0 || m > DELAY_MINUTES_MAX => {
                Err(FieldError::new(
                    "delay_minutes",
                    format!("must be 1 to {DELAY_MINUTES_MAX} minutes (is {m})"),
                ))
            }
            (RestrictionKind::Delay, Some(_)) | (_, None) => Ok(()),
            (_, Some(_)) => Err(FieldError::new(
                "delay_minutes",
                "is given only for a delay",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restriction(kind: &str, delay: Option<u32>) -> RestrictionRecorded {
        serde_json::from_value(serde_json::json!({
            "at": "2025-11-07T09:00:00Z", "controlled_by": "pk", "kind": kind,
            "delay_minutes": delay, "movement": "patrol", "notified": true,
            "outcome": "passed", "place": "checkpoint at Landi Kotal",
        }))
        .unwrap()
    }

    #[test]
    fn a_delay_says_its_minutes_and_nothing_else_does() {
        assert!(restriction("delay", Some(43)).validate().is_ok());
        assert_eq!(
            restriction("delay", None).validate().unwrap_err().field,
            "delay_minutes"
        );
        assert_eq!(
            restriction("delay", Some(0)).validate().unwrap_err().field,
            "delay_minutes"
        );
        assert_eq!(
            restriction("denial", Some(5)).validate().unwrap_err().field,
            "delay_minutes"
        );
        assert!(restriction("denial", None).validate().is_ok());
    }
}
