//! Reports (allegations): listing with filters and cursor pagination, and one by index.

pub(crate) mod map;
pub(crate) mod places;

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use truce_core::Timestamp;
use truce_store::read::reports::{Order, ReportFilter, ReportRow};

use super::entries::parse_index;
use super::listing::{Page, cursor, known_parameters, page_limit, parse_bbox};
use crate::problem::Problem;
use crate::state::AppState;

/// The page (`cursor`, `limit`) and then the filters, which the exports share.
pub const PARAMETERS: &[&str] = &[
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
pub const FILTERS: &[&str] = PARAMETERS.split_at(2).1;

/// `GET /api/v1/reports`: newest first, `limit` at a time; `next` is the cursor of the
/// following page.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Page<ReportRow>>, Problem> {
    Ok(Json(page(&state, &query).await?))
}

/// The page of reports `query` asks for.
pub async fn page(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<Page<ReportRow>, Problem> {
    known_parameters(query, PARAMETERS)?;
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    let filter = filter(state, query).await?;
    let order = Order::NewestBefore(cursor(query)?);
    let rows = state.store.reports(&filter, order, limit + 1).await?;
    Ok(Page::of(rows, limit))
}

/// `GET /api/v1/reports/{index}`.
pub async fn get(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<ReportRow>, Problem> {
    let index = parse_index("index", &index)?;
    state
        .store
        .row(index)
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not a report")))
}

/// The list's filters, those of where reports lie included.
pub async fn filter(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<ReportFilter, Problem> {
    let mut filter = report_filter(query)?;
    let geometry = if query.contains_key("province") || query.contains_key("country") {
        super::geo::agreed(state).await?
    } else {
        None
    };
    places::filter(query, geometry, &mut filter)?;
    Ok(filter)
}

fn report_filter(query: &HashMap<String, String>) -> Result<ReportFilter, Problem> {
    let time = |name: &str| {
        query
            .get(name)
            .map(|value| {
                Timestamp::parse(value.clone())
                    .map(|time| time.unix_seconds())
                    .map_err(|e| Problem::bad_request(name, format!("{name} {e}")))
            })
            .transpose()
    };
    if let Some(dataset) = query.get("dataset") {
        truce_core::mechanism::report::validate_dataset(dataset)
            .map_err(|reason| Problem::bad_request("dataset", format!("dataset: {reason}")))?;
    }
    Ok(ReportFilter {
        from: time("from")?,
        to: time("to")?,
        bbox: query.get("bbox").map(|bbox| parse_bbox(bbox)).transpose()?,
        kind: query.get("kind").cloned(),
        party: query.get("party").cloned(),
        provision: query.get("provision").cloned(),
        status: query.get("status").cloned(),
        dataset: query.get("dataset").cloned(),
        ..ReportFilter::default()
    })
}
