//! The log as C2SP tlog-tiles static resources under `/log/`: the checkpoint, the tiles,
//! the entry bundles, and the log's verifier key.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use truce_log::tiles::TilePath;

use crate::problem::Problem;
use crate::state::AppState;

const TEXT: &str = "text/plain; charset=utf-8";
/// Full tiles never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Partial tiles never change either, but a log may stop serving one once it is full.
const PARTIAL: &str = "public, max-age=3600";
/// c2sp.org/tlog-tiles: the checkpoint "SHOULD prevent caching beyond a few seconds".
const MUTABLE: &str = "public, max-age=2";

/// The newest checkpoint that carries the genesis's witness quorum, with every
/// cosignature stored for it. With a quorum of 0 (or no genesis yet) that is the newest
/// checkpoint; while none carries the quorum, the newest one, with the cosignatures it
/// has, which clients will refuse naming the witnesses missing.
pub async fn checkpoint(State(state): State<AppState>) -> Result<Response, Problem> {
    let quorum = state.genesis().await?.map_or(0, |g| g.witness_quorum);
    let note = state
        .store
        .served_checkpoint(quorum)
        .await?
        .ok_or_else(|| Problem::not_found("the log has no entries yet, so no checkpoint"))?;
    Ok(with_headers(note, TEXT, MUTABLE))
}

pub async fn vkey(State(state): State<AppState>) -> Response {
    with_headers(format!("{}\n", state.log_vkey).into_bytes(), TEXT, MUTABLE)
}

pub async fn tile(
    State(state): State<AppState>,
    Path(rest): Path<String>,
) -> Result<Response, Problem> {
    let path = TilePath::parse(&format!("tile/{rest}")).map_err(Problem::not_found)?;
    let Some(data) = state.store.tile(&path).await? else {
        let size = state.store.head().await?.size;
        let detail = format!(
            "{} is not part of the log, which has {size} entries",
            path.path()
        );
        return Err(Problem::not_found(detail));
    };
    let cache = if path.is_full() { IMMUTABLE } else { PARTIAL };
    Ok(with_headers(data, "application/octet-stream", cache))
}

fn with_headers(body: Vec<u8>, content_type: &'static str, cache: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
