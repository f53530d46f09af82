//! The liaison channel: contacts between the mechanism and a party's liaison (a hotline
//! call, a message, a meeting, or the notice of a movement the monitors will make), the
//! party's acknowledgement signed by its own liaison key, and the outcome. How long each
//! party takes to answer is a neutral measure of it, as the UNMHA and India–Pakistan
//! hotline experience suggests.

use serde::{Deserialize, Serialize};

use super::values::text;
use crate::names::DelegationId;
use crate::rejection::FieldError;
use crate::timestamp::Timestamp;

/// The longest window a movement notice may cover, in hours (a week).
pub const MOVEMENT_HOURS_MAX: i64 = 7 * 24;

/// How the mechanism reached the party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    HotlineCall,
    Message,
    Meeting,
    /// The notice of a movement (route and window) the party is asked to acknowledge.
    MovementNotice,
}

impl Channel {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HotlineCall => "hotline_call",
            Self::Message => "message",
            Self::Meeting => "meeting",
            Self::MovementNotice => "movement_notice",
        }
    }
}

/// A monitors' movement notified beforehand: the route and the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifiedMovement {
    pub end: Timestamp,
    pub route: String,
    pub start: Timestamp,
}

/// `liaison.contact`: the mechanism reaches a party's liaison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiaisonContact {
    pub channel: Channel,
    /// The incident it is about, by log index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<u64>,
    /// For a movement notice (and only for one): the route and window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<NotifiedMovement>,
    /// The party reached.
    pub party: DelegationId,
    pub subject: String,
}

/// `liaison.acknowledged`: the party's liaison acknowledges a contact, with its own key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiaisonAcknowledged {
    pub contact: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a contact ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactOutcome {
    Clarified,
    DeEscalated,
    NoAnswer,
    Escalated,
}

impl ContactOutcome {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clarified => "clarified",
            Self::DeEscalated => "de_escalated",
            Self::NoAnswer => "no_answer",
            Self::Escalated => "escalated",
        }
    }
}

/// `liaison.outcome`: the mechanism records how a contact ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiaisonOutcome {
    pub contact: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub outcome: ContactOutcome,
}

impl LiaisonContact {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.subject, "subject", 1, 500)?;
        match (&self.movement, self.channel) {
            (None, Channel::MovementNotice) => Err(FieldError::new(
                "movement",
                "a movement notice gives the route and window",
            )),
            (Some(_), channel) if channel != Channel::MovementNotice => Err(FieldError::new(
                "movement",
                "is given only for a movement notice",
            )),
            (Some(movement), _) => movement.validate(),
            (None, _) => Ok(()),
        }
    }
}

impl NotifiedMovement {
    fn validate(&self) -> Result<(), FieldError> {
        text(&self.route, "movement.route", 1, 500)?;
        let (start, end) = (self.start.instant(), self.end.instant());
        if end < start {
            let reason = format!("{} is before the window's start {}", self.end, self.start);
            return Err(FieldError::new("movement.end", reason));
        }
        if (end - start).whole_hours() > MOVEMENT_HOURS_MAX {
            let reason = format!("a movement window lasts at most {MOVEMENT_HOURS_MAX} hours");
            return Err(FieldError::new("movement.end", reason));
        }
        Ok(())
    }
}

impl LiaisonAcknowledged {
    pub fn validate(&self) -> Result<(), FieldError> {
        self.note
            .as_ref()
            .map_or(Ok(()), |n| text(n, "note", 1, 2000))
    }
}

impl LiaisonOutcome {
    pub fn validate(&self) -> Result<(), FieldError> {
        self.note
            .as_ref()
            .map_or(Ok(()), |n| text(n, "note", 1, 2000))
    }
}
