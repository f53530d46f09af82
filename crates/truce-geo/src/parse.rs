//! Reading a geometry file: a GeoJSON `FeatureCollection` whose features carry a `kind`
//! property: two or more `country` features (each named by its ISO 3166-1 alpha-2 code), one
//! or more `border` lines, the `province`s of every country and, optionally, `crossing`
//! points. See the crate README for the format.

use crate::crossings::{Crossing, PositionKind};
use crate::{Country, GeoError, Province};
use geo::{Coord, CoordsIter, MultiLineString, MultiPolygon};
use geojson::{Feature, FeatureCollection, GeometryValue};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Largest geometry file accepted (the reference is about 1 MB).
pub const GEOJSON_BYTES_MAX: usize = 64 << 20;

pub(crate) struct Parts {
    pub countries: Vec<(Country, MultiPolygon)>,
    pub border: MultiLineString,
    pub provinces: Vec<Province>,
    pub crossings: Vec<Crossing>,
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Parts, GeoError> {
    if bytes.len() > GEOJSON_BYTES_MAX {
        return Err(GeoError::TooLarge {
            bytes: bytes.len(),
            limit: GEOJSON_BYTES_MAX,
        });
    }
    let collection: FeatureCollection =
        serde_json::from_slice(bytes).map_err(|error| GeoError::Json(error.to_string()))?;
    let mut parts = Parts {
        countries: Vec::new(),
        border: MultiLineString::new(vec![]),
        provinces: Vec::new(),
        crossings: Vec::new(),
    };
    for (index, feature) in collection.features.iter().enumerate() {
        read_feature(&mut parts, &label(index, feature), feature)?;
    }
    check_complete(&parts)?;
    Ok(parts)
}

fn label(index: usize, feature: &Feature) -> String {
    let properties = feature.properties.as_ref();
    let name = text(properties, "iso_3166_2")
        .or_else(|| text(properties, "country"))
        .or_else(|| text(properties, "id"));
    name.map_or_else(
        || format!("features[{index}]"),
        |name| format!("features[{index}] ({name})"),
    )
}

fn read_feature(parts: &mut Parts, label: &str, feature: &Feature) -> Result<(), GeoError> {
    let properties = feature.properties.as_ref();
    let geometry = feature
        .geometry
        .as_ref()
        .ok_or_else(|| GeoError::feature(label, "geometry", "missing"))?;
    match required(label, properties, "kind")?.as_str() {
        "country" => {
            let country = country(label, properties)?;
            if parts.countries.iter().any(|(seen, _)| *seen == country) {
                return Err(GeoError::feature(
                    label,
                    "country",
                    "a second outline of the same country",
                ));
            }
            parts
                .countries
                .push((country, area(label, &geometry.value)?));
        }
        "border" => parts.border.0.extend(lines(label, &geometry.value)?),
        "province" => parts
            .provinces
            .push(province(label, properties, &geometry.value)?),
        "crossing" => {
            let crossing = crossing(label, properties, &geometry.value)?;
            if parts.crossings.iter().any(|seen| seen.id == crossing.id) {
                return Err(GeoError::feature(
                    label,
                    "properties.id",
                    format!("a second crossing with id {:?}", crossing.id),
                ));
            }
            parts.crossings.push(crossing);
        }
        other => {
            return Err(GeoError::feature(
                label,
                "kind",
                format!("unknown kind {other:?}"),
            ));
        }
    }
    Ok(())
}

/// Two countries at least, each with provinces, and nothing naming a country without an
/// outline.
fn check_complete(parts: &Parts) -> Result<(), GeoError> {
    if parts.countries.len() < 2 {
        return Err(GeoError::Missing(
            "the outlines of at least two countries (kind \"country\")".into(),
        ));
    }
    let outlined = |country: Country| parts.countries.iter().any(|(seen, _)| *seen == country);
    for (index, province) in parts.provinces.iter().enumerate() {
        if !outlined(province.country) {
            return Err(GeoError::feature(
                &format!("provinces[{index}] ({})", province.iso_3166_2),
                "properties.country",
                format!(
                    "{} has no outline (kind \"country\") in this file",
                    province.country
                ),
            ));
        }
    }
    for crossing in &parts.crossings {
        if let Some(country) = crossing.places.keys().find(|c| !outlined(**c)) {
            return Err(GeoError::feature(
                &format!("crossing {:?}", crossing.id),
                &format!("properties.{}_place", country.code().to_ascii_lowercase()),
                format!("{country} has no outline (kind \"country\") in this file"),
            ));
        }
    }
    for (country, _) in &parts.countries {
        let country = *country;
        if !parts
            .provinces
            .iter()
            .any(|province| province.country == country)
        {
            return Err(GeoError::Missing(format!(
                "provinces of {} (kind \"province\")",
                country.code()
            )));
        }
    }
    if parts.border.0.is_empty() {
        return Err(GeoError::Missing(
            "the border line (kind \"border\")".into(),
        ));
    }
    Ok(())
}

fn province(
    label: &str,
    properties: Option<&Map<String, Value>>,
    value: &GeometryValue,
) -> Result<Province, GeoError> {
    Ok(Province {
        iso_3166_2: required(label, properties, "iso_3166_2")?,
        country: country(label, properties)?,
        name: required(label, properties, "name")?,
        name_ps: text(properties, "name_ps"),
        name_fa: text(properties, "name_fa"),
        name_ur: text(properties, "name_ur"),
        name_ar: text(properties, "name_ar"),
        name_tr: text(properties, "name_tr"),
        area: area(label, value)?,
    })
}

/// A `crossing` Point feature. `position` defaults to `cited`; `source_lat`/`source_lon` (the
/// position before snapping) are given exactly when `position` is `snapped_to_border`.
fn crossing(
    label: &str,
    properties: Option<&Map<String, Value>>,
    value: &GeometryValue,
) -> Result<Crossing, GeoError> {
    let GeometryValue::Point { coordinates } = value else {
        return Err(GeoError::feature(
            label,
            "geometry",
            "a crossing must be a Point",
        ));
    };
    let point = checked(
        label,
        Coord {
            x: coordinates[0],
            y: coordinates[1],
        },
    )?;
    let position = match properties.and_then(|p| p.get("position")) {
        None | Some(Value::Null) => PositionKind::Cited,
        Some(value) => value
            .as_str()
            .and_then(PositionKind::from_code)
            .ok_or_else(|| {
                GeoError::feature(
                    label,
                    "properties.position",
                    format!("must be \"cited\" or \"snapped_to_border\", got {value}"),
                )
            })?,
    };
    let source_lat = number(label, properties, "source_lat")?;
    let source_lon = number(label, properties, "source_lon")?;
    match (source_lat, source_lon, position) {
        (Some(lat), Some(lon), PositionKind::SnappedToBorder) => {
            crate::coordinates::check(lat, lon).map_err(|error| {
                let field = format!("properties.source_{}", error.field().unwrap_or("lat"));
                GeoError::feature(label, &field, error.to_string())
            })?;
        }
        (None, None, PositionKind::Cited) => {}
        (_, _, PositionKind::SnappedToBorder) => {
            return Err(GeoError::feature(
                label,
                "properties.source_lat",
                "a snapped_to_border crossing needs source_lat and source_lon (the position it was snapped from)",
            ));
        }
        (_, _, PositionKind::Cited) => {
            return Err(GeoError::feature(
                label,
                "properties.source_lat",
                "source_lat and source_lon are only for a snapped_to_border crossing",
            ));
        }
    }
    Ok(Crossing {
        id: required(label, properties, "id")?,
        name: required(label, properties, "name")?,
        name_ps: text(properties, "name_ps"),
        name_ur: text(properties, "name_ur"),
        name_fa: text(properties, "name_fa"),
        places: places(label, properties)?,
        lat: point.y,
        lon: point.x,
        position,
        source: text(properties, "source").unwrap_or_default(),
        source_lat,
        source_lon,
    })
}

/// An optional number property: absent or null is `None`; anything else must be a number.
fn number(
    label: &str,
    properties: Option<&Map<String, Value>>,
    key: &str,
) -> Result<Option<f64>, GeoError> {
    match properties.and_then(|p| p.get(key)) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_f64()
            .map(Some)
            .ok_or_else(|| GeoError::feature(label, &format!("properties.{key}"), "not a number")),
    }
}

fn country(label: &str, properties: Option<&Map<String, Value>>) -> Result<Country, GeoError> {
    let code = required(label, properties, "country")?;
    Country::parse(&code).map_err(|reason| GeoError::feature(label, "properties.country", reason))
}

/// A crossing's `<code>_place` properties: the place on each country's side.
fn places(
    label: &str,
    properties: Option<&Map<String, Value>>,
) -> Result<BTreeMap<Country, String>, GeoError> {
    let mut places = BTreeMap::new();
    for (key, value) in properties.into_iter().flatten() {
        let Some(country) = crate::crossings::place_country(key) else {
            continue;
        };
        let field = format!("properties.{key}");
        let country = country.map_err(|reason| GeoError::feature(label, &field, reason))?;
        let place = value
            .as_str()
            .ok_or_else(|| GeoError::feature(label, &field, "not a string"))?;
        places.insert(country, place.to_owned());
    }
    Ok(places)
}

fn required(
    label: &str,
    properties: Option<&Map<String, Value>>,
    key: &str,
) -> Result<String, GeoError> {
    text(properties, key).ok_or_else(|| {
        GeoError::feature(
            label,
            &format!("properties.{key}"),
            "missing or not a string",
        )
    })
}

fn text(properties: Option<&Map<String, Value>>, key: &str) -> Option<String> {
    properties?.get(key)?.as_str().map(str::to_owned)
}

fn area(label: &str, value: &GeometryValue) -> Result<MultiPolygon, GeoError> {
    whole_positions(label, value)?;
    let area = match geo::Geometry::<f64>::try_from(value) {
        Ok(geo::Geometry::MultiPolygon(area)) => area,
        Ok(geo::Geometry::Polygon(polygon)) => MultiPolygon::new(vec![polygon]),
        Ok(_) => {
            return Err(GeoError::feature(
                label,
                "geometry",
                "must be a Polygon or MultiPolygon",
            ));
        }
        Err(error) => return Err(GeoError::feature(label, "geometry", error.to_string())),
    };
    for coord in area.coords_iter() {
        checked(label, coord)?;
    }
    if area.0.iter().any(|polygon| polygon.exterior().0.len() < 4) {
        return Err(GeoError::feature(
            label,
            "geometry",
            "a ring has fewer than four positions",
        ));
    }
    Ok(area)
}

fn lines(label: &str, value: &GeometryValue) -> Result<Vec<geo::LineString>, GeoError> {
    whole_positions(label, value)?;
    let lines = match geo::Geometry::<f64>::try_from(value) {
        Ok(geo::Geometry::MultiLineString(lines)) => lines.0,
        Ok(geo::Geometry::LineString(line)) => vec![line],
        Ok(_) => {
            return Err(GeoError::feature(
                label,
                "geometry",
                "must be a LineString or MultiLineString",
            ));
        }
        Err(error) => return Err(GeoError::feature(label, "geometry", error.to_string())),
    };
    for line in &lines {
        if line.0.len() < 2 {
            return Err(GeoError::feature(
                label,
                "geometry",
                "a line has fewer than two positions",
            ));
        }
        for coord in &line.0 {
            checked(label, *coord)?;
        }
    }
    Ok(lines)
}

/// Refuses a position with fewer than two numbers: geojson 1.0's conversion to `geo` types
/// indexes `[0]` and `[1]` without looking, and panics on `[10.1]` (found by fuzzing).
fn whole_positions(label: &str, value: &GeometryValue) -> Result<(), GeoError> {
    use geojson::Position;
    fn short<'a>(mut positions: impl Iterator<Item = &'a Position>) -> bool {
        positions.any(|p| p.len() < 2)
    }
    let is_short =
        match value {
            GeometryValue::Point { coordinates } => coordinates.len() < 2,
            GeometryValue::MultiPoint { coordinates }
            | GeometryValue::LineString { coordinates } => short(coordinates.iter()),
            GeometryValue::MultiLineString { coordinates }
            | GeometryValue::Polygon { coordinates } => short(coordinates.iter().flatten()),
            GeometryValue::MultiPolygon { coordinates } => {
                short(coordinates.iter().flatten().flatten())
            }
            GeometryValue::GeometryCollection { geometries } => {
                for geometry in geometries {
                    whole_positions(label, &geometry.value)?;
                }
                false
            }
        };
    if is_short {
        return Err(GeoError::feature(
            label,
            "geometry.coordinates",
            "a position must have a longitude and a latitude",
        ));
    }
    Ok(())
}

fn checked(label: &str, coord: Coord) -> Result<Coord, GeoError> {
    crate::coordinates::check(coord.y, coord.x)
        .map_err(|error| GeoError::feature(label, "geometry.coordinates", error.to_string()))?;
    Ok(coord)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `fuzz/` (target `geojson`): a position of one number panicked in geojson's
    /// conversion; it is refused, naming the feature and field. (A Point of one number
    /// is refused by geojson's own reader.)
    #[test]
    fn a_position_of_one_number_is_refused_not_a_panic() {
        let features = [
            r#"{"kind":"country","country":"TH"},"geometry":{"type":"Polygon","coordinates":[[[100,14],[101,14],[10.1],[100,14]]]}"#,
            r#"{"kind":"border"},"geometry":{"type":"LineString","coordinates":[[100,14],[101]]}"#,
        ];
        for feature in features {
            let text = format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{feature}}}]}}"#
            );
            let Err(GeoError::InvalidFeature { field, reason, .. }) = parse(text.as_bytes()) else {
                panic!("{feature}: {:?}", parse(text.as_bytes()).err());
            };
            assert_eq!(field, "geometry.coordinates", "{feature}");
            assert!(reason.contains("longitude and a latitude"), "{reason}");
        }
    }
}
