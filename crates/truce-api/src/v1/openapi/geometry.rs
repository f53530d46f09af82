//! The parts of the OpenAPI description that follow the geometry the genesis agrees: the
//! countries, provinces and flow directions a client may name, as enums.

use serde_json::{Value, json};
use truce_geo::Geometry;

/// Puts `geometry`'s countries, provinces and directions into `document`'s parameters and
/// geography schemas.
pub fn follow(document: &mut Value, geometry: &Geometry) {
    let codes: Vec<&str> = geometry.countries().map(truce_geo::Country::code).collect();
    let provinces = geometry.provinces().iter();
    let province_codes: Vec<&str> = provinces
        .clone()
        .map(truce_geo::Province::iso_3166_2)
        .collect();
    let mut country_filter: Vec<String> = codes.iter().map(ToString::to_string).collect();
    country_filter.extend(codes.iter().map(|c| c.to_ascii_lowercase()));
    country_filter.extend(["none".to_string(), "NONE".to_string()]);
    let directions: Vec<String> = codes
        .iter()
        .map(|c| format!("to_{}", c.to_ascii_lowercase()))
        .collect();
    let mut province_filter: Vec<&str> = province_codes.clone();
    province_filter.extend(provinces.map(truce_geo::Province::name));
    for parameter in parameters(document) {
        let values = match parameter["name"].as_str() {
            Some("country") => json!(country_filter),
            Some("direction") => json!(directions),
            Some("province") => json!(province_filter),
            _ => continue,
        };
        parameter["schema"]["enum"] = values;
    }
    let schemas = &mut document["components"]["schemas"];
    let with_null = |values: &[&str]| {
        let mut values = json!(values);
        values.as_array_mut().expect("an array").push(Value::Null);
        values
    };
    for schema in ["Location", "ReportGeography"] {
        schemas[schema]["properties"]["country"]["enum"] = with_null(&codes);
        schemas[schema]["properties"]["admin1_code"]["enum"] = with_null(&province_codes);
    }
    let place = &mut schemas["PointPlace"]["oneOf"][1]["properties"];
    place["country"]["enum"] = with_null(&codes);
}

/// Every parameter of every operation.
fn parameters(document: &mut Value) -> impl Iterator<Item = &mut Value> {
    let paths = document["paths"].as_object_mut().into_iter();
    let operations = paths.flat_map(|p| p.values_mut()).flat_map(|item| {
        item.as_object_mut()
            .into_iter()
            .flat_map(|methods| methods.values_mut())
    });
    operations.flat_map(|operation| {
        operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
    })
}
