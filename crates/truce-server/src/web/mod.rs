//! The web pages, server-rendered from askama templates (`templates/`), in six languages
//! (`locales/`), working without JavaScript. They read what the JSON API reads, through
//! the API's own functions, and never write to the log.

pub(crate) mod assets;
pub(crate) mod charts;
pub(crate) mod dashboard;
pub(crate) mod lang;
pub(crate) mod map;
pub mod sitrep;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use self::lang::{COOKIE, Lang};
use crate::app::AppState;
use crate::problem::Problem;

/// No inline script or style: the stylesheet is a file of this origin.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The pages and their static files, with the security headers.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::page))
        .route("/reports/daily/{day}", get(sitrep::daily))
        .route("/reports/period", get(sitrep::period))
        .route("/reports/period.json", get(sitrep::period_json))
        .route("/static/{file}", get(assets::serve))
        .layer(middleware::from_fn(security_headers))
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", CSP),
        ("referrer-policy", "no-referrer"),
        ("x-content-type-options", "nosniff"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// A page's response: not cached without revalidation, varying with the language's
/// sources, and remembering a language asked for by `?lang=` in a cookie.
fn page(html: String, asked: Option<&str>, lang: Lang) -> Result<Response, Problem> {
    let mut response = Html(html).into_response();
    let answer = response.headers_mut();
    answer.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    answer.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if asked.and_then(Lang::from_tag) == Some(lang) {
        let cookie = format!(
            "{COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000; HttpOnly",
            lang.tag()
        );
        let value = HeaderValue::from_str(&cookie).map_err(|e| Problem::internal(&e))?;
        answer.insert(header::SET_COOKIE, value);
    }
    Ok(response)
}
