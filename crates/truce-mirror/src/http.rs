//! The mirror's tlog-tiles interface, read-only. tlog-mirror's monitoring prefix is
//! `/<origin hash>/`; the same copy is also served under `/log/`, where a Truce node
//! serves its log, so `truce verify` and the browser's checks read a mirror exactly as
//! they read a node (`/log/vkey` too: the log's key, as the mirror was given it).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use truce_log::tiles::TilePath;
use truce_witness::store::origin_hash;

use crate::mirror::Mirror;

struct Served {
    mirror: Arc<Mirror>,
    origin_hash: String,
}

pub fn router(mirror: Arc<Mirror>, origin: &str) -> Router {
    let state = Arc::new(Served {
        mirror,
        origin_hash: origin_hash(origin),
    });
    Router::new()
        .route("/log/checkpoint", get(log_checkpoint))
        .route("/log/vkey", get(vkey))
        .route("/log/tile/{*rest}", get(log_tile))
        .route("/{hash}/checkpoint", get(checkpoint))
        .route("/{hash}/tile/{*rest}", get(tile))
        .with_state(state)
}

async fn log_checkpoint(State(served): State<Arc<Served>>) -> Response {
    match served.mirror.served() {
        Some((_, note)) => text(note),
        None => not_found("the mirror holds no checkpoint of this log yet"),
    }
}

async fn checkpoint(State(served): State<Arc<Served>>, Path(hash): Path<String>) -> Response {
    if hash != served.origin_hash {
        return not_found("this mirror does not mirror that log");
    }
    log_checkpoint(State(served)).await
}

async fn vkey(State(served): State<Arc<Served>>) -> Response {
    text(format!("{}\n", served.mirror.log_vkey()).into_bytes())
}

async fn log_tile(State(served): State<Arc<Served>>, Path(rest): Path<String>) -> Response {
    let Ok(path) = TilePath::parse(&format!("tile/{rest}")) else {
        return not_found("not a tile path");
    };
    match served.mirror.tile(&path) {
        Ok(Some(data)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                // Full tiles never change (tlog-tiles); partial ones are replaced.
                (header::CACHE_CONTROL, cache_control(&path)),
            ],
            data,
        )
            .into_response(),
        Ok(None) => not_found("the mirror holds no such tile"),
        Err(e) => {
            tracing::error!(error = %e, "reading a tile");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "reading the tile failed\n",
            )
                .into_response()
        }
    }
}

async fn tile(
    State(served): State<Arc<Served>>,
    Path((hash, rest)): Path<(String, String)>,
) -> Response {
    if hash != served.origin_hash {
        return not_found("this mirror does not mirror that log");
    }
    log_tile(State(served), Path(rest)).await
}

fn cache_control(path: &TilePath) -> &'static str {
    if path.is_full() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

fn text(body: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn not_found(why: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("{why}\n")).into_response()
}
