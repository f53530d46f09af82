//! The gazetteer of border crossings (`data/crossings.json`): ids, names, the places on each
//! side, and the position with its source.

use crate::GeoError;
use serde::{Deserialize, Serialize};

/// Largest gazetteer file accepted.
const GAZETTEER_BYTES_MAX: usize = 1 << 20;

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

/// One border crossing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crossing {
    /// Stable identifier (a slug), for URLs and log entries.
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Gazetteer {
    #[allow(dead_code, reason = "documentation for readers of the file")]
    about: String,
    crossings: Vec<Crossing>,
}

/// The gazetteer shipped with the crate.
pub(crate) const REFERENCE_GAZETTEER: &[u8] = include_bytes!("../data/crossings.json");

/// Parses and validates a gazetteer: `{"about": "...", "crossings": [...]}`.
pub fn parse_gazetteer(bytes: &[u8]) -> Result<Vec<Crossing>, GeoError> {
    if bytes.len() > GAZETTEER_BYTES_MAX {
        return Err(GeoError::TooLarge {
            bytes: bytes.len(),
            limit: GAZETTEER_BYTES_MAX,
        });
    }
    let gazetteer: Gazetteer =
        serde_json::from_slice(bytes).map_err(|error| GeoError::Json(error.to_string()))?;
    let mut ids = std::collections::HashSet::new();
    for crossing in &gazetteer.crossings {
        crate::coordinates::check(crossing.lat, crossing.lon).map_err(|error| {
            GeoError::feature(
                &crossing.id,
                error.field().unwrap_or("lat"),
                error.to_string(),
            )
        })?;
        if !ids.insert(crossing.id.as_str()) {
            return Err(GeoError::feature(&crossing.id, "id", "duplicate id"));
        }
    }
    Ok(gazetteer.crossings)
}
