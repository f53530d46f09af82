//! `/api/v1/webhooks`: alerts for the mechanism's staff (commissioners and monitors).
//!
//! - `POST` `{url, kinds, filter?, description?}` subscribes; the answer carries the
//!   signing secret, shown this once.
//! - `GET` lists the node's webhooks; `GET /{id}` shows one with its delivery counts;
//!   `GET /{id}/deliveries?status=` what was sent, each attempt's outcome.
//! - `DELETE /{id}` unsubscribes (the one who subscribed, or a commissioner).

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::session::{object, required};
use crate::accounts::Caller;
use crate::problem::Problem;
use crate::state::AppState;
use crate::webhooks::{self, Webhook, delivery};

/// The most deliveries one answer lists.
const DELIVERIES_MAX: usize = 500;

/// The caller, who must be a commissioner or a monitor ([`webhooks::check_staff`]).
async fn staff(state: &AppState, headers: &HeaderMap) -> Result<Caller, Problem> {
    let caller = required(state, headers).await?;
    webhooks::check_staff(&caller.person)?;
    Ok(caller)
}

/// `POST /api/v1/webhooks`.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let caller = staff(&state, &headers).await?;
    let (webhook, secret) = webhooks::subscribe(
        &state.store,
        &state.config,
        &object(&body, &crate::webhooks::FIELDS)?,
        &caller.person.name,
    )
    .await?;
    let mut answer = webhook.to_json();
    answer["secret"] = json!(secret);
    let location = format!("/api/v1/webhooks/{}", webhook.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(answer),
    )
        .into_response())
}

/// `GET /api/v1/webhooks`.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, Problem> {
    staff(&state, &headers).await?;
    let items: Vec<Value> = webhooks::all(&state.store)
        .await?
        .iter()
        .map(Webhook::to_json)
        .collect();
    Ok(Json(json!({ "items": items })))
}

async fn found(state: &AppState, id: &str) -> Result<Webhook, Problem> {
    webhooks::get(&state.store, id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("there is no webhook {id:?}")))
}

/// `GET /api/v1/webhooks/{id}`.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    staff(&state, &headers).await?;
    let webhook = found(&state, &id).await?;
    let mut answer = webhook.to_json();
    let counts = delivery::counts(&state.store, &id).await?;
    answer["deliveries"] = serde_json::to_value(counts).map_err(|e| Problem::internal(&e))?;
    Ok(Json(answer))
}

/// `GET /api/v1/webhooks/{id}/deliveries?status=pending|delivered|failed`.
pub async fn deliveries(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Problem> {
    staff(&state, &headers).await?;
    found(&state, &id).await?;
    let status = query.get("status").map(String::as_str);
    if let Some(status) = status
        && ![delivery::PENDING, delivery::DELIVERED, delivery::FAILED].contains(&status)
    {
        return Err(Problem::bad_request(
            "status",
            format!("status must be pending, delivered or failed (got {status:?})"),
        ));
    }
    let items = delivery::list(&state.store, &id, status, DELIVERIES_MAX).await?;
    Ok(Json(json!({ "items": items })))
}

/// `DELETE /api/v1/webhooks/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let caller = staff(&state, &headers).await?;
    let webhook = found(&state, &id).await?;
    webhooks::check_deletion(&webhook, &caller.person)?;
    webhooks::remove(&state.store, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
