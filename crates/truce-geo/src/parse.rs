//! Reading a geometry file: a GeoJSON `FeatureCollection` whose features carry a `kind`
//! property: two `country` features (AF and PK), one `border`, the `province`s and, optionally,
//! `crossing` points. See the crate README for the format.

use crate::crossings::{Crossing, PositionKind};
use crate::{Country, GeoError, Province};
use geo::{Coord, CoordsIter, MultiLineString, MultiPolygon};
use geojson::{Feature, FeatureCollection, GeometryValue};
use serde_json::{Map, Value};

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
        "crossing" => parts
            .crossings
            .push(crossing(label, properties, &geometry.value)?),
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

fn check_complete(parts: &Parts) -> Result<(), GeoError> {
    for country in Country::ALL {
        if !parts.countries.iter().any(|(seen, _)| *seen == country) {
            return Err(GeoError::Missing(format!(
                "the outline of {} (kind \"country\")",
                country.code()
            )));
        }
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
        area: area(label, value)?,
    })
}

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
    Ok(Crossing {
        id: required(label, properties, "id")?,
        name: required(label, properties, "name")?,
        name_ps: text(properties, "name_ps"),
        name_ur: text(properties, "name_ur"),
        name_fa: text(properties, "name_fa"),
        af_place: text(properties, "af_place").unwrap_or_default(),
        pk_place: text(properties, "pk_place").unwrap_or_default(),
        lat: point.y,
        lon: point.x,
        position: PositionKind::Cited,
        source: text(properties, "source").unwrap_or_default(),
        source_lat: None,
        source_lon: None,
    })
}

fn country(label: &str, properties: Option<&Map<String, Value>>) -> Result<Country, GeoError> {
    let code = required(label, properties, "country")?;
    Country::from_code(&code).ok_or_else(|| {
        GeoError::feature(
            label,
            "country",
            format!("must be \"AF\" or \"PK\", got {code:?}"),
        )
    })
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

fn checked(label: &str, coord: Coord) -> Result<Coord, GeoError> {
    crate::coordinates::check(coord.y, coord.x)
        .map_err(|error| GeoError::feature(label, "geometry.coordinates", error.to_string()))?;
    Ok(coord)
}
