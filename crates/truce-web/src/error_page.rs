//! A browser that asked a web page for HTML and got a problem (RFC 9457 JSON: a bad
//! parameter, an entry that is not an incident, a form sent without its CSRF token) is
//! shown the problem as a page in its language, with the same status; API clients, which
//! do not ask for HTML, keep the JSON.

use askama::Template;
use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::Chrome;
use super::lang::Lang;

/// A problem's JSON is small; anything larger is passed on untouched.
const PROBLEM_BYTES_MAX: usize = 16 * 1024;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub status: u16,
    pub detail: String,
    pub field: Option<String>,
}

impl Chrome for ErrorPage {}

impl ErrorPage {
    /// No storage is read for an error page, so the footer does not count the entries.
    #[allow(clippy::unused_self)] // base.html asks every page
    fn record(&self) -> String {
        String::new()
    }
}

/// Turns a problem answered to a browser into a page.
pub async fn for_browsers(request: Request, next: Next) -> Response {
    let wants_html = accepts_html(request.headers());
    let asked = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("lang=")))
        .map(str::to_string);
    let lang = Lang::negotiate(asked.as_deref(), request.headers());
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/problem+json"));
    if !wants_html || !is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, PROBLEM_BYTES_MAX).await else {
        return parts.status.into_response();
    };
    let problem: ProblemText = serde_json::from_slice(&bytes).unwrap_or_default();
    let page = ErrorPage {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        status: parts.status.as_u16(),
        detail: problem.detail,
        field: problem.field,
    };
    match page.render() {
        Ok(html) => (parts.status, Html(html)).into_response(),
        Err(_) => (parts.status, bytes).into_response(),
    }
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// What the page shows of an RFC 9457 problem: why, and which field.
#[derive(Debug, Default, serde::Deserialize)]
struct ProblemText {
    #[serde(default)]
    detail: String,
    field: Option<String>,
}
