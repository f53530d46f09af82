//! What an operator expects: health, metrics, and a clean 404 (the home page is `web`).

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::problem::Problem;
use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, Problem> {
    let head = state.store.head().await?;
    Ok(Json(json!({
        "status": "ok",
        "log_size": head.size,
        "backend": state.store.backend(),
    })))
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

#[allow(clippy::unused_async)] // axum's fallback takes a handler, which is async
pub async fn not_found() -> Problem {
    Problem::not_found("no such resource; see / for what this node serves")
}
