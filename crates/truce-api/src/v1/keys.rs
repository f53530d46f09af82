//! The keys registered on the log.

use axum::Json;
use axum::extract::{Path, State};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde_json::{Value, json};
use truce_core::KeyRecord;

use crate::problem::Problem;
use crate::state::AppState;

/// `GET /api/v1/keys`: every key ever registered, revoked ones included, in the order
/// they were registered.
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Value>>, Problem> {
    let keys = state.store.keys().await?;
    Ok(Json(keys.iter().map(key_json).collect()))
}

/// `GET /api/v1/keys/{name}`: one key, with where its author chain stands (what a client
/// needs to write its next entry).
pub async fn get(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<Value>, Problem> {
    let keys = state.store.keys().await?;
    let key = keys
        .iter()
        .find(|k| k.name.as_str() == name)
        .ok_or_else(|| Problem::not_found(format!("no key named {name:?} is registered")))?;
    let head = state.store.author(&key.name).await?;
    let mut value = key_json(key);
    value["seq"] = json!(head.map_or(0, |h| h.seq));
    value["last_leaf_hash"] = json!(head.map(|h| BASE64.encode(h.last_leaf_hash)));
    Ok(Json(value))
}

fn key_json(key: &KeyRecord) -> Value {
    json!({
        "name": key.name.as_str(),
        "vkey": key.vkey,
        "key_id": format!("{:08x}", key.key_id),
        "role": key.role.as_str(),
        "delegation": key.delegation.as_str(),
        "registered_at": key.registered_at,
        "revoked_at": key.revoked_at,
    })
}
