//! What every list endpoint shares: strict parameters, page sizes, newest-first cursors
//! (a cursor is the index of the last item seen), and a WHERE clause built with `$N`
//! arguments.

use std::collections::HashMap;

use truce_store::projection::Arg;

use super::entries::parse_index;
use crate::problem::Problem;

/// One page of `select` (`SELECT ... FROM ...`) under `filter`, newest first: `limit`
/// items made by `item` from rows of `columns`, and the cursor of the next page.
pub(crate) async fn newest_first(
    state: &crate::app::AppState,
    select: &str,
    columns: &[truce_store::projection::Column],
    filter: &Filter,
    limit: usize,
    item: impl Fn(&[Arg]) -> serde_json::Value,
) -> Result<serde_json::Value, Problem> {
    let sql = format!(
        "{select}{} ORDER BY idx DESC LIMIT {}",
        filter.where_clause(),
        limit + 1
    );
    let mut items = vec![];
    state
        .store
        .for_each_row(sql, &filter.args, columns, |row| items.push(item(&row)))
        .await?;
    Ok(page(items, limit))
}

/// Items in a page when the request does not say.
pub(crate) const PAGE_ITEMS_DEFAULT: usize = 50;

/// Refuses a parameter the list does not know, naming it.
pub(crate) fn known_parameters(
    query: &HashMap<String, String>,
    known: &[&str],
) -> Result<(), Problem> {
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

/// The page's items (one more was fetched than asked for, if there is a next page) and
/// the cursor of the next page.
pub(crate) fn page(mut items: Vec<serde_json::Value>, limit: usize) -> serde_json::Value {
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|last| last["index"].to_string())
    } else {
        None
    };
    serde_json::json!({"items": items, "next": next})
}

pub(crate) fn page_limit(value: Option<&String>, max: usize) -> Result<usize, Problem> {
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

/// The WHERE clause a list query builds, with its `$N` arguments.
#[derive(Default, Clone)]
pub(crate) struct Filter {
    conditions: Vec<String>,
    pub(crate) args: Vec<Arg>,
}

impl Filter {
    pub(crate) fn push(&mut self, condition: &str, args: Vec<Arg>) {
        // Conditions are written with $1, $2...; renumber them after earlier arguments,
        // reading each placeholder's whole number (so `$1` never matches inside `$12`).
        let base = self.args.len();
        let mut renumbered = String::with_capacity(condition.len() + 8);
        let mut rest = condition;
        while let Some(at) = rest.find('$') {
            renumbered.push_str(&rest[..at]);
            let digits = rest[at + 1..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            match rest[at + 1..at + 1 + digits].parse::<usize>() {
                Ok(n) => {
                    renumbered.push('$');
                    renumbered.push_str(&(base + n).to_string());
                }
                Err(_) => renumbered.push('$'),
            }
            rest = &rest[at + 1 + digits..];
        }
        renumbered.push_str(rest);
        self.conditions.push(renumbered);
        self.args.extend(args);
    }

    pub(crate) fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            return String::new();
        }
        format!(" WHERE {}", self.conditions.join(" AND "))
    }

    /// `cursor`: items older than it (indexes below it), newest first.
    pub(crate) fn cursor(&mut self, query: &HashMap<String, String>) -> Result<(), Problem> {
        if let Some(cursor) = query.get("cursor") {
            let cursor = parse_index("cursor", cursor)?;
            self.push(
                "idx < $1",
                vec![Arg::Int(i64::try_from(cursor).unwrap_or(i64::MAX))],
            );
        }
        Ok(())
    }
}

/// `bbox=min_lon,min_lat,max_lon,max_lat` (the GeoJSON order).
pub(crate) fn parse_bbox(text: &str) -> Result<[f64; 4], Problem> {
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

    #[test]
    fn placeholders_are_renumbered_whole() {
        let mut filter = Filter::default();
        let nine: Vec<Arg> = (0..9).map(Arg::Int).collect();
        filter.push("a IN ($1, $2, $3, $4, $5, $6, $7, $8, $9)", nine);
        filter.push("b = $1 AND c = $2", vec![Arg::Int(10), Arg::Int(11)]);
        assert_eq!(
            filter.where_clause(),
            " WHERE a IN ($1, $2, $3, $4, $5, $6, $7, $8, $9) AND b = $10 AND c = $11"
        );
    }
}
