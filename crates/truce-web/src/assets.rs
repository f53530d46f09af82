//! Static files of the web pages, embedded in the binary and fingerprinted by their
//! content's SHA-256 when first asked for: a page names `/static/app.<hash>.css`, which may
//! then be cached for a year, and a new build's file gets a new name.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use truce_api::problem::Problem;

/// One embedded file: its stem, extension, media type and bytes.
pub struct Asset {
    stem: &'static str,
    extension: &'static str,
    media_type: &'static str,
    body: &'static str,
    path: OnceLock<String>,
}

impl Asset {
    const fn new(
        stem: &'static str,
        extension: &'static str,
        media_type: &'static str,
        body: &'static str,
    ) -> Asset {
        Asset {
            stem,
            extension,
            media_type,
            body,
            path: OnceLock::new(),
        }
    }

    /// Its path: `/static/<stem>.<first 16 hex digits of its SHA-256>.<extension>`.
    pub fn path(&'static self) -> &'static str {
        self.path.get_or_init(|| {
            let hash = hex::encode(Sha256::digest(self.body.as_bytes()));
            format!("/static/{}.{}.{}", self.stem, &hash[..16], self.extension)
        })
    }
}

/// The one stylesheet.
pub static CSS: Asset = Asset::new(
    "app",
    "css",
    "text/css; charset=utf-8",
    include_str!("../static/app.css"),
);
/// The in-browser verification of an entry on the record (incident pages only).
pub static VERIFY: Asset = Asset::new(
    "verify",
    "js",
    "text/javascript; charset=utf-8",
    include_str!("../static/verify.js"),
);

/// The report forms' outbox: drafts kept while the network is down (desk pages only).
pub static OFFLINE: Asset = Asset::new(
    "offline",
    "js",
    "text/javascript; charset=utf-8",
    include_str!("../static/offline.js"),
);

/// Pan and zoom for the dashboard's map.
pub static MAP: Asset = Asset::new(
    "map",
    "js",
    "text/javascript; charset=utf-8",
    include_str!("../static/map.js"),
);

const ALL: [&Asset; 4] = [&CSS, &VERIFY, &OFFLINE, &MAP];

/// `GET /static/{file}`: the current files only; any other name is a 404.
pub async fn serve(Path(file): Path<String>) -> Response {
    let wanted = format!("/static/{file}");
    if let Some(asset) = ALL.iter().find(|asset| asset.path() == wanted) {
        return immutable(asset.media_type, asset.body.as_bytes());
    }
    if let Some(served) = super::fonts::FILES.iter().find(|f| f.path == wanted) {
        return immutable("font/ttf", served.font.bytes);
    }
    let (fonts_path, fonts_css) = &*super::fonts::CSS;
    if *fonts_path == wanted {
        return immutable("text/css; charset=utf-8", fonts_css.as_bytes());
    }
    Problem::not_found(format!(
        "no static file {file} (static files are named by their hash)"
    ))
    .into_response()
}

/// A fingerprinted file: its name changes with its bytes, so it may be cached a year.
fn immutable(media_type: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}
