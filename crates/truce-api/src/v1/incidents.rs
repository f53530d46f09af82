//! Incidents: the list, and one incident with its reports and the parties' accounts side
//! by side, each with its own figures, never merged.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use truce_store::read::incidents::{IncidentFilter, IncidentRow, IncidentView};

use super::entries::parse_index;
use super::listing::{Page, cursor, known_parameters, page_limit};
use crate::problem::Problem;
use crate::state::AppState;

pub const PARAMETERS: &[&str] = &["cursor", "limit", "party", "status"];

/// `GET /api/v1/incidents`: newest first.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Page<IncidentRow>>, Problem> {
    Ok(Json(page(&state, &query).await?))
}

/// The page of incidents `query` asks for.
pub async fn page(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<Page<IncidentRow>, Problem> {
    known_parameters(query, PARAMETERS)?;
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    let filter = IncidentFilter {
        party: query.get("party").cloned(),
        status: query.get("status").cloned(),
    };
    let rows = state
        .store
        .incidents(&filter, cursor(query)?, limit + 1)
        .await?;
    Ok(Page::of(rows, limit))
}

/// `GET /api/v1/incidents/{index}`: the incident, its reports, and every party's account.
pub async fn get(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<IncidentView>, Problem> {
    let index = parse_index("index", &index)?;
    Ok(Json(incident(&state, index).await?))
}

/// Incident `index` as the record tells it now, or 404.
pub async fn incident(state: &AppState, index: u64) -> Result<IncidentView, Problem> {
    state
        .store
        .incident(index, state.clock.now())
        .await?
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not an incident")))
}
