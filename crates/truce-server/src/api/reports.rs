//! Reports (allegations): listing with filters and cursor pagination, and one by index.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use truce_core::Timestamp;
use truce_store::projection::{Arg, Column};

use super::entries::parse_index;
use crate::app::AppState;
use crate::problem::Problem;

/// Items in a page when the request does not say.
const PAGE_ITEMS_DEFAULT: usize = 50;

const SELECT: &str = "SELECT idx, author, delegation, signed_at, status, payload FROM reports";
const COLUMNS: &[Column] = &[
    Column::Int,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
];
const PARAMETERS: &[&str] = &[
    "cursor",
    "limit",
    "from",
    "to",
    "bbox",
    "kind",
    "party",
    "provision",
    "status",
];

/// `GET /api/v1/reports`: newest first, `limit` at a time; `next` is the cursor of the
/// following page.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Problem> {
    if let Some(unknown) = query.keys().find(|k| !PARAMETERS.contains(&k.as_str())) {
        return Err(Problem::bad_request(
            unknown,
            format!(
                "{unknown} is not a filter of this list ({})",
                PARAMETERS.join(", ")
            ),
        ));
    }
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    let mut filter = Filter::default();
    filter.add(&query)?;
    let sql = format!(
        "{SELECT}{} ORDER BY idx DESC LIMIT {}",
        filter.where_clause(),
        limit + 1
    );
    let mut items = vec![];
    state
        .store
        .for_each_row(sql, &filter.args, COLUMNS, |row| items.push(item(&row)))
        .await?;
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|last| last["index"].to_string())
    } else {
        None
    };
    Ok(Json(json!({"items": items, "next": next})))
}

/// `GET /api/v1/reports/{index}`.
pub async fn get(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<Value>, Problem> {
    let index = parse_index("index", &index)?;
    let sql = format!("{SELECT} WHERE idx = $1");
    let args = [Arg::Int(i64::try_from(index).unwrap_or(i64::MAX))];
    let mut found = None;
    state
        .store
        .for_each_row(sql, &args, COLUMNS, |row| found = Some(item(&row)))
        .await?;
    found
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not a report")))
}

fn item(row: &[Arg]) -> Value {
    let text = |i: usize| match &row[i] {
        Arg::Text(t) => t.clone(),
        _ => String::new(),
    };
    let report: Value = serde_json::from_str(&text(5)).unwrap_or(Value::Null);
    json!({
        "index": row[0].to_json(),
        "author": text(1),
        "delegation": text(2),
        "signed_at": text(3),
        "status": text(4),
        "report": report,
    })
}

fn page_limit(value: Option<&String>, max: usize) -> Result<usize, Problem> {
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
#[derive(Default)]
struct Filter {
    conditions: Vec<String>,
    args: Vec<Arg>,
}

impl Filter {
    fn push(&mut self, condition: &str, args: Vec<Arg>) {
        // Conditions are written with $1, $2...; renumber them after earlier arguments.
        let base = self.args.len();
        let mut condition = condition.to_string();
        for i in (1..=args.len()).rev() {
            condition = condition.replace(&format!("${i}"), &format!("${}", base + i));
        }
        self.conditions.push(condition);
        self.args.extend(args);
    }

    fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            return String::new();
        }
        format!(" WHERE {}", self.conditions.join(" AND "))
    }

    fn add(&mut self, query: &HashMap<String, String>) -> Result<(), Problem> {
        if let Some(cursor) = query.get("cursor") {
            let cursor = parse_index("cursor", cursor)?;
            self.push(
                "idx < $1",
                vec![Arg::Int(i64::try_from(cursor).unwrap_or(i64::MAX))],
            );
        }
        for (name, op) in [("from", ">="), ("to", "<=")] {
            if let Some(value) = query.get(name) {
                let time = Timestamp::parse(value.clone())
                    .map_err(|e| Problem::bad_request(name, format!("{name} {e}")))?;
                self.push(
                    &format!("occurred_start_unix {op} $1"),
                    vec![Arg::Int(time.unix_seconds())],
                );
            }
        }
        if let Some(bbox) = query.get("bbox") {
            let [min_lon, min_lat, max_lon, max_lat] = parse_bbox(bbox)?;
            let args = [min_lon, max_lon, min_lat, max_lat].map(Arg::Real).to_vec();
            self.push("lon >= $1 AND lon <= $2 AND lat >= $3 AND lat <= $4", args);
        }
        if let Some(kind) = query.get("kind") {
            self.push("event_type = $1", vec![Arg::Text(kind.clone())]);
        }
        if let Some(party) = query.get("party") {
            self.push(
                "(accused = $1 OR delegation = $1)",
                vec![Arg::Text(party.clone())],
            );
        }
        if let Some(provision) = query.get("provision") {
            let exists = "EXISTS (SELECT 1 FROM report_provisions p WHERE p.report_idx = reports.idx AND p.provision = $1)";
            self.push(exists, vec![Arg::Text(provision.clone())]);
        }
        if let Some(status) = query.get("status") {
            self.push("status = $1", vec![Arg::Text(status.clone())]);
        }
        Ok(())
    }
}

/// `bbox=min_lon,min_lat,max_lon,max_lat` (the GeoJSON order).
fn parse_bbox(text: &str) -> Result<[f64; 4], Problem> {
    let bad = |why: &str| {
        Problem::bad_request(
            "bbox",
            format!("bbox must be min_lon,min_lat,max_lon,max_lat: {why} (got {text:?})"),
        )
    };
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| n.trim().parse::<f64>().map_err(|_| bad("four numbers")))
        .collect::<Result<_, _>>()?;
    let [min_lon, min_lat, max_lon, max_lat] = numbers[..] else {
        return Err(bad("four numbers"));
    };
    if !numbers.iter().all(|n| n.is_finite()) {
        return Err(bad("finite numbers"));
    }
    if !(-180.0..=180.0).contains(&min_lon)
        || !(-180.0..=180.0).contains(&max_lon)
        || !(-90.0..=90.0).contains(&min_lat)
        || !(-90.0..=90.0).contains(&max_lat)
    {
        return Err(bad("coordinates off the globe"));
    }
    if min_lon > max_lon || min_lat > max_lat {
        return Err(bad("minimum above maximum"));
    }
    Ok([min_lon, min_lat, max_lon, max_lat])
}
