//! What every list endpoint shares: strict parameters, page sizes, and newest-first pages
//! with a cursor (the index of the last item seen).

use std::collections::HashMap;

use serde::Serialize;
use truce_store::read::FromRow;

use super::entries::parse_index;
use crate::problem::Problem;

/// A page of a list, newest first, and the cursor of the next page (the index of its
/// last item, as text), if there is one.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T: FromRow> Page<T> {
    /// The page of `limit` items from `items`, read with one more than the page holds so
    /// that the extra one says whether there is a next page.
    #[must_use]
    pub fn of(mut items: Vec<T>, limit: usize) -> Self {
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|last| last.index().to_string())
        } else {
            None
        };
        Page { items, next }
    }
}

/// `cursor`, if given: the index of the last item seen.
pub fn cursor(query: &HashMap<String, String>) -> Result<Option<u64>, Problem> {
    query
        .get("cursor")
        .map(|cursor| parse_index("cursor", cursor))
        .transpose()
}

/// Items in a page when the request does not say.
pub const PAGE_ITEMS_DEFAULT: usize = 50;

/// Refuses a parameter the list does not know, naming it.
pub fn known_parameters(query: &HashMap<String, String>, known: &[&str]) -> Result<(), Problem> {
    match query.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(Problem::bad_request(
            unknown,
            format!(
                "{unknown} is not a parameter of this list ({})",
                known.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

pub fn page_limit(value: Option<&String>, max: usize) -> Result<usize, Problem> {
    let Some(value) = value else {
        return Ok(PAGE_ITEMS_DEFAULT.min(max));
    };
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| {
            Problem::bad_request("limit", format!("limit must be 1 to {max} (got {value:?})"))
        })
}

/// `bbox=min_lon,min_lat,max_lon,max_lat` (the GeoJSON order).
pub fn parse_bbox(text: &str) -> Result<[f64; 4], Problem> {
    let bad = |why: &str| {
        Problem::bad_request(
            "bbox",
            format!("bbox must be min_lon,min_lat,max_lon,max_lat: {why} (got {text:?})"),
        )
    };
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| decimal(n).ok_or_else(|| bad("four decimal numbers")))
        .collect::<Result<_, _>>()?;
    let [min_lon, min_lat, max_lon, max_lat] = numbers[..] else {
        return Err(bad("four decimal numbers"));
    };
    if !(-180.0..=180.0).contains(&min_lon)
        || !(-180.0..=180.0).contains(&max_lon)
        || !(-90.0..=90.0).contains(&min_lat)
        || !(-90.0..=90.0).contains(&max_lat)
    {
        return Err(bad("coordinates off the globe"));
    }
    if min_lon > max_lon || min_lat > max_lat {
        // Well-formed, as the description says, but not a box: refused as unprocessable.
        return Err(Problem::unprocessable(
            "bbox",
            format!(
                "bbox must be min_lon,min_lat,max_lon,max_lat: minimum above maximum (got {text:?})"
            ),
        ));
    }
    Ok([min_lon, min_lat, max_lon, max_lat])
}

/// A decimal number as the description's `bbox` pattern has it: an optional `-`, an
/// integer part without leading zeros, and optional decimals (no exponent, sign or
/// spaces), so that the server takes exactly what the description allows.
fn decimal(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole_ok = digits(whole) && (whole == "0" || !whole.starts_with('0'));
    if !whole_ok || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bbox_takes_plain_decimals_on_the_globe_only() {
        assert_eq!(
            parse_bbox("-0.5,30,71.25,37").ok(),
            Some([-0.5, 30.0, 71.25, 37.0])
        );
        for bad in [
            "1e1,0,2,3",
            "01,0,2,3",
            "+1,0,2,3",
            " 1,0,2,3",
            "1.,0,2,3",
            "inf,0,2,3",
        ] {
            assert_eq!(parse_bbox(bad).unwrap_err().status, 400, "{bad}");
        }
        assert_eq!(parse_bbox("180.5,0,180.5,1").unwrap_err().status, 400);
        assert_eq!(parse_bbox("2,0,1,1").unwrap_err().status, 422);
    }
}
