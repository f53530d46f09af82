//! Submitting entries, reading them back, and proving their inclusion.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use truce_log::SignedEntry;
use truce_log::proof::{FetchedHashes, IndexRecorder, TlogProof};
use truce_store::StoredEntry;

use crate::problem::Problem;
use crate::state::AppState;

/// `POST /api/v1/entries`: a signed note in, 201 once it is durable.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    refuse_a_second_hop(&state, &headers)?;
    if let Some(content_type) = headers.get(header::CONTENT_TYPE)
        && !content_type
            .to_str()
            .unwrap_or_default()
            .starts_with("text/plain")
    {
        let mut problem = Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "media-type",
            "Unsupported media type",
            "an entry is a C2SP signed note sent as text/plain",
        );
        problem.field = Some("Content-Type".into());
        return Err(problem);
    }
    let receipt = state.sequencer.submit(body.to_vec()).await?;
    let body = receipt_json(&receipt);
    let location = format!("/api/v1/entries/{}", receipt.index);
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The body of `POST /api/v1/entries/batch`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBatch {
    /// Signed notes, in the order they are to be appended.
    notes: Vec<String>,
}

/// `POST /api/v1/entries/batch`: several signed notes in one request, for an importer
/// that writes thousands of entries of one author's chain. Each note is queued in order
/// and admitted, appended and acknowledged exactly as if posted alone; the answer (200)
/// holds, in the same order, each one's receipt once durable or the problem it was
/// refused with. One refused note does not stop the others, though a later note of the
/// same author then fails its sequence check.
pub async fn submit_batch(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<NoteBatch>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, Problem> {
    refuse_a_second_hop(&state, &headers)?;
    let Json(batch) = body.map_err(|e| Problem::bad_request("notes", e.body_text()))?;
    let most = state.config.limits.submit_batch_entries_max;
    if batch.notes.is_empty() || batch.notes.len() > most {
        let detail = format!(
            "a batch holds 1 to {most} notes (submit_batch_entries_max); this one has {}",
            batch.notes.len()
        );
        return Err(Problem::bad_request("notes", detail));
    }
    // Prepared on every core (parsing, signatures, locating: no log state), then queued
    // one after another from this task, so the sequencer sees them in this order.
    let handle = state.sequencer.clone();
    let forwarded = headers.contains_key(truce_node::forwarding::FORWARDED);
    let prepared = tokio::task::spawn_blocking(move || {
        use rayon::prelude::*;
        let notes = batch.notes.into_par_iter().map(String::into_bytes);
        let prepare = |note| {
            let prepared = handle.prepare(note)?;
            Ok(if forwarded {
                prepared.forwarded()
            } else {
                prepared
            })
        };
        notes.map(prepare).collect::<Vec<_>>()
    })
    .await
    .map_err(|e| Problem::internal(&e))?;
    let last = prepared.len() - 1;
    let queued: Vec<_> = prepared
        .into_iter()
        .enumerate()
        .map(|(i, prepared)| prepared.and_then(|p| state.sequencer.enqueue_prepared(p, i == last)))
        .collect();
    let mut results = Vec::with_capacity(queued.len());
    let mut appended = 0;
    for outcome in queued {
        let outcome = match outcome {
            Ok(receipt) => receipt.await,
            Err(e) => Err(e),
        };
        results.push(match outcome {
            Ok(receipt) => {
                appended += 1;
                receipt_json(&receipt)
            }
            Err(e) => json!({"problem": Problem::from(e)}),
        });
    }
    Ok(Json(json!({"appended": appended, "results": results})))
}

/// A write another process forwarded here, believing this one sequences, is refused
/// whole if it does not (it stopped leading since): forwarding it on could pass it back
/// and forth. The forwarding process tries again with whoever leads by then.
fn refuse_a_second_hop(state: &AppState, headers: &HeaderMap) -> Result<(), Problem> {
    if headers.contains_key(truce_node::forwarding::FORWARDED) && !state.store.leads() {
        return Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            truce_node::forwarding::NOT_SEQUENCER,
            "Not the sequencer",
            "this process no longer sequences the log; forward to the one that does",
        ));
    }
    Ok(())
}

/// What a submitter is told once its entry is durable.
#[must_use]
pub fn receipt_json(receipt: &truce_node::sequencer::Receipt) -> Value {
    json!({
        "index": receipt.index,
        "leaf_hash": receipt.leaf_hash.to_string(),
        "checkpoint": String::from_utf8_lossy(&receipt.checkpoint.note),
    })
}

/// `GET /api/v1/entries/{index}`: the note and its decoded JSON.
pub async fn get(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<Value>, Problem> {
    let index = parse_index("index", &index)?;
    Ok(Json(entry_json(&stored(&state, index).await?)?))
}

/// Entry `index` as stored, or 404 saying how many entries the log has.
pub async fn stored(state: &AppState, index: u64) -> Result<StoredEntry, Problem> {
    let Some(stored) = state.store.entry(index).await? else {
        let size = state.store.head().await?.size;
        return Err(Problem::not_found(format!(
            "entry {index} does not exist; the log has {size} entries"
        )));
    };
    Ok(stored)
}

/// A stored entry parsed; one that does not parse is the store's fault, not the caller's.
pub fn parsed(stored: &StoredEntry) -> Result<SignedEntry, Problem> {
    SignedEntry::parse(stored.note.clone()).map_err(|e| {
        Problem::internal(&format!(
            "stored entry {} does not parse: {e}",
            stored.index
        ))
    })
}

/// An entry as the API shows it: the signed note, the entry it carries decoded, who
/// signed it, and when it was logged. Webhook deliveries carry the same.
pub fn entry_json(stored: &StoredEntry) -> Result<Value, Problem> {
    let index = stored.index;
    let entry = parsed(stored)?;
    let text = String::from_utf8_lossy(entry.text());
    let decoded: Value = serde_json::from_str(&text).map_err(|e| Problem::internal(&e))?;
    let signatures: Vec<Value> = entry
        .view()
        .signatures
        .iter()
        .map(|(name, id)| json!({"name": name, "key_id": format!("{id:08x}")}))
        .collect();
    Ok(json!({
        "index": index,
        "leaf_hash": stored.leaf_hash.to_string(),
        "logged_at": rfc3339_ms(stored.logged_at_ms),
        "note": String::from_utf8_lossy(&stored.note),
        "entry": decoded,
        "signatures": signatures,
    }))
}

/// `GET /api/v1/entries/{index}/proof?size=N`: a C2SP tlog-proof of the entry in the
/// checkpoint of size N, with the witnesses' cosignatures stored for it. Without N: the
/// newest checkpoint with the genesis's witness quorum if it holds the entry, else the
/// latest checkpoint.
pub async fn proof(
    State(state): State<AppState>,
    Path(index): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let index = parse_index("index", &index)?;
    let head = state.store.head().await?;
    let size = match query.get("size") {
        Some(size) => parse_index("size", size)?,
        None => default_proof_size(&state, index, head.size).await?,
    };
    if index >= size || size > head.size {
        let detail = format!(
            "entry {index} is not in a tree of size {size}; the log has {} entries",
            head.size
        );
        return Err(Problem::not_found(detail));
    }
    let Some(mut checkpoint) = state.store.checkpoint(size).await? else {
        let detail = format!(
            "no checkpoint was signed at size {size}; the latest is of size {}",
            head.size
        );
        return Err(Problem::not_found(detail));
    };
    for cosignature in state.store.cosignatures(size).await? {
        checkpoint.extend_from_slice(&cosignature.line);
    }
    let indexes = IndexRecorder::indexes(|r| tlog_tiles::prove_record(size, index, r));
    let fetched = FetchedHashes(state.store.hashes(&indexes).await?);
    let hashes =
        tlog_tiles::prove_record(size, index, &fetched).map_err(|e| Problem::internal(&e))?;
    let proof = TlogProof {
        extra: None,
        index,
        hashes,
        checkpoint,
    };
    let mut response = proof.to_text().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    if let Ok(disposition) =
        HeaderValue::from_str(&format!("inline; filename=\"entry-{index}.tlog-proof\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

pub fn parse_index(field: &str, text: &str) -> Result<u64, Problem> {
    let valid = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    text.parse::<u64>()
        .ok()
        .filter(|n| valid && i64::try_from(*n).is_ok())
        .ok_or_else(|| {
            Problem::bad_request(
                field,
                format!(
                    "{field} must be an integer from 0 to {} without leading zeros (got {text:?})",
                    i64::MAX
                ),
            )
        })
}

#[must_use]
pub fn rfc3339_ms(unix_ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// The newest witnessed checkpoint's size if it holds entry `index`, else the head's.
async fn default_proof_size(state: &AppState, index: u64, head: u64) -> Result<u64, Problem> {
    let quorum = state.genesis().await?.map_or(0, |g| g.witness_quorum);
    if quorum == 0 {
        return Ok(head);
    }
    let witnessed = state.store.newest_cosigned(quorum).await?;
    Ok(witnessed.filter(|&size| index < size).unwrap_or(head))
}
