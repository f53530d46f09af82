//! The web pages, server-rendered from askama templates (`templates/`), in six languages
//! (`locales/`), working without JavaScript wherever a form or a list can. They read what
//! the JSON API reads, through the API's own functions; only the desk writes, through the
//! same signing path as `POST /api/v1/actions`.

pub(crate) mod assets;
pub(crate) mod chart;
pub(crate) mod crossing;
pub(crate) mod dashboard;
pub(crate) mod dashboard_cache;
pub(crate) mod dates;
pub(crate) mod desk;
pub(crate) mod error_page;
pub(crate) mod fonts;
pub(crate) mod incident;
pub(crate) mod lang;
pub(crate) mod map;
pub(crate) mod names;
pub(crate) mod numbers;
pub(crate) mod observations;
pub(crate) mod public_report;
pub(crate) mod record;
pub(crate) mod session;
pub mod sitrep;
pub(crate) mod talks;

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use self::lang::{COOKIE, Lang};
use truce_api::problem::Problem;
use truce_api::state::AppState;

/// What `base.html` asks of every page beyond its fields: the query the language links
/// keep (a situation report keeps its period; most pages keep nothing).
pub(crate) trait Chrome {
    fn lang_query(&self) -> String {
        String::new()
    }
}

/// No inline script or style: the stylesheet is a file of this origin.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// What the pages share: the API's state, and the dashboard as last rendered in each
/// language (`dashboard_cache`). Every page but the dashboard asks only for the first.
#[derive(Clone)]
pub struct WebState {
    app: AppState,
    dashboards: Arc<dashboard_cache::DashboardCache>,
}

impl FromRef<WebState> for AppState {
    fn from_ref(web: &WebState) -> Self {
        web.app.clone()
    }
}

/// The pages and their static files, with the security headers, over `app`.
pub fn routes(app: AppState) -> Router {
    let state = WebState {
        app,
        dashboards: Arc::default(),
    };
    Router::new()
        .route("/", get(dashboard::page))
        .route("/incidents/{index}", get(incident::page))
        .route("/record", get(record::page))
        .route("/talks", get(talks::page))
        .route("/observations", get(observations::page))
        .route("/crossings/{id}", get(crossing::page))
        .route("/login", get(session::form).post(session::login))
        .route("/logout", post(session::logout))
        .route("/desk", get(desk::page))
        .route("/desk/{form}", post(desk::submit))
        .route(
            "/report",
            get(public_report::form).post(public_report::submit),
        )
        .route("/report/{id}", get(public_report::status))
        .route("/reports/daily/{day}", get(sitrep::daily))
        .route("/reports/period", get(sitrep::period))
        .route("/reports/period.json", get(sitrep::period_json))
        .route("/static/{file}", get(assets::serve))
        .layer(middleware::from_fn(error_page::for_browsers))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
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
    remember_lang(&mut response, asked, lang)?;
    Ok(response)
}

/// Remembers in a cookie the language a page was asked in by `?lang=`.
fn remember_lang(response: &mut Response, asked: Option<&str>, lang: Lang) -> Result<(), Problem> {
    if asked.and_then(Lang::from_tag) == Some(lang) {
        let cookie = format!(
            "{COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000; HttpOnly",
            lang.tag()
        );
        let value = HeaderValue::from_str(&cookie).map_err(|e| Problem::internal(&e))?;
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(())
}
