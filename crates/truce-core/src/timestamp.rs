//! Times on the record: RFC 3339 in UTC, kept exactly as the author wrote them, and whole
//! days (`YYYY-MM-DD`) for figures counted per day.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime, format_description::well_known::Rfc3339};

/// An RFC 3339 timestamp in UTC (`2025-10-09T21:30:00Z`).
///
/// The original text is kept, because it is part of what the author signed; comparisons use
/// the instant it denotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp {
    text: String,
    instant: OffsetDateTime,
}

impl Timestamp {
    pub fn parse(text: impl Into<String>) -> Result<Self, String> {
        let text = text.into();
        if !text.ends_with('Z') {
            return Err(format!(
                "must be RFC 3339 in UTC ending in 'Z' (got {text:?})"
            ));
        }
        let instant = OffsetDateTime::parse(&text, &Rfc3339)
            .map_err(|e| format!("must be an RFC 3339 time ({e}; got {text:?})"))?;
        Ok(Self { text, instant })
    }

    /// The timestamp of an instant, to the second.
    #[must_use]
    pub fn from_unix_seconds(seconds: i64) -> Self {
        let instant = OffsetDateTime::from_unix_timestamp(seconds)
            .expect("seconds within the calendar range");
        let text = instant
            .format(&Rfc3339)
            .expect("RFC 3339 formats any instant");
        Self { text, instant }
    }

    #[must_use]
    pub fn unix_seconds(&self) -> i64 {
        self.instant.unix_timestamp()
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    #[must_use]
    pub fn instant(&self) -> OffsetDateTime {
        self.instant
    }
}

impl TryFrom<String> for Timestamp {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Timestamp> for String {
    fn from(value: Timestamp) -> Self {
        value.text
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A whole calendar day (`2025-10-25`), for figures counted per day. The text is kept as
/// written, which for a valid day is the only way to write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Day {
    text: String,
    date: Date,
}

impl Day {
    pub fn parse(text: impl Into<String>) -> Result<Self, String> {
        let text = text.into();
        let shape = || format!("must be a day written YYYY-MM-DD (got {text:?})");
        let parts: Vec<&str> = text.split('-').collect();
        let [year, month, day] = parts[..] else {
            return Err(shape());
        };
        let digits =
            |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
            return Err(shape());
        }
        let number = |part: &str| part.parse::<u8>().map_err(|_| shape());
        let month = Month::try_from(number(month)?).map_err(|_| shape())?;
        let year = year.parse::<i32>().map_err(|_| shape())?;
        let date = Date::from_calendar_date(year, month, number(day)?)
            .map_err(|e| format!("is not a day of the calendar ({e}; got {text:?})"))?;
        Ok(Self { text, date })
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    #[must_use]
    pub fn date(&self) -> Date {
        self.date
    }
}

impl TryFrom<String> for Day {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Day> for String {
    fn from(value: Day) -> Self {
        value.text
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_parse_and_keep_their_text() {
        let t = Timestamp::parse("2025-10-09T21:30:00.5Z").unwrap();
        assert_eq!(t.as_str(), "2025-10-09T21:30:00.5Z");
        assert_eq!(t.unix_seconds(), 1_760_045_400);
    }

    #[test]
    fn a_day_is_written_yyyy_mm_dd_and_exists() {
        assert_eq!(Day::parse("2025-10-25").unwrap().as_str(), "2025-10-25");
        for bad in [
            "2025-10-32",
            "2025-02-29",
            "25-10-2025",
            "2025-1-5",
            "2025-10-25T00:00:00Z",
        ] {
            assert!(Day::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Day::parse("2024-02-29").is_ok());
    }

    #[test]
    fn offsets_other_than_z_are_refused() {
        assert!(Timestamp::parse("2025-10-09T21:30:00+04:30").is_err());
        assert!(Timestamp::parse("yesterday").is_err());
    }
}
