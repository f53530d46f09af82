//! Logging in from a browser. `POST /login` checks the name and password like
//! `POST /api/v1/login` (the same `AppState::password_login`, the same 12-hour token) and keeps the
//! token in an `HttpOnly`, `SameSite=Strict` cookie that expires with it; `POST /logout`
//! revokes it. Every form a logged-in person posts carries a CSRF token: a keyed hash of
//! their session token, which a page of another origin can neither read nor compute. The
//! login form itself is protected by a double-submit cookie (login CSRF).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, http};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use super::Chrome;
use super::lang::Lang;
use truce_api::accounts::{self, Caller};
use truce_api::problem::Problem;
use truce_api::state::AppState;

/// The cookie holding a logged-in browser's token.
const SESSION_COOKIE: &str = "truce_session";
/// The cookie holding the device token of the last login from this browser (`logins`):
/// with it, its person logs in while others guessing their name must wait.
const DEVICE_COOKIE: &str = "truce_device";
/// How long a browser keeps its device token (a node restart ends it sooner).
const DEVICE_S: u64 = 366 * 86_400;
/// The cookie the login form's hidden field must match.
const LOGIN_COOKIE: &str = "truce_login";
/// As long as an API login: the cookie ends when the token does.
const SESSION: std::time::Duration = std::time::Duration::from_hours(12);

/// The person behind a browser's session cookie, with the CSRF token their forms carry.
pub struct WebSession {
    pub caller: Caller,
    pub token: String,
}

impl WebSession {
    /// The session the request's cookie names, if it is a live token.
    pub async fn of(state: &AppState, headers: &HeaderMap) -> Result<Option<Self>, Problem> {
        let Some(token) = cookie(headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        let caller = accounts::caller(&state.store, token)
            .await
            .map_err(|e| Problem::internal(&e))?;
        Ok(caller.map(|caller| WebSession {
            caller,
            token: token.to_string(),
        }))
    }

    /// The CSRF token of this session's forms.
    pub fn csrf(&self) -> String {
        csrf_of(&self.token)
    }

    /// Refuses a form whose `csrf` field is not this session's.
    pub fn check(&self, form: &[(String, String)]) -> Result<(), Problem> {
        let sent = form
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        if sent == Some(self.csrf().as_str()) {
            Ok(())
        } else {
            let mut problem = Problem::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "Form refused",
                "csrf: the form's token is missing or not this session's; reload the page and send it again",
            );
            problem.field = Some("csrf".into());
            Err(problem)
        }
    }
}

/// A keyed hash of the session token: only someone holding the token can compute it.
fn csrf_of(token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"truce web csrf v1\0")
        .chain_update(token.as_bytes())
        .finalize();
    hex::encode(&digest[..16])
}

/// The value of cookie `name` in the request, if any.
pub(super) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

pub(super) fn set_cookie(
    response: &mut Response,
    name: &str,
    value: &str,
    max_age: u64,
) -> Result<(), Problem> {
    let cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    let value = HeaderValue::from_str(&cookie).map_err(|e| Problem::internal(&e))?;
    response.headers_mut().append(header::SET_COOKIE, value);
    Ok(())
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct Login {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub log_size: u64,
    pub csrf: String,
    pub name: String,
    pub error: Option<String>,
}

impl Chrome for Login {}

impl Login {
    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }
}

/// `GET /login`: the form, with a fresh double-submit token.
pub async fn form(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let lang = Lang::negotiate(query.get("lang").map(String::as_str), &headers);
    login_page(&state, lang, String::new(), None, StatusCode::OK).await
}

async fn login_page(
    state: &AppState,
    lang: Lang,
    name: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, Problem> {
    let csrf = nonce();
    let page = Login {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        log_size: state.store.head().await?.size,
        csrf: csrf.clone(),
        name,
        error,
    };
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    let mut response = (status, Html(html)).into_response();
    set_cookie(&mut response, LOGIN_COOKIE, &csrf, 3_600)?;
    no_store(&mut response);
    Ok(response)
}

/// `POST /login` (name, password, csrf): on success the session cookie and a redirect to
/// the desk; otherwise the form again saying what was wrong.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let lang = Lang::negotiate(None, &headers);
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
            .to_string()
    };
    let (name, password) = (field("name"), field("password"));
    if !double_submitted(&headers, LOGIN_COOKIE, &form) {
        let error = Some(lang.t("login-error-csrf"));
        return login_page(&state, lang, name, error, StatusCode::FORBIDDEN).await;
    }
    let device = cookie(&headers, DEVICE_COOKIE);
    let logged_in = match state
        .password_login(&name, &password, device, "session", SESSION)
        .await
    {
        Ok(logged_in) => logged_in,
        Err(problem) if matches!(problem.status, 400 | 429) => {
            let status = StatusCode::from_u16(problem.status).map_err(|e| Problem::internal(&e))?;
            // A name no account has is not shown back whole: it may be megabytes.
            let name = name.chars().take(64).collect();
            return login_page(&state, lang, name, Some(problem.detail), status).await;
        }
        Err(problem) => return Err(problem),
    };
    let Some(logged_in) = logged_in else {
        let error = Some(lang.t("login-error"));
        return login_page(&state, lang, name, error, StatusCode::UNAUTHORIZED).await;
    };
    let mut response = Redirect::to("/desk").into_response();
    set_cookie(
        &mut response,
        SESSION_COOKIE,
        &logged_in.issued.token,
        SESSION.as_secs(),
    )?;
    set_cookie(&mut response, DEVICE_COOKIE, &logged_in.device, DEVICE_S)?;
    set_cookie(&mut response, LOGIN_COOKIE, "", 0)?;
    Ok(response)
}

/// `POST /logout` (csrf): revokes the session's token and forgets the cookie.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    if let Some(session) = WebSession::of(&state, &headers).await? {
        session.check(&form)?;
        accounts::revoke(&state.store, &session.caller)
            .await
            .map_err(|e| Problem::internal(&e))?;
    }
    let mut response = Redirect::to("/").into_response();
    set_cookie(&mut response, SESSION_COOKIE, "", 0)?;
    Ok(response)
}

/// A fresh random token for a double-submit cookie (a form outside any session).
pub(super) fn nonce() -> String {
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    hex::encode(nonce)
}

/// Whether a form outside any session came from a page of this site: its `csrf` field
/// matches the cookie `name` that page set (a page of another origin can set neither).
pub(super) fn double_submitted(headers: &HeaderMap, name: &str, form: &[(String, String)]) -> bool {
    let sent = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    cookie(headers, name).is_some_and(|expected| sent == Some(expected))
}

/// Pages for one person are never kept by caches.
pub(super) fn no_store(response: &mut Response) {
    response.headers_mut().insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
}
