//! `GET /api/v1/geo/reports`: reports as GeoJSON (RFC 7946) points for a map, with the
//! report list's filters and cursor; a feature's properties are what a map shows and
//! filters on, and its `index` leads to the whole report.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use truce_store::projection::Arg;

use super::listing::{known_parameters, newest_first, page_limit};
use super::reports::{COLUMNS, PARAMETERS, SELECT};
use crate::app::AppState;
use crate::problem::Problem;

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
    let filter = super::reports::filter(state, query).await?;
    let page = newest_first(state, SELECT, COLUMNS, &filter, limit, feature).await?;
    let body =
        json!({"type": "FeatureCollection", "features": page["items"], "next": page["next"]});
    Ok(body.to_string())
}

/// One report as a Point feature at its reported location, with its launch point (if
/// any) as a property: RFC 7946 keeps one geometry per feature.
fn feature(row: &[Arg]) -> Value {
    let report: Value = serde_json::from_str(row[5].text()).unwrap_or(Value::Null);
    let point = &report["location"]["point"];
    let killed = &report["casualties"]["killed"];
    let coordinates = |p: &Value| match (p["lon"].as_f64(), p["lat"].as_f64()) {
        (Some(lon), Some(lat)) => json!([lon, lat]),
        _ => Value::Null,
    };
    // Every stored report has a point (the log refused any without); were one unreadable,
    // RFC 7946 wants a null geometry, not a Point without coordinates.
    let geometry = match coordinates(point) {
        Value::Null => Value::Null,
        at => json!({"type": "Point", "coordinates": at}),
    };
    let mut properties = json!({
        "index": row[0].to_json(),
        "delegation": row[2].text(),
        "status": row[4].text(),
        "title": report["title"],
        "event_type": report["event_type"],
        "sub_event_type": report["sub_event_type"],
        "occurred_start": report["occurred"]["start"],
        "where_prec": report["location"]["precision"],
        "accused": report["accused"],
        "killed": killed,
        "launch": coordinates(&report["location"]["launch"]),
    });
    // The same properties on every feature: null where the genesis agrees no geometry.
    let geography = super::report_places::item(&row[6..]);
    if let Some(props) = properties.as_object_mut() {
        for key in [
            "country",
            "admin1",
            "admin1_code",
            "border_distance_km",
            "cross_border",
        ] {
            props.insert(key.into(), geography[key].clone());
        }
    }
    json!({"type": "Feature", "id": row[0].to_json(), "geometry": geometry,
        "properties": properties})
}
