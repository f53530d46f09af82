//! Small value types shared by the mechanism's records: points, casualty ranges, source
//! grades, and the precisions that ACLED and UCDP attach to times and places.

use crate::rejection::FieldError;
use serde::{Deserialize, Serialize};

/// A point in WGS 84, as GeoJSON orders it: longitude, then latitude.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// Checks the coordinates are on the globe; `at` names the field for the error.
    pub fn validate(&self, at: &str) -> Result<(), FieldError> {
        if !(-90.0..=90.0).contains(&self.lat) {
            return Err(FieldError::new(
                format!("{at}.lat"),
                format!("must be between -90 and 90 (got {})", self.lat),
            ));
        }
        if !(-180.0..=180.0).contains(&self.lon) {
            return Err(FieldError::new(
                format!("{at}.lon"),
                format!("must be between -180 and 180 (got {})", self.lon),
            ));
        }
        Ok(())
    }
}

/// A count known only within bounds, as UCDP records deaths: low, best estimate, high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub best: u32,
    pub high: u32,
    pub low: u32,
}

impl Range {
    pub fn validate(&self, at: &str) -> Result<(), FieldError> {
        if self.low > self.best {
            return Err(FieldError::new(
                format!("{at}.low"),
                format!("{} is more than the best estimate {}", self.low, self.best),
            ));
        }
        if self.best > self.high {
            return Err(FieldError::new(
                format!("{at}.high"),
                format!("{} is less than the best estimate {}", self.high, self.best),
            ));
        }
        Ok(())
    }
}

/// How precisely an event's date is known (UCDP GED `date_prec`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// The exact day (UCDP 1).
    Day,
    /// Within 2 to 6 days (UCDP 2).
    Days,
    /// Within 8 to 30 days (UCDP 3).
    Weeks,
    /// The month (UCDP 4).
    Month,
    /// The year (UCDP 5).
    Year,
}

impl DatePrecision {
    /// The UCDP GED `date_prec` code.
    #[must_use]
    pub fn ucdp(self) -> u8 {
        match self {
            Self::Day => 1,
            Self::Days => 2,
            Self::Weeks => 3,
            Self::Month => 4,
            Self::Year => 5,
        }
    }

    /// The precision UCDP GED's `date_prec` code means.
    #[must_use]
    pub fn from_ucdp(code: u8) -> Option<Self> {
        [Self::Day, Self::Days, Self::Weeks, Self::Month, Self::Year]
            .into_iter()
            .find(|p| p.ucdp() == code)
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Days => "days",
            Self::Weeks => "weeks",
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

/// A source's reliability on the Admiralty scale: A (completely reliable) to
/// E (unreliable), F (cannot be judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

/// A source of a claim, graded on the Admiralty scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// 1 (confirmed by other sources) to 6 (truth cannot be judged).
    pub credibility: u8,
    /// Who or what the source is, as precisely as may be recorded (never a protected
    /// witness's identity: that is kept encrypted, outside the log).
    pub name: String,
    pub reliability: Reliability,
}

impl Source {
    pub fn validate(&self, at: &str) -> Result<(), FieldError> {
        if !(1..=6).contains(&self.credibility) {
            return Err(FieldError::new(
                format!("{at}.credibility"),
                format!("must be 1 to 6 (got {})", self.credibility),
            ));
        }
        text(&self.name, &format!("{at}.name"), 1, 500)
    }
}

/// Checks a text field's length in characters.
pub fn text(value: &str, at: &str, min: usize, max: usize) -> Result<(), FieldError> {
    let chars = value.chars().count();
    if chars < min || chars > max {
        return Err(FieldError::new(
            at.to_string(),
            format!("must be {min} to {max} characters (is {chars})"),
        ));
    }
    Ok(())
}

/// A stable id's form (actors, crossings): 1 to `bytes_max` lowercase ASCII letters,
/// digits and inner `-`, with at least one letter, so that it is never taken for a log
/// index.
pub(crate) fn is_slug(id: &str, bytes_max: usize) -> bool {
    let valid_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    !id.is_empty()
        && id.len() <= bytes_max
        && id.chars().all(valid_char)
        && id.chars().any(|c| c.is_ascii_lowercase())
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Declares a stable slug id type (see [`is_slug`]): parsed on the way in, so that a
/// value of the type is always well formed; `$noun` names it in the error ("a sensor id"),
/// and `$hint` (optional) ends the rule (", as in the gazetteer").
macro_rules! slug_id {
    ($(#[$meta:meta])* $name:ident, $bytes_max:expr, $noun:literal) => {
        $crate::mechanism::values::slug_id!($(#[$meta])* $name, $bytes_max, $noun, "");
    };
    ($(#[$meta:meta])* $name:ident, $bytes_max:expr, $noun:literal, $hint:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(id: impl Into<String>) -> Result<Self, String> {
                let id = id.into();
                if !$crate::mechanism::values::is_slug(&id, $bytes_max) {
                    return Err(format!(
                        "{} is 1 to {} lowercase letters, digits or inner '-', with at least one letter{} (got {id:?})",
                        $noun, $bytes_max, $hint
                    ));
                }
                Ok(Self(id))
            }

            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use slug_id;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_with_low_above_best_is_refused_naming_low() {
        let range = Range {
            low: 50,
            best: 46,
            high: 60,
        };
        assert_eq!(
            range.validate("casualties.killed").unwrap_err().field,
            "casualties.killed.low"
        );
    }

    #[test]
    fn coordinates_off_the_globe_are_refused() {
        assert_eq!(
            Point {
                lat: 91.0,
                lon: 0.0
            }
            .validate("p")
            .unwrap_err()
            .field,
            "p.lat"
        );
        assert_eq!(
            Point {
                lat: 0.0,
                lon: -181.0
            }
            .validate("p")
            .unwrap_err()
            .field,
            "p.lon"
        );
        assert!(
            Point {
                lat: 34.5,
                lon: 69.2
            }
            .validate("p")
            .is_ok()
        );
    }
}
