//! GeoJSON (RFC 7946) `FeatureCollection`s of the border, provinces, countries and crossings, at
//! full resolution for computation or simplified for display on slow links.

use crate::{Crossing, Geometry, Province};
use geo::{Coord, LineString, MapCoords, MultiLineString, MultiPolygon, Polygon, Simplify};
use geojson::{Feature, FeatureCollection, GeometryValue};
use serde_json::{Map, Value, json};

/// Which geometry to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Every vertex, coordinates to 5 decimals (about 1 m).
    Full,
    /// Simplified (Ramer–Douglas–Peucker, `DISPLAY_TOLERANCE_DEGREES`), 4 decimals (about
    /// 10 m): border, provinces and countries together stay near 150 KB.
    Display,
}

/// About 1.1 km: below what a country-scale map on a phone shows.
pub const DISPLAY_TOLERANCE_DEGREES: f64 = 0.01;

impl Resolution {
    fn decimals_scale(self) -> f64 {
        match self {
            Self::Full => 1e5,
            Self::Display => 1e4,
        }
    }
}

impl Geometry {
    /// The border line as one `MultiLineString` feature.
    #[must_use]
    pub fn border_geojson(&self, resolution: Resolution) -> String {
        let lines = simplify_lines(self.border(), resolution);
        let properties = json!({"kind": "border", "name": "Durand Line (de facto border)"});
        collection(vec![feature(GeometryValue::from(&lines), properties)])
    }

    /// The provinces with their codes and names.
    #[must_use]
    pub fn provinces_geojson(&self, resolution: Resolution) -> String {
        collection(
            self.provinces()
                .iter()
                .filter_map(|province| province_feature(province, resolution))
                .collect(),
        )
    }

    /// The country outlines.
    #[must_use]
    pub fn countries_geojson(&self, resolution: Resolution) -> String {
        let features = self.countries().filter_map(|country| {
            let area = simplify_area(self.outline(country)?, resolution)?;
            Some(feature(
                GeometryValue::from(&area),
                json!({"kind": "country", "country": country.code()}),
            ))
        });
        collection(features.collect())
    }

    /// The crossings as points, with every gazetteer field as a property.
    #[must_use]
    pub fn crossings_geojson(&self) -> String {
        collection(self.crossings().iter().map(crossing_feature).collect())
    }

    /// The border line at `resolution`, as lines of (lon, lat) points: for drawing it
    /// (the web dashboard's map), simplified as the GeoJSON export is.
    #[must_use]
    pub fn border_lines(&self, resolution: Resolution) -> Vec<Vec<(f64, f64)>> {
        let lines = simplify_lines(self.border(), resolution);
        lines.0.iter().map(points).collect()
    }

    /// A country's outline at `resolution`, as rings (exteriors and holes) of (lon, lat);
    /// none for a country not in the geometry.
    #[must_use]
    pub fn outline_rings(
        &self,
        country: crate::Country,
        resolution: Resolution,
    ) -> Vec<Vec<(f64, f64)>> {
        let outline = self.outline(country);
        rings(
            outline
                .and_then(|outline| simplify_area(outline, resolution))
                .as_ref(),
        )
    }

    /// A province's area at `resolution`, as rings (exteriors and holes) of (lon, lat).
    #[must_use]
    pub fn province_rings(province: &Province, resolution: Resolution) -> Vec<Vec<(f64, f64)>> {
        rings(simplify_area(province.area(), resolution).as_ref())
    }
}

fn points(line: &LineString) -> Vec<(f64, f64)> {
    line.0.iter().map(|c| (c.x, c.y)).collect()
}

fn rings(area: Option<&MultiPolygon>) -> Vec<Vec<(f64, f64)>> {
    area.iter()
        .flat_map(|area| &area.0)
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
        .map(points)
        .collect()
}

fn province_feature(province: &Province, resolution: Resolution) -> Option<Feature> {
    let area = simplify_area(province.area(), resolution)?;
    let properties = json!({
        "kind": "province",
        "iso_3166_2": province.iso_3166_2(),
        "country": province.country().code(),
        "name": province.name(),
        "name_ps": province.name_ps(),
        "name_fa": province.name_fa(),
        "name_ur": province.name_ur(),
        "name_ar": province.name_ar(),
        "name_tr": province.name_tr(),
    });
    Some(feature(GeometryValue::from(&area), properties))
}

fn crossing_feature(crossing: &Crossing) -> Feature {
    let mut properties = serde_json::to_value(crossing).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut properties {
        map.remove("lat");
        map.remove("lon");
        map.insert("kind".into(), "crossing".into());
    }
    let point = geo::Point::new(round(crossing.lon, 1e5), round(crossing.lat, 1e5));
    feature(GeometryValue::from(&point), properties)
}

fn feature(value: GeometryValue, properties: Value) -> Feature {
    let properties: Option<Map<String, Value>> = match properties {
        Value::Object(map) => Some(map),
        _ => None,
    };
    Feature {
        bbox: None,
        geometry: Some(value.into()),
        id: None,
        properties,
        foreign_members: None,
    }
}

fn collection(features: Vec<Feature>) -> String {
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    }
    .to_string()
}

fn simplify_lines(lines: &MultiLineString, resolution: Resolution) -> MultiLineString {
    let simplified = match resolution {
        Resolution::Full => lines.clone(),
        Resolution::Display => lines.simplify(DISPLAY_TOLERANCE_DEGREES),
    };
    rounded(&simplified, resolution.decimals_scale())
}

/// `None` when simplification leaves nothing of the area (a tiny island, say).
fn simplify_area(area: &MultiPolygon, resolution: Resolution) -> Option<MultiPolygon> {
    let simplified = match resolution {
        Resolution::Full => area.clone(),
        Resolution::Display => area.simplify(DISPLAY_TOLERANCE_DEGREES),
    };
    let rounded = rounded(&simplified, resolution.decimals_scale());
    let kept: Vec<Polygon> = rounded
        .into_iter()
        .filter_map(without_degenerate_rings)
        .collect();
    (!kept.is_empty()).then(|| MultiPolygon::new(kept))
}

/// Drops rings that simplification reduced below a triangle.
fn without_degenerate_rings(polygon: Polygon) -> Option<Polygon> {
    let (exterior, interiors) = polygon.into_inner();
    let is_ring = |ring: &LineString| ring.0.len() >= 4;
    is_ring(&exterior)
        .then(|| Polygon::new(exterior, interiors.into_iter().filter(is_ring).collect()))
}

fn rounded<G: MapCoords<f64, f64, Output = G>>(geometry: &G, scale: f64) -> G {
    geometry.map_coords(|c: Coord| Coord {
        x: round(c.x, scale),
        y: round(c.y, scale),
    })
}

fn round(value: f64, scale: f64) -> f64 {
    (value * scale).round() / scale
}
