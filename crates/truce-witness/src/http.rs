//! The tlog-witness HTTP interface: `POST /add-checkpoint` and the monitoring endpoint
//! `GET /<origin hash>/checkpoint`, on one prefix (the root).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::witness::{Refusal, Witness};

/// The largest request accepted: signed-note's own limit on a note, plus the proof.
pub const REQUEST_BYTES_MAX: usize = 1_000_000 + 64 * 45;

pub fn router(witness: Arc<Witness>) -> Router {
    Router::new()
        .route("/add-checkpoint", post(add_checkpoint))
        .route("/{origin_hash}/checkpoint", get(checkpoint))
        .layer(DefaultBodyLimit::max(REQUEST_BYTES_MAX))
        .with_state(witness)
}

async fn add_checkpoint(State(witness): State<Arc<Witness>>, body: Bytes) -> Response {
    match witness.add_checkpoint(&body, unix_now()).await {
        Ok(line) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            line,
        )
            .into_response(),
        Err(refusal) => refused(&refusal),
    }
}

async fn checkpoint(State(witness): State<Arc<Witness>>, Path(hash): Path<String>) -> Response {
    match witness.latest(&hash).await {
        Some(note) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            note,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "no checkpoint cosigned for this log\n",
        )
            .into_response(),
    }
}

/// The tlog-witness answer to a refused add-checkpoint (a mirror's too).
pub fn refused(refusal: &Refusal) -> Response {
    let status = match refusal {
        Refusal::Malformed(_) => StatusCode::BAD_REQUEST,
        Refusal::UnknownLog(_) => StatusCode::NOT_FOUND,
        Refusal::Signature(_) => StatusCode::FORBIDDEN,
        Refusal::Conflict(size) => {
            let headers = [(header::CONTENT_TYPE, "text/x.tlog.size")];
            return (StatusCode::CONFLICT, headers, format!("{size}\n")).into_response();
        }
        Refusal::Inconsistent(e) if e.is_bad_request() => StatusCode::BAD_REQUEST,
        Refusal::Inconsistent(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Refusal::Storage(e) => {
            tracing::error!(error = %e, "the witness could not read or persist its state");
            let body = "the witness could not persist its state; nothing was cosigned\n";
            return (StatusCode::INTERNAL_SERVER_ERROR, body).into_response();
        }
    };
    let headers = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
    (status, headers, format!("{refusal}\n")).into_response()
}

/// The cosignature's time: POSIX seconds.
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs())
}
