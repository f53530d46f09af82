//! `GET /api/v1/geo/reports`: reports as GeoJSON (RFC 7946) points for a map, with the
//! report list's filters and cursor; a feature's properties are what a map shows and
//! filters on, and its `index` leads to the whole report.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use truce_core::mechanism::values::Point;
use truce_store::read::reports::{Order, ReportRow};

use super::PARAMETERS;
use crate::problem::Problem;
use crate::state::AppState;
use crate::v1::listing::{Page, cursor, known_parameters, page_limit};

/// `GET /api/v1/geo/reports`: newest first, up to `limit` features (by default as many as
/// a page may hold); `next` (a foreign member) is the cursor of the following page.
pub async fn reports(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match collection(&state, &query).await {
        Ok(body) => ([(header::CONTENT_TYPE, "application/geo+json")], body).into_response(),
        Err(problem) => problem.into_response(),
    }
}

async fn collection(state: &AppState, query: &HashMap<String, String>) -> Result<String, Problem> {
    known_parameters(query, PARAMETERS)?;
    let max = state.config.limits.page_items_max;
    let limit = match query.get("limit") {
        Some(_) => page_limit(query.get("limit"), max)?,
        None => max,
    };
    let filter = super::filter(state, query).await?;
    let order = Order::NewestBefore(cursor(query)?);
    let rows = state.store.reports(&filter, order, limit + 1).await?;
    let page = Page::of(rows, limit);
    let body = FeatureCollection {
        kind: "FeatureCollection",
        features: page.items.iter().map(feature).collect(),
        next: page.next,
    };
    serde_json::to_string(&body).map_err(|e| Problem::internal(&e))
}

#[derive(Serialize)]
struct FeatureCollection {
    #[serde(rename = "type")]
    kind: &'static str,
    features: Vec<Feature>,
    /// A foreign member: the cursor of the following page.
    next: Option<String>,
}

#[derive(Serialize)]
struct Feature {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u64,
    geometry: PointGeometry,
    properties: Properties,
}

#[derive(Serialize)]
struct PointGeometry {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Longitude, latitude: RFC 7946's order.
    coordinates: [f64; 2],
}

/// What a map shows and filters on; the geography's fields are on every feature, null
/// where the genesis agrees no geometry.
#[derive(Serialize)]
struct Properties {
    index: u64,
    delegation: String,
    status: String,
    title: String,
    event_type: String,
    sub_event_type: String,
    occurred_start: String,
    where_prec: u8,
    accused: Option<String>,
    killed: truce_core::mechanism::values::Range,
    launch: Option<[f64; 2]>,
    country: Option<String>,
    admin1: Option<String>,
    admin1_code: Option<String>,
    border_distance_km: Option<f64>,
    cross_border: Option<bool>,
}

/// One report as a Point feature at its reported location, with its launch point (if
/// any) as a property: RFC 7946 keeps one geometry per feature.
fn feature(row: &ReportRow) -> Feature {
    let report = &row.report;
    let at = |p: Point| [p.lon, p.lat];
    let geography = row.geography.as_ref();
    Feature {
        kind: "Feature",
        id: row.index,
        geometry: PointGeometry {
            kind: "Point",
            coordinates: at(report.location.point),
        },
        properties: Properties {
            index: row.index,
            delegation: row.delegation.clone(),
            status: row.status.clone(),
            title: report.title.clone(),
            event_type: report.event_type.clone(),
            sub_event_type: report.sub_event_type.clone(),
            occurred_start: report.occurred.start.as_str().to_string(),
            where_prec: report.location.precision,
            accused: report.accused.as_ref().map(|a| a.as_str().to_string()),
            killed: report.casualties.killed,
            launch: report.location.launch.map(at),
            country: geography.and_then(|g| g.country.clone()),
            admin1: geography.and_then(|g| g.admin1.clone()),
            admin1_code: geography.and_then(|g| g.admin1_code.clone()),
            border_distance_km: geography.map(|g| g.border_distance_km),
            cross_border: geography.and_then(|g| g.cross_border),
        },
    }
}
