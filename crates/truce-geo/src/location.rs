//! What `locate` answers, and its JSON form: `country`, `admin1`, `admin1_code`,
//! `border_distance_km` and `nearest_crossing` {`name`, `distance_km`}.

use crate::{Country, Crossing, Province};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Where a point lies relative to the reference geometry. Borrows from the `Geometry`.
#[derive(Debug, Clone, Copy)]
pub struct Location<'g> {
    /// The country whose outline contains the point; `None` outside both.
    pub country: Option<Country>,
    /// The province of that country containing the point (or nearest to it, where the
    /// province and country sources disagree on an edge); `None` outside both countries.
    pub admin1: Option<&'g Province>,
    /// Geodesic distance (WGS84) to the nearest point of the border line.
    pub border_distance_km: f64,
    pub nearest_crossing: Option<NearestCrossing<'g>>,
}

/// The crossing nearest to a located point.
#[derive(Debug, Clone, Copy)]
pub struct NearestCrossing<'g> {
    pub crossing: &'g Crossing,
    /// Geodesic distance (WGS84) to the crossing.
    pub distance_km: f64,
}

/// Kilometres to three decimals (metres), as every distance is answered and stored:
/// finer digits would claim a precision the sources lack. (Rounding also hides most
/// differences between platforms' trigonometric functions, though not one that straddles
/// half a metre: projections compared across machines may differ there.)
#[must_use]
pub fn to_metre(km: f64) -> f64 {
    (km * 1000.0).round() / 1000.0
}

impl Serialize for Location<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Location", 5)?;
        state.serialize_field("country", &self.country.map(Country::code))?;
        state.serialize_field("admin1", &self.admin1.map(Province::name))?;
        state.serialize_field("admin1_code", &self.admin1.map(Province::iso_3166_2))?;
        state.serialize_field("border_distance_km", &to_metre(self.border_distance_km))?;
        state.serialize_field("nearest_crossing", &self.nearest_crossing)?;
        state.end()
    }
}

impl Serialize for NearestCrossing<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("NearestCrossing", 2)?;
        state.serialize_field("name", &self.crossing.name)?;
        state.serialize_field("distance_km", &to_metre(self.distance_km))?;
        state.end()
    }
}
