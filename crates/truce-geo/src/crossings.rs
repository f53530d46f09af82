//! The border crossings of a geometry: ids, names, the places on each side, and the position
//! with its source. They are `crossing` features of the geometry file itself, so the SHA-256
//! the genesis records covers them (see `parse.rs` for how they are read).

use serde::{Deserialize, Serialize};

/// How a crossing's position was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionKind {
    /// The coordinates as the cited source gives them for the crossing itself.
    Cited,
    /// The point of the reference border line nearest to the cited (or approximate) position
    /// of the named place, because that position lies off the line.
    SnappedToBorder,
}

impl PositionKind {
    pub const ALL: [PositionKind; 2] = [PositionKind::Cited, PositionKind::SnappedToBorder];

    /// The value of the `position` property: `cited` or `snapped_to_border`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Cited => "cited",
            Self::SnappedToBorder => "snapped_to_border",
        }
    }

    /// The kind whose `position` property value this is.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// One border crossing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crossing {
    /// Stable identifier (a slug), for URLs and log entries; unique within a geometry.
    pub id: String,
    pub name: String,
    pub name_ps: Option<String>,
    pub name_ur: Option<String>,
    pub name_fa: Option<String>,
    /// The place on the Afghan side.
    pub af_place: String,
    /// The place on the Pakistani side.
    pub pk_place: String,
    pub lat: f64,
    pub lon: f64,
    pub position: PositionKind,
    /// Where the position (or the place it was snapped from) comes from.
    pub source: String,
    /// The position before snapping, when `position` is `snapped_to_border`.
    pub source_lat: Option<f64>,
    pub source_lon: Option<f64>,
}
