//! Where reports lie, as the projector annotated them in the agreed geometry: the
//! `geography` of a report in API answers, and the list filters by country, province,
//! distance band from the border line, and cross-border fire.

use std::collections::HashMap;

use serde_json::{Value, json};
use truce_geo::Geometry;
use truce_store::projection::Arg;

use super::listing::Filter;
use crate::problem::Problem;

/// The geography columns a report query selects, after the report's own (a macro, so
/// that queries can `concat!` it).
macro_rules! geography_columns {
    () => {
        "country, admin1, admin1_code, border_distance_km, nearest_crossing, \
         crossing_distance_km, launch_country, launch_admin1_code, launch_border_distance_km, \
         impact_country, impact_admin1_code, impact_border_distance_km, cross_border"
    };
}
pub(crate) use geography_columns;

/// A report's `geography` from its row's geography columns (`row` starts at them); null on
/// a log whose genesis agrees no geometry.
pub(crate) fn item(row: &[Arg]) -> Value {
    if matches!(row[3], Arg::NullReal) {
        return Value::Null;
    }
    let point = |country: usize, code: usize, km: usize| {
        if matches!(row[km], Arg::NullReal) {
            return Value::Null;
        }
        json!({"country": row[country].to_json(), "admin1_code": row[code].to_json(),
            "border_distance_km": row[km].to_json()})
    };
    let crossing = match &row[4] {
        Arg::Text(id) => json!({"id": id, "distance_km": row[5].to_json()}),
        _ => Value::Null,
    };
    let cross_border = match row[12] {
        Arg::Int(n) => json!(n != 0),
        _ => Value::Null,
    };
    json!({
        "country": row[0].to_json(),
        "admin1": row[1].to_json(),
        "admin1_code": row[2].to_json(),
        "border_distance_km": row[3].to_json(),
        "nearest_crossing": crossing,
        "launch": point(6, 7, 8),
        "impact": point(9, 10, 11),
        "cross_border": cross_border,
    })
}

/// A country of the agreed geometry, by its ISO 3166-1 code (in capitals here).
fn country_code(code: &str, geometry: Option<&Geometry>) -> Result<&'static str, String> {
    let geometry = geometry.ok_or("this log agrees no geometry, so no report has a country")?;
    let countries = || geometry.countries().map(truce_geo::Country::code);
    truce_geo::Country::parse(code)
        .ok()
        .filter(|country| geometry.has_country(*country))
        .map(truce_geo::Country::code)
        .ok_or_else(|| {
            let known: Vec<&str> = countries().collect();
            format!(
                "must be a country of the agreed geometry ({}) or none (outside all of them)",
                known.join(", ")
            )
        })
}

/// Adds the geography filters in `query` to `filter`. `geometry` resolves a province's
/// name to its code; without one, asking for a province is an error naming it.
pub(crate) fn filter(
    query: &HashMap<String, String>,
    geometry: Option<&Geometry>,
    filter: &mut Filter,
) -> Result<(), Problem> {
    if let Some(country) = query.get("country") {
        let upper = country.to_ascii_uppercase();
        if upper == "NONE" {
            filter.push("country IS NULL AND border_distance_km IS NOT NULL", vec![]);
        } else {
            let code = country_code(&upper, geometry).map_err(|why| {
                Problem::bad_request("country", format!("country {country:?}: {why}"))
            })?;
            filter.push("country = $1", vec![Arg::Text(code.into())]);
        }
    }
    if let Some(province) = query.get("province") {
        let code = province_code(province, geometry)?;
        filter.push("admin1_code = $1", vec![Arg::Text(code)]);
    }
    for (name, op) in [("border_km_min", ">="), ("border_km_max", "<=")] {
        if let Some(value) = query.get(name) {
            let km = kilometres(name, value)?;
            filter.push(&format!("border_distance_km {op} $1"), vec![Arg::Real(km)]);
        }
    }
    if let Some(value) = query.get("cross_border") {
        let crossed = match value.as_str() {
            "true" => 1,
            "false" => 0,
            _ => {
                return Err(Problem::bad_request(
                    "cross_border",
                    format!("cross_border must be true or false, not {value:?}"),
                ));
            }
        };
        filter.push("cross_border = $1", vec![Arg::Int(crossed)]);
    }
    Ok(())
}

/// A province's ISO 3166-2 code from its code or English name (either case).
fn province_code(text: &str, geometry: Option<&Geometry>) -> Result<String, Problem> {
    let Some(geometry) = geometry else {
        return Err(Problem::bad_request(
            "province",
            "this log's genesis agrees no border geometry, so reports have no province",
        ));
    };
    let wanted = text.trim();
    geometry
        .provinces()
        .iter()
        .find(|p| p.iso_3166_2().eq_ignore_ascii_case(wanted) || p.name().eq_ignore_ascii_case(wanted))
        .map(|p| p.iso_3166_2().to_string())
        .ok_or_else(|| {
            Problem::bad_request(
                "province",
                format!(
                    "province must be a province's ISO 3166-2 code (e.g. AF-KAN) or English name \
                     in the agreed geometry; {wanted:?} is neither (GET /api/v1/geo/provinces lists them)"
                ),
            )
        })
}

fn kilometres(name: &str, value: &str) -> Result<f64, Problem> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|km| km.is_finite() && *km >= 0.0)
        .ok_or_else(|| {
            Problem::bad_request(
                name,
                format!("{name} must be a distance in kilometres, 0 or more (got {value:?})"),
            )
        })
}
