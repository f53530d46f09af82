//! The border crossings of a geometry: ids, names, the place on each country's side, and the position
//! with its source. They are `crossing` features of the geometry file itself, so the SHA-256
//! the genesis records covers them (see `parse.rs` for how they are read).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Country;

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
#[serde(try_from = "Fields", into = "Fields")]
pub struct Crossing {
    /// Stable identifier (a slug), for URLs and log entries; unique within a geometry.
    pub id: String,
    pub name: String,
    pub name_ps: Option<String>,
    pub name_ur: Option<String>,
    pub name_fa: Option<String>,
    /// The place on each country's side, by country (the file's `<code>_place`
    /// properties, e.g. `th_place`).
    pub places: BTreeMap<Country, String>,
    pub lat: f64,
    pub lon: f64,
    pub position: PositionKind,
    /// Where the position (or the place it was snapped from) comes from.
    pub source: String,
    /// The position before snapping, when `position` is `snapped_to_border`.
    pub source_lat: Option<f64>,
    pub source_lon: Option<f64>,
}

/// A crossing as the geometry file's properties (and the derivation's gazetteer) write it:
/// the places as `<code>_place` keys beside the other fields.
#[derive(Serialize, Deserialize)]
struct Fields {
    id: String,
    name: String,
    name_ps: Option<String>,
    name_ur: Option<String>,
    name_fa: Option<String>,
    lat: f64,
    lon: f64,
    position: PositionKind,
    source: String,
    source_lat: Option<f64>,
    source_lon: Option<f64>,
    #[serde(flatten)]
    places: BTreeMap<String, String>,
}

/// The country whose side a `<code>_place` property names (`th_place`: Thailand); `None`
/// for a key of another form, an error for a code ISO does not assign.
pub(crate) fn place_country(key: &str) -> Option<Result<Country, String>> {
    let code = key.strip_suffix("_place")?;
    let code = (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()))
        .then(|| code.to_ascii_uppercase())?;
    Some(Country::parse(&code))
}

impl TryFrom<Fields> for Crossing {
    type Error = String;
    fn try_from(fields: Fields) -> Result<Self, String> {
        let mut places = BTreeMap::new();
        for (key, place) in fields.places {
            match place_country(&key) {
                Some(country) => places.insert(country.map_err(|e| format!("{key}: {e}"))?, place),
                None => return Err(format!("unknown field {key:?}")),
            };
        }
        Ok(Self {
            id: fields.id,
            name: fields.name,
            name_ps: fields.name_ps,
            name_ur: fields.name_ur,
            name_fa: fields.name_fa,
            places,
            lat: fields.lat,
            lon: fields.lon,
            position: fields.position,
            source: fields.source,
            source_lat: fields.source_lat,
            source_lon: fields.source_lon,
        })
    }
}

impl From<Crossing> for Fields {
    fn from(crossing: Crossing) -> Self {
        let places = crossing.places.into_iter();
        Self {
            id: crossing.id,
            name: crossing.name,
            name_ps: crossing.name_ps,
            name_ur: crossing.name_ur,
            name_fa: crossing.name_fa,
            lat: crossing.lat,
            lon: crossing.lon,
            position: crossing.position,
            source: crossing.source,
            source_lat: crossing.source_lat,
            source_lon: crossing.source_lon,
            places: places
                .map(|(country, place)| {
                    (
                        format!("{}_place", country.code().to_ascii_lowercase()),
                        place,
                    )
                })
                .collect(),
        }
    }
}
