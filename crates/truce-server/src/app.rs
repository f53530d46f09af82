//! The HTTP application: shared state and the router.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use truce_store::Store;

use crate::config::Config;
use crate::problem::Problem;
use crate::sequencer::SequencerHandle;
use crate::{api, ops, tlog};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub sequencer: SequencerHandle,
    pub config: Arc<Config>,
    pub log_vkey: Arc<str>,
    pub metrics: PrometheusHandle,
    /// The genesis, once read (`api::compliance::genesis`).
    pub genesis: Arc<std::sync::OnceLock<Arc<truce_core::Genesis>>>,
    /// The border geometry the genesis agrees, once it is known (`geography`).
    pub geometry: crate::geography::AgreedGeometry,
    /// Evidence files, by SHA-256.
    pub evidence: truce_store::EvidenceStore,
    /// Serialises the entries the server signs for people (`api::actions`).
    pub custodial: Arc<CustodialTurns>,
    /// What the node knows of each witness (`witnessing`).
    pub witnessing: crate::witnessing::Witnessing,
    /// Failed logins per name, which slow the next attempts (`logins`).
    pub logins: Arc<crate::logins::Logins>,
    /// The public report form's proof-of-work challenges (`work`).
    pub work: Arc<crate::work::Work>,
    /// The dashboard as last rendered in each language (`web::dashboard_cache`).
    pub(crate) dashboards: Arc<crate::web::dashboard_cache::DashboardCache>,
    /// What "now" is where the record leaves it to the reader (`clock`).
    pub clock: crate::clock::Clock,
}

/// One lock per author whose entries the server signs: each custodial entry continues the
/// chain its author's previous one left, while different people do not wait for each other.
#[derive(Default)]
pub struct CustodialTurns {
    turns: std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl CustodialTurns {
    /// Waits for `author`'s turn.
    pub async fn take(&self, author: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let turn = {
            let mut turns = self.turns.lock().expect("custodial turns lock");
            turns.entry(author.to_string()).or_default().clone()
        };
        turn.lock_owned().await
    }
}

impl AppState {
    /// The log's origin: its key's name.
    #[must_use]
    pub fn origin(&self) -> String {
        self.log_vkey
            .split('+')
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// A token labelled `label` for `name` if `password` is theirs (None if it is not),
    /// with a new device token for the next logins from the same device; unless the name
    /// or the password is not one an account could have (400), or the throttle refuses
    /// the check (429, saying how long to wait: `logins`). Every check of a password goes
    /// through here.
    pub async fn password_login(
        &self,
        name: &str,
        password: &str,
        device: Option<&str>,
        label: &str,
        ttl: std::time::Duration,
    ) -> Result<Option<LoggedIn>, Problem> {
        crate::accounts::validate_password(password)
            .map_err(|e| Problem::bad_request("password", format!("password {e}")))?;
        let attempt = self.logins.reserve(name, device).map_err(refused)?;
        let issued = crate::accounts::issue_for_password(&self.store, name, password, label, ttl)
            .await
            .map_err(|e| Problem::internal(&e))?;
        let Some(issued) = issued else {
            return Ok(None);
        };
        attempt.succeeded();
        let device = self.logins.device_token(name);
        Ok(Some(LoggedIn { issued, device }))
    }
}

/// A successful login: the token, and the device token for the next logins.
pub struct LoggedIn {
    pub issued: crate::accounts::Issued,
    pub device: String,
}

/// The answer to a login the throttle refuses unchecked.
fn refused(refusal: crate::logins::Refusal) -> Problem {
    use crate::logins::{Refusal, seconds};
    let detail = match refusal {
        Refusal::BadName(why) => return Problem::bad_request("name", format!("name {why}")),
        Refusal::Wait(wait) => format!(
            "name: too many failed logins for this name; try again in {} s",
            seconds(wait)
        ),
        Refusal::Busy(wait) => format!(
            "the node is checking as many passwords as it may; try again in {} s",
            seconds(wait)
        ),
    };
    let mut problem = Problem::new(
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        "too-many-logins",
        "Too many logins",
        detail,
    );
    problem.field = Some("name".into());
    problem
}

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
    let limits = &state.config.limits;
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/log/checkpoint", get(tlog::checkpoint))
        .route("/log/vkey", get(tlog::vkey))
        .route("/api/v1/log/witnesses", get(api::witnesses::list))
        .route("/log/tile/{*path}", get(tlog::tile))
        .route("/api/v1/entries", post(api::entries::submit))
        .route("/api/v1/entries/batch", post(api::entries::submit_batch))
        .route("/api/v1/entries/{index}", get(api::entries::get))
        .route("/api/v1/entries/{index}/proof", get(api::entries::proof))
        .route("/api/v1/reports", get(api::reports::list))
        .route(
            "/api/v1/reports/provenance",
            post(api::provenance::provenance),
        )
        .route("/api/v1/reports/{index}", get(api::reports::get))
        .route("/api/v1/incidents", get(api::incidents::list))
        .route("/api/v1/incidents/{index}", get(api::incidents::get))
        .route("/api/v1/investigations", get(api::workflow::investigations))
        .route(
            "/api/v1/investigations/{index}",
            get(api::workflow::investigation),
        )
        .route("/api/v1/findings", get(api::workflow::findings))
        .route("/api/v1/findings/{index}", get(api::workflow::finding))
        .route("/api/v1/measures", get(api::workflow::measures))
        .route("/api/v1/measures/{index}", get(api::workflow::measure))
        .route("/api/v1/talks", get(api::workflow::rounds))
        .route("/api/v1/talks/{index}", get(api::workflow::round))
        .route("/api/v1/commitments", get(api::workflow::commitments))
        .route("/api/v1/compliance", get(api::compliance::summary))
        .route("/api/v1/agreement", get(api::agreement::agreement))
        .route(
            "/api/v1/publications",
            get(api::publications::list_publications),
        )
        .route("/api/v1/login", post(api::session::login))
        .route("/api/v1/logout", post(api::session::logout))
        .route("/api/v1/me", get(api::session::me))
        .route("/api/v1/tokens", post(api::session::token))
        .route("/api/v1/people", post(api::session::create_person))
        .route("/api/v1/actions", post(api::actions::act))
        .route(
            "/api/v1/webhooks",
            get(api::webhooks::list).post(api::webhooks::create),
        )
        .route(
            "/api/v1/webhooks/{id}",
            get(api::webhooks::get).delete(api::webhooks::delete),
        )
        .route(
            "/api/v1/webhooks/{id}/deliveries",
            get(api::webhooks::deliveries),
        )
        .route(
            "/api/v1/evidence/{sha256}",
            // The upload streams its body and enforces limits.evidence_bytes_max itself,
            // after checking the token (api::evidence::upload).
            get(api::evidence::download).put(api::evidence::upload),
        )
        .route("/api/v1/openapi.json", get(api::openapi::serve))
        .route("/api/v1/geo/locate", get(api::geo::locate))
        .route("/api/v1/geo/border", get(api::geo::border))
        .route("/api/v1/geo/provinces", get(api::geo::provinces))
        .route("/api/v1/geo/countries", get(api::geo::countries))
        .route("/api/v1/geo/crossings", get(api::geo::crossings))
        .route("/api/v1/geo/reports", get(api::report_map::reports))
        .route("/api/v1/exports/reports.csv", get(api::export::csv))
        .route("/api/v1/exports/reports.hxl.csv", get(api::export::hxl))
        .route("/api/v1/exports/reports.acled.csv", get(api::export::acled))
        .route("/api/v1/exports/reports.ucdp.csv", get(api::export::ucdp))
        .route("/api/v1/exports/reports.geojson", get(api::export::geojson))
        .route("/api/v1/crossings", get(api::crossings::list))
        .route("/feeds/findings.atom", get(crate::feeds::findings))
        .route("/feeds/reports.atom", get(crate::feeds::reports))
        .route("/api/v1/crossings/{id}", get(api::crossings::get))
        .route("/api/v1/actors", get(api::actors::actors))
        .route("/api/v1/actors/{key}", get(api::actors::actor))
        .route("/api/v1/keys", get(api::keys::list))
        .route("/api/v1/keys/{*name}", get(api::keys::get))
        .merge(crate::web::routes())
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
        .with_state(state)
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
