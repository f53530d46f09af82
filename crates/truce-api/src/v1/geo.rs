//! `/api/v1/geo/...`: where a point lies (country, province, distance to the border line,
//! nearest crossing), and the agreed geometry itself as GeoJSON (RFC 7946).
//!
//! The geometry is the one whose SHA-256 the genesis names: the reference geometry built
//! into this binary, or one prepared with `truce geo import` into the data directory. A
//! node never computes with a geometry the parties did not agree to.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use truce_geo::{Geometry, Resolution};

use super::listing::known_parameters;
use crate::problem::Problem;
use crate::state::AppState;

/// `GET /api/v1/geo/locate?lat=..&lon=..`.
pub async fn locate(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Problem> {
    known_parameters(&query, &["lat", "lon"])?;
    let lat = coordinate(&query, "lat")?;
    let lon = coordinate(&query, "lon")?;
    let geometry = agreed_geometry(&state).await?;
    let location = geometry.locate(lat, lon).map_err(|e| match e.field() {
        Some(field) => Problem::bad_request(field, e.to_string()),
        None => Problem::internal(&e),
    })?;
    Ok(Json(
        serde_json::to_value(location).map_err(|e| Problem::internal(&e))?,
    ))
}

fn coordinate(query: &HashMap<String, String>, name: &str) -> Result<f64, Problem> {
    let text = query.get(name).ok_or_else(|| {
        Problem::bad_request(name, format!("{name} is required, in decimal degrees"))
    })?;
    text.trim().parse::<f64>().map_err(|_| {
        Problem::bad_request(name, format!("{name} must be a number of decimal degrees"))
    })
}

/// `GET /api/v1/geo/border`.
pub async fn border(state: State<AppState>, query: Query<HashMap<String, String>>) -> Response {
    geojson(state, query, Geometry::border_geojson).await
}

/// `GET /api/v1/geo/provinces`.
pub async fn provinces(state: State<AppState>, query: Query<HashMap<String, String>>) -> Response {
    geojson(state, query, Geometry::provinces_geojson).await
}

/// `GET /api/v1/geo/countries`.
pub async fn countries(state: State<AppState>, query: Query<HashMap<String, String>>) -> Response {
    geojson(state, query, Geometry::countries_geojson).await
}

/// `GET /api/v1/geo/crossings`: the gazetteer (points need no simplification).
pub async fn crossings(state: State<AppState>, query: Query<HashMap<String, String>>) -> Response {
    geojson(state, query, |geometry, _| geometry.crossings_geojson()).await
}

async fn geojson(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    render: impl Fn(&Geometry, Resolution) -> String,
) -> Response {
    let answer = async {
        known_parameters(&query, &["resolution"])?;
        let resolution = match query.get("resolution").map(String::as_str) {
            None | Some("display") => Resolution::Display,
            Some("full") => Resolution::Full,
            Some(_) => {
                return Err(Problem::bad_request(
                    "resolution",
                    "resolution must be display (simplified, the default) or full",
                ));
            }
        };
        let geometry = agreed_geometry(&state).await?;
        Ok(render(geometry, resolution))
    };
    match answer.await {
        Ok(body) => ([(header::CONTENT_TYPE, "application/geo+json")], body).into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// The geometry the genesis names: the one in force in the sequencer, or (on a node
/// that has not sequenced the genesis, or not yet) the one the stored genesis names.
/// `None` before a genesis, or when it agrees none; a problem when the node lacks it.
pub async fn agreed(state: &AppState) -> Result<Option<&'static Geometry>, Problem> {
    if let Some(agreed) = state.geometry.get() {
        return Ok(agreed.geometry());
    }
    let Some(genesis) = state.genesis().await? else {
        return Ok(None);
    };
    let geometry = state.geometry.clone();
    tokio::task::spawn_blocking(move || geometry.resolve(&genesis))
        .await
        .map_err(|e| Problem::internal(&e))?
        .map_err(Problem::unavailable)
}

/// As [`agreed`], with "none" a 404.
pub async fn agreed_geometry(state: &AppState) -> Result<&'static Geometry, Problem> {
    agreed(state).await?.ok_or_else(|| {
        Problem::not_found(
            "no border geometry is agreed in this log's genesis (or there is no genesis yet)",
        )
    })
}
