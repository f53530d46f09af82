//! `POST /api/v1/actions` `{kind, payload, attachments?}`: the server signs an entry for a logged-in person with the key
//! it holds for them, says so in the entry (`custody: server`), and submits it like any
//! other. The admission rules judge it by the key: the role and delegation the log
//! registered for it, never the account.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use truce_core::{Attachment, Custody};
use truce_log::Author;

use super::entries::receipt_json;
use super::session::{object, required, string};
use crate::accounts::Caller;
use crate::problem::Problem;
use crate::state::AppState;
use truce_node::sequencer::Receipt;

/// The members of `POST /api/v1/actions` (the description's too).
pub const ACTION_FIELDS: &[&str] = &["kind", "payload", "attachments"];

/// `{kind, payload, attachments?}`: answers 201 with the receipt, or the log's refusal.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let caller = required(&state, &headers).await?;
    let body = object(&body, ACTION_FIELDS)?;
    let kind = string(&body, "kind")?.to_string();
    let payload = body
        .get("payload")
        .cloned()
        .ok_or_else(|| Problem::bad_request("payload", "payload is required"))?;
    if let Some(path) = inexact_number(&payload, "payload") {
        let detail = format!(
            "{path}: integers beyond ±2^53 cannot be signed exactly as canonical JSON (RFC 8785)"
        );
        // Well-formed JSON, as the description allows, that cannot be signed: 422.
        return Err(Problem::unprocessable(&path, detail));
    }
    let attachments: Vec<Attachment> = match body.get("attachments") {
        None => vec![],
        Some(list) => serde_json::from_value(list.clone()).map_err(|e| {
            Problem::bad_request(
                "attachments",
                format!(
                    "attachments must be a list of {{sha256, media_type, bytes, public?}}: {e}"
                ),
            )
        })?,
    };
    let receipt = sign_for(&state, &caller, &kind, payload, attachments).await?;
    Ok((StatusCode::CREATED, Json(receipt_json(&receipt))))
}

/// Signs `kind`/`payload` as the caller's next entry (`custody: server`) and submits it.
pub async fn sign_for(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    payload: Value,
    attachments: Vec<Attachment>,
) -> Result<Receipt, Problem> {
    let key = caller.signing_key().map_err(|e| Problem::internal(&e))?;
    // One custodial entry per author at a time in this process, so each continues the
    // chain the author's last one left.
    let _turn = state.custodial.take(key.name().as_str()).await;
    let head = state.store.author(key.name()).await?;
    let origin = state.origin();
    let mut author = Author::continuing(key, &origin, head);
    let mut envelope = author.envelope(kind, payload, truce_node::sequencer::now());
    envelope.custody = Custody::Server;
    envelope.attachments = attachments;
    let note = author.sign(&envelope, &[]);
    Ok(state.sequencer.submit(note).await?)
}

/// The path of the first number that RFC 8785 would not keep exactly, if any.
fn inexact_number(value: &Value, path: &str) -> Option<String> {
    const EXACT: u64 = 1 << 53;
    match value {
        Value::Number(n) => {
            let exact = n
                .as_u64()
                .map(|v| v <= EXACT)
                .or_else(|| n.as_i64().map(|v| v.unsigned_abs() <= EXACT))
                .unwrap_or(true);
            (!exact).then(|| path.to_string())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| inexact_number(item, &format!("{path}[{i}]"))),
        Value::Object(map) => map
            .iter()
            .find_map(|(key, item)| inexact_number(item, &format!("{path}.{key}"))),
        _ => None,
    }
}
