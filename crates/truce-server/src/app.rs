//! The HTTP application: the API's routes and the web pages on one router, and the layers
//! every answer goes through (body limit, problem answers, security headers, compression,
//! the request time limit, tracing).

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use truce_api::ops;
use truce_api::problem::Problem;
use truce_api::state::AppState;

pub fn router(state: AppState) -> Router {
    let over_tls = state.config.served_over_tls();
    let router = routes(state);
    if over_tls {
        router.layer(middleware::from_fn(tls_only))
    } else {
        router
    }
}

fn routes(state: AppState) -> Router {
    let limits = state.config.limits.clone();
    truce_api::routes::routes()
        .with_state(state.clone())
        .merge(truce_web::routes(state))
        .fallback(ops::not_found)
        .layer(DefaultBodyLimit::max(limits.request_bytes_max))
        .layer(middleware::from_fn(problem_answers))
        .layer(middleware::from_fn(security_headers))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            Duration::from_millis(limits.request_timeout_ms),
            time_limit,
        ))
        .layer(TraceLayer::new_for_http())
}

/// Gives every error the router or an extractor answers on its own (405, an invalid
/// path or query, a body over the limit: plain text or empty) a problem+json body,
/// keeping its headers (`Allow`, for one).
async fn problem_answers(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    // A problem already, or a web page that says what went wrong in its own words.
    let explained = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|t| {
            t.as_bytes().starts_with(b"application/problem+json")
                || t.as_bytes().starts_with(b"text/html")
        });
    if !status.is_client_error() || explained {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4_096).await.unwrap_or_default();
    let detail = if status == axum::http::StatusCode::METHOD_NOT_ALLOWED {
        format!("{method} is not allowed on this resource (the Allow header says what is)")
    } else {
        String::from_utf8_lossy(&text).trim().to_string()
    };
    let title = status.canonical_reason().unwrap_or("Error");
    let slug = title.to_ascii_lowercase().replace(' ', "-");
    let mut answer = Problem::new(status, &slug, title, detail).into_response();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
}

/// The security headers of every answer, the API's included: no sniffing a JSON answer
/// into a page, no framing, no referrer. Web pages set their own stricter policy first
/// (`web::routes`); every other answer is data, so its policy allows nothing at all.
async fn security_headers(request: Request, next: Next) -> Response {
    use axum::http::HeaderValue;
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        ),
        ("referrer-policy", "no-referrer"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

/// For a node the public reaches over TLS (`public_url` with https): every cookie is
/// `Secure`, so a browser never sends a session over plain HTTP, and browsers are told
/// to use only HTTPS for a year (HSTS). Done here, once, for every cookie any page sets.
async fn tls_only(request: Request, next: Next) -> Response {
    use axum::http::{HeaderValue, header};
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let cookies: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        let secure = match cookie.to_str() {
            Ok(text) if !text.contains("; Secure") => {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie)
            }
            _ => cookie,
        };
        headers.append(header::SET_COOKIE, secure);
    }
    headers.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    response
}

/// Answers 503 problem+json when a request takes longer than `request_timeout_ms`.
async fn time_limit(
    limit: axum::extract::State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let limit = *limit;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Problem::unavailable(format!(
            "no answer within {} ms. If this was a submission, it may or may not have been appended; \
             submitting the same note again is safe: if it was appended, it is refused as a duplicate",
            limit.as_millis()
        ))
        .into_response(),
    }
}
