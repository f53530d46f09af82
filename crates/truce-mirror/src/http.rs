//! The mirror's HTTP interface. Reading: tlog-mirror's monitoring prefix is
//! `/<origin hash>/`; the same copy is also served under `/log/`, where a Truce node
//! serves its log, so `truce verify` and the browser's checks read a mirror exactly as
//! they read a node (`/log/vkey` too: the log's key, as the mirror was given it).
//! Writing (the submission prefix is the root): `POST /add-checkpoint` and
//! `POST /add-entries`, whose body is read as it streams in (gzip or not), up to
//! [`ADD_ENTRIES_BYTES_MAX`] bytes once decompressed; the packages after that are
//! left for the client's next request, as after any interrupted upload.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::TryStreamExt as _;
use tokio::io::AsyncReadExt as _;
use tower_http::decompression::RequestDecompressionLayer;
use truce_log::tiles::TilePath;
use truce_witness::store::origin_hash;

use crate::mirror::Mirror;
use crate::push::Pushed;
use crate::wire::MIRROR_INFO;

/// The most bytes of one add-entries body read (after decompression): 32 packages of
/// entries as large as Truce's are well under it, and a body above it is not refused but
/// cut, its whole packages stored (a 202 tells the client where to resume).
pub const ADD_ENTRIES_BYTES_MAX: u64 = 64 << 20;

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
        .route(
            "/add-checkpoint",
            post(add_checkpoint).layer(DefaultBodyLimit::max(
                truce_witness::http::REQUEST_BYTES_MAX,
            )),
        )
        .route(
            "/add-entries",
            post(add_entries).layer(RequestDecompressionLayer::new().gzip(true)),
        )
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

async fn add_checkpoint(State(served): State<Arc<Served>>, body: Bytes) -> Response {
    match served.mirror.add_checkpoint(&body).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(refusal) => truce_witness::http::refused(&refusal),
    }
}

async fn add_entries(State(served): State<Arc<Served>>, body: Body) -> Response {
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let mut reader = tokio_util::io::StreamReader::new(stream).take(ADD_ENTRIES_BYTES_MAX);
    let pushed = served
        .mirror
        .add_entries(&mut reader, crate::unix_now())
        .await;
    let mut response = pushed_response(pushed);
    // tlog-mirror: a mirror SHOULD say which encodings it accepts.
    response.headers_mut().insert(
        header::ACCEPT_ENCODING,
        header::HeaderValue::from_static("gzip"),
    );
    response
}

fn pushed_response(pushed: Pushed) -> Response {
    let plain = |status: StatusCode, text: String| {
        let headers = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
        (status, headers, format!("{text}\n")).into_response()
    };
    let info = |status: StatusCode, info: crate::wire::MirrorInfo| {
        (
            status,
            [(header::CONTENT_TYPE, MIRROR_INFO)],
            info.to_text(),
        )
            .into_response()
    };
    match pushed {
        Pushed::Committed(lines) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            lines,
        )
            .into_response(),
        Pushed::Prefix(mirror_info) => info(StatusCode::ACCEPTED, mirror_info),
        Pushed::Conflict(mirror_info) => info(StatusCode::CONFLICT, mirror_info),
        Pushed::Malformed(why) => {
            plain(StatusCode::BAD_REQUEST, format!("malformed request: {why}"))
        }
        Pushed::UnknownLog(origin) => plain(
            StatusCode::NOT_FOUND,
            format!("this mirror does not mirror the log {origin:?}"),
        ),
        Pushed::Unprocessable(why) => plain(StatusCode::UNPROCESSABLE_ENTITY, why),
        Pushed::Storage(e) => {
            tracing::error!(error = %e, "storing pushed entries");
            plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the mirror could not store the entries; nothing after the last answer is committed".into(),
            )
        }
    }
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
