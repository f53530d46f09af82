//! Reports (allegations): listing with filters and cursor pagination, and one by index.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use truce_core::Timestamp;
use truce_store::projection::{Arg, Column};

use super::entries::parse_index;
use super::listing::{Filter, known_parameters, newest_first, page_limit, parse_bbox};
use crate::app::AppState;
use crate::problem::Problem;

pub(crate) const SELECT: &str = concat!(
    "SELECT idx, author, delegation, signed_at, status, payload, ",
    super::report_places::geography_columns!(),
    " FROM reports"
);
/// The report's own columns, then `report_places::COLUMNS`.
pub(crate) const COLUMNS: &[Column] = &[
    Column::Int,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    // report_places::COLUMNS
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Real,
    Column::Text,
    Column::Real,
    Column::Text,
    Column::Text,
    Column::Real,
    Column::Text,
    Column::Text,
    Column::Real,
    Column::Int,
];
/// The page (`cursor`, `limit`) and then the filters, which the exports share.
pub(crate) const PARAMETERS: &[&str] = &[
    "cursor",
    "limit",
    "from",
    "to",
    "bbox",
    "kind",
    "party",
    "provision",
    "status",
    "country",
    "province",
    "border_km_min",
    "border_km_max",
    "cross_border",
    "dataset",
];
/// The report list's filters, without its page.
pub(crate) const FILTERS: &[&str] = PARAMETERS.split_at(2).1;

/// `GET /api/v1/reports`: newest first, `limit` at a time; `next` is the cursor of the
/// following page.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Problem> {
    known_parameters(&query, PARAMETERS)?;
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    let filter = filter(&state, &query).await?;
    let page = newest_first(&state, SELECT, COLUMNS, &filter, limit, item).await?;
    Ok(Json(page))
}

/// `GET /api/v1/reports/{index}`.
pub async fn get(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<Value>, Problem> {
    let index = parse_index("index", &index)?;
    let sql = format!("{SELECT} WHERE idx = $1");
    let args = [super::rows::index_arg(index)];
    let mut found = None;
    state
        .store
        .for_each_row(sql, &args, COLUMNS, |row| found = Some(item(&row)))
        .await?;
    found
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not a report")))
}

pub(crate) fn item(row: &[Arg]) -> Value {
    let text = |i: usize| row[i].text();
    let report: Value = serde_json::from_str(text(5)).unwrap_or(Value::Null);
    json!({
        "index": row[0].to_json(),
        "author": text(1),
        "delegation": text(2),
        "signed_at": text(3),
        "status": text(4),
        "report": report,
        "geography": super::report_places::item(&row[6..]),
    })
}

/// The list's filters, those of where reports lie included.
pub(crate) async fn filter(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<Filter, Problem> {
    let mut filter = report_filter(query)?;
    let geometry = if query.contains_key("province") || query.contains_key("country") {
        super::geo::agreed(state).await?
    } else {
        None
    };
    super::report_places::filter(query, geometry, &mut filter)?;
    Ok(filter)
}

fn report_filter(query: &HashMap<String, String>) -> Result<Filter, Problem> {
    let mut filter = Filter::default();
    filter.cursor(query)?;
    for (name, op) in [("from", ">="), ("to", "<=")] {
        if let Some(value) = query.get(name) {
            let time = Timestamp::parse(value.clone())
                .map_err(|e| Problem::bad_request(name, format!("{name} {e}")))?;
            filter.push(
                &format!("occurred_start_unix {op} $1"),
                vec![Arg::Int(time.unix_seconds())],
            );
        }
    }
    if let Some(bbox) = query.get("bbox") {
        let [min_lon, min_lat, max_lon, max_lat] = parse_bbox(bbox)?;
        let args = [min_lon, max_lon, min_lat, max_lat].map(Arg::Real).to_vec();
        filter.push("lon >= $1 AND lon <= $2 AND lat >= $3 AND lat <= $4", args);
    }
    if let Some(kind) = query.get("kind") {
        filter.push("event_type = $1", vec![Arg::Text(kind.clone())]);
    }
    if let Some(party) = query.get("party") {
        filter.push(
            "(accused = $1 OR delegation = $1)",
            vec![Arg::Text(party.clone())],
        );
    }
    if let Some(provision) = query.get("provision") {
        let exists = "EXISTS (SELECT 1 FROM report_provisions p WHERE p.report_idx = reports.idx AND p.provision = $1)";
        filter.push(exists, vec![Arg::Text(provision.clone())]);
    }
    if let Some(status) = query.get("status") {
        filter.push("status = $1", vec![Arg::Text(status.clone())]);
    }
    if let Some(dataset) = query.get("dataset") {
        truce_core::mechanism::report::validate_dataset(dataset)
            .map_err(|reason| Problem::bad_request("dataset", format!("dataset: {reason}")))?;
        filter.push("provenance_dataset = $1", vec![Arg::Text(dataset.clone())]);
    }
    Ok(filter)
}
