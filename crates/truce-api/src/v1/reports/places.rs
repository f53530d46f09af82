//! Where reports lie, as the projector annotated them in the agreed geometry: the
//! list filters by country, province,
//! distance band from the border line, and cross-border fire.

use std::collections::HashMap;

use truce_geo::Geometry;
use truce_store::read::reports::{CountryFilter, ReportFilter};

use crate::problem::Problem;

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

/// Sets the geography filters in `query` on `filter`. `geometry` resolves a province's
/// name to its code; without one, asking for a province is an error naming it.
pub fn filter(
    query: &HashMap<String, String>,
    geometry: Option<&Geometry>,
    filter: &mut ReportFilter,
) -> Result<(), Problem> {
    if let Some(country) = query.get("country") {
        let upper = country.to_ascii_uppercase();
        filter.country = Some(if upper == "NONE" {
            CountryFilter::Outside
        } else {
            let code = country_code(&upper, geometry).map_err(|why| {
                Problem::bad_request("country", format!("country {country:?}: {why}"))
            })?;
            CountryFilter::In(code.into())
        });
    }
    if let Some(province) = query.get("province") {
        filter.province = Some(province_code(province, geometry)?);
    }
    let km = |name: &str| query.get(name).map(|v| kilometres(name, v)).transpose();
    filter.border_km_min = km("border_km_min")?;
    filter.border_km_max = km("border_km_max")?;
    if let Some(value) = query.get("cross_border") {
        filter.cross_border = Some(match value.as_str() {
            "true" => true,
            "false" => false,
            _ => {
                return Err(Problem::bad_request(
                    "cross_border",
                    format!("cross_border must be true or false, not {value:?}"),
                ));
            }
        });
    }
    Ok(())
}

/// A province's ISO 3166-2 code from its code or English name (either case).
pub(crate) fn province_code(text: &str, geometry: Option<&Geometry>) -> Result<String, Problem> {
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
