//! What an operator expects: a home page, health, metrics, and a clean 404.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::app::AppState;
use crate::problem::Problem;

pub async fn home(State(state): State<AppState>) -> Result<Html<String>, Problem> {
    let head = state.store.head().await?;
    Ok(Html(format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Truce</title>\
         <h1>Truce</h1><p>The record of this ceasefire mechanism holds {} entries.</p>\
         <ul><li><a href=/log/checkpoint>latest checkpoint</a></li>\
         <li><a href=/log/vkey>log verifier key</a></li>\
         <li><a href=/api/v1/keys>registered keys</a></li>\
         <li><a href=/api/v1/entries/0>the genesis (entry 0)</a></li>\
         <li><a href=/healthz>health</a> · <a href=/metrics>metrics</a></li></ul>\
         <p>Audit it yourself: <code>truce verify &lt;this address&gt;</code></p></html>",
        head.size
    )))
}

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

pub async fn not_found() -> Problem {
    Problem::not_found("no such resource; see / for what this node serves")
}
