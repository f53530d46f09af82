//! Validation of a latitude/longitude pair at the edge, naming the offending field.

use crate::GeoError;

/// Accepts finite latitudes in [-90, 90] and longitudes in [-180, 180].
pub fn check(lat: f64, lon: f64) -> Result<(), GeoError> {
    check_one("lat", lat, 90.0)?;
    check_one("lon", lon, 180.0)
}

fn check_one(field: &'static str, value: f64, limit: f64) -> Result<(), GeoError> {
    if !value.is_finite() {
        return Err(GeoError::InvalidCoordinate {
            field,
            reason: format!("must be a finite number, got {value}"),
        });
    }
    if value.abs() > limit {
        return Err(GeoError::InvalidCoordinate {
            field,
            reason: format!("must lie in [-{limit}, {limit}], got {value}"),
        });
    }
    Ok(())
}
