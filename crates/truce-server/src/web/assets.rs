//! Static files of the web pages, embedded in the binary and fingerprinted by their
//! content's SHA-256 when first asked for: a page names `/static/app.<hash>.css`, which may
//! then be cached for a year, and a new build's stylesheet gets a new name.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::problem::Problem;

const CSS: &str = include_str!("../../static/app.css");

/// The stylesheet's path: `/static/app.<first 16 hex digits of its SHA-256>.css`.
pub static CSS_PATH: LazyLock<String> = LazyLock::new(|| {
    let hash = hex::encode(Sha256::digest(CSS.as_bytes()));
    format!("/static/app.{}.css", &hash[..16])
});

/// `GET /static/{file}`: the current stylesheet only; any other name is a 404.
pub async fn serve(Path(file): Path<String>) -> Response {
    if CSS_PATH.strip_prefix("/static/") == Some(file.as_str()) {
        (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            CSS,
        )
            .into_response()
    } else {
        Problem::not_found(format!(
            "no static file {file} (stylesheets are named by hash)"
        ))
        .into_response()
    }
}
