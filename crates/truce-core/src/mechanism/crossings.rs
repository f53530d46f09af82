//! The border crossings: each crossing's status over time (open, closed, restricted,
//! deportations only) and the people crossing it over a period (voluntary returns,
//! deportations, others), each with who says so and how exact their figure is.
//!
//! A crossing is named by its slug in the agreed geometry's gazetteer (`torkham`,
//! `chaman-spin-boldak`). This crate cannot see the geometry, so it checks only the
//! slug's form; the sequencer refuses an id outside the agreed gazetteer (a node's check,
//! which an auditor without the geometry cannot repeat; the API would list such a
//! crossing by id, without a name).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::values::{Range, slug_id, text};
use crate::rejection::FieldError;
use crate::timestamp::{Day, Timestamp};

/// The longest crossing id, in bytes.
pub const CROSSING_ID_BYTES_MAX: usize = 64;
/// The longest period one flow may cover, in days (a year, leap day included).
pub const FLOW_DAYS_MAX: i64 = 366;

slug_id!(
    /// A crossing's id in the gazetteer: lowercase ASCII letters, digits and inner `-`,
    /// with at least one letter.
    CrossingId,
    CROSSING_ID_BYTES_MAX,
    "a crossing id",
    ", as in the gazetteer"
);

/// Whether and for whom a crossing is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrossingState {
    Open,
    Closed,
    /// Open to some people or goods only (trade, pedestrians, certain hours).
    Restricted,
    /// Opened only to deport people: closed to everyone else.
    DeportationsOnly,
}

impl CrossingState {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Restricted => "restricted",
            Self::DeportationsOnly => "deportations_only",
        }
    }

    /// Whether the crossing is closed to anyone crossing of their own will. A crossing
    /// opened only to deport people is, for the closure alert, as closed as a shut one:
    /// nobody may return, trade or seek care through it.
    #[must_use]
    pub fn is_closure(self) -> bool {
        matches!(self, Self::Closed | Self::DeportationsOnly)
    }
}

/// Which way people crossed: the country they entered, as `to_` and its ISO 3166-1 alpha-2
/// code in lowercase (`to_th`: into Thailand). This crate cannot see the geometry, so it
/// checks only the form; the sequencer refuses a country that is not one of the agreed
/// geometry's (as it does a crossing outside its gazetteer).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Direction(String);

impl Direction {
    pub fn parse(text: impl Into<String>) -> Result<Self, String> {
        let text = text.into();
        let code = text.strip_prefix("to_").unwrap_or_default();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(format!(
                "a direction is \"to_\" and the ISO 3166-1 alpha-2 code of the country entered, in lowercase, e.g. \"to_th\" (got {text:?})"
            ));
        }
        Ok(Self(text))
    }

    /// Into the country with this ISO 3166-1 alpha-2 code (either case).
    pub fn into_country(code: &str) -> Result<Self, String> {
        Self::parse(format!("to_{}", code.to_ascii_lowercase()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISO 3166-1 alpha-2 code of the country entered, in capitals ("TH").
    #[must_use]
    pub fn country_code(&self) -> String {
        self.0["to_".len()..].to_ascii_uppercase()
    }
}

impl TryFrom<String> for Direction {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Direction> for String {
    fn from(value: Direction) -> Self {
        value.0
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowCategory {
    VoluntaryReturn,
    Deportation,
    Other,
}

impl FlowCategory {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VoluntaryReturn => "voluntary_return",
            Self::Deportation => "deportation",
            Self::Other => "other",
        }
    }
}

/// How exact the source's figure is, as the source gives it (the range in `count` says
/// what the recorder makes of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowPrecision {
    /// A count of people (a register, a tally at the gate).
    Exact,
    /// A round figure as reported ("8,000").
    Rounded,
    /// The source's own estimate or range.
    Estimate,
    /// The source does not say how it came by the figure.
    Unknown,
}

impl FlowPrecision {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Rounded => "rounded",
            Self::Estimate => "estimate",
            Self::Unknown => "unknown",
        }
    }
}

/// A crossing's status from `since` on, as `source` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossingStatus {
    pub crossing: CrossingId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When the status took effect: at or before the entry's time.
    pub since: Timestamp,
    /// Who says so ("Taliban authorities (Spin Boldak district), via DW 2025-10-30").
    pub source: String,
    pub status: CrossingState,
}

/// People who crossed at a crossing over whole days, `start` to `end` inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossingFlow {
    pub category: FlowCategory,
    /// How many: low, best estimate, high.
    pub count: Range,
    pub crossing: CrossingId,
    pub direction: Direction,
    /// The last day counted (a weekend is `start` Saturday, `end` Sunday).
    pub end: Day,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub precision: FlowPrecision,
    /// Who gives the figure.
    pub source: String,
    /// The first day counted.
    pub start: Day,
}

impl CrossingStatus {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.source, "source", 1, 500)?;
        validate_note(self.note.as_deref())
    }
}

impl CrossingFlow {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.source, "source", 1, 500)?;
        validate_note(self.note.as_deref())?;
        self.count.validate("count")?;
        let days = self.days();
        if days < 1 {
            return Err(FieldError::new(
                "end",
                format!("{} is before start {}", self.end, self.start),
            ));
        }
        if days > FLOW_DAYS_MAX {
            return Err(FieldError::new(
                "end",
                format!("a flow covers at most {FLOW_DAYS_MAX} days (this one {days})"),
            ));
        }
        Ok(())
    }

    /// How many days the flow covers, both ends included.
    #[must_use]
    pub fn days(&self) -> i64 {
        (self.end.date() - self.start.date()).whole_days() + 1
    }
}

fn validate_note(note: Option<&str>) -> Result<(), FieldError> {
    match note {
        Some(note) => text(note, "note", 1, 2_000),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(start: &str, end: &str) -> CrossingFlow {
        CrossingFlow {
            category: FlowCategory::Deportation,
            count: Range {
                low: 8_000,
                best: 8_000,
                high: 8_000,
            },
            crossing: CrossingId::parse("chaman-spin-boldak").unwrap(),
            direction: Direction::parse("to_af").unwrap(),
            end: Day::parse(end).unwrap(),
            note: None,
            precision: FlowPrecision::Rounded,
            source: "Taliban authorities, as reported by DW".into(),
            start: Day::parse(start).unwrap(),
        }
    }

    #[test]
    fn a_crossing_id_is_a_slug_with_a_letter() {
        assert!(CrossingId::parse("chaman-spin-boldak").is_ok());
        for bad in ["", "42", "Torkham", "tor kham", "-torkham", "torkham-"] {
            assert!(CrossingId::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_weekend_is_two_days_and_a_flow_cannot_end_before_it_starts() {
        assert_eq!(flow("2025-10-25", "2025-10-26").days(), 2);
        assert!(flow("2025-10-25", "2025-10-25").validate().is_ok());
        let backwards = flow("2025-10-26", "2025-10-25").validate().unwrap_err();
        assert_eq!(backwards.field, "end");
        let too_long = flow("2024-01-01", "2025-10-25").validate().unwrap_err();
        assert_eq!(too_long.field, "end");
    }

    #[test]
    fn a_flow_needs_a_source_and_a_sound_range() {
        let mut unsourced = flow("2025-10-25", "2025-10-26");
        unsourced.source = String::new();
        assert_eq!(unsourced.validate().unwrap_err().field, "source");
        let mut inverted = flow("2025-10-25", "2025-10-26");
        inverted.count.low = 9_000;
        assert_eq!(inverted.validate().unwrap_err().field, "count.low");
    }

    #[test]
    fn a_direction_names_the_country_entered_by_its_code() {
        let into = Direction::parse("to_th").unwrap();
        assert_eq!(into.country_code(), "TH");
        assert_eq!(Direction::into_country("KH").unwrap().as_str(), "to_kh");
        for bad in ["", "th", "to_", "to_TH", "to_tha", "into_th", "to_t1"] {
            assert!(Direction::parse(bad).is_err(), "{bad:?} accepted");
        }
        let read: Direction = serde_json::from_str("\"to_af\"").unwrap();
        assert_eq!(
            read.as_str(),
            "to_af",
            "entries written before any border read as before"
        );
    }

    #[test]
    fn deportations_only_counts_as_a_closure() {
        assert!(CrossingState::DeportationsOnly.is_closure());
        assert!(CrossingState::Closed.is_closure());
        assert!(!CrossingState::Restricted.is_closure());
    }
}
