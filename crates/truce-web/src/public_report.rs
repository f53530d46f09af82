//! `/report`: the anonymous form through which anyone tells the mechanism what they saw,
//! and `/report/{id}`, where its sender (holding the unguessable reference) can see what
//! became of it. No account, no address kept; see [`truce_api::intake`] for what is kept and
//! why it stays off the log until a monitor files it.
//!
//! The form works without JavaScript; with it, `offline.js` keeps a draft the network
//! failed to carry and sends it when the link returns, as on the desk. Cross-site posts
//! are refused by a double-submit cookie, since there is no session to key a token to.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::Chrome;
use super::desk::forms::Fields;
use super::lang::Lang;
use super::session::{double_submitted, no_store, nonce, set_cookie};
use truce_api::intake::{self, ContactKept, PublicReport};
use truce_api::problem::Problem;
use truce_api::state::AppState;

/// The cookie the form's hidden `csrf` field must match. It outlives a login form's,
/// because a draft kept offline may be sent days later.
const FORM_COOKIE: &str = "truce_public";
const FORM_COOKIE_S: u64 = 7 * 24 * 3_600;

#[derive(Template)]
#[template(path = "public_report.html")]
pub struct PublicForm {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub script: &'static str,
    pub log_size: u64,
    pub csrf: String,
    /// False when the node's limits close the form.
    pub open: bool,
    /// Why the form just sent was refused, naming the field.
    pub error: Option<String>,
    pub draft: HashMap<String, String>,
    /// The latest date the date field accepts.
    pub today: String,
    /// The proof-of-work challenge and the zero bits it asks for (0: none, `truce_api::work`).
    pub work: String,
    pub work_bits: u32,
    /// What becomes of a contact left here: sealed, kept for monitors, or not taken.
    pub contact: intake::ContactKept,
}

impl Chrome for PublicForm {}

impl PublicForm {
    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }

    fn typed(&self, field: &str) -> String {
        self.draft.get(field).cloned().unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "public_status.html")]
pub struct PublicStatus {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub log_size: u64,
    pub id: String,
    pub received: String,
    pub status: String,
    pub filed_index: Option<i64>,
    pub dismissal: Option<String>,
}

impl Chrome for PublicStatus {}

impl PublicStatus {
    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }
}

/// `GET /report`: the empty form.
pub async fn form(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    let mut response = form_page(&state, lang, None, HashMap::new(), StatusCode::OK).await?;
    super::remember_lang(&mut response, asked, lang)?;
    Ok(response)
}

async fn form_page(
    state: &AppState,
    lang: Lang,
    error: Option<String>,
    draft: HashMap<String, String>,
    status: StatusCode,
) -> Result<Response, Problem> {
    let limits = &state.config.limits;
    let csrf = nonce();
    let work_bits = work_bits(state).await?;
    let page = PublicForm {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        script: super::assets::OFFLINE.path(),
        log_size: state.store.head().await?.size,
        csrf: csrf.clone(),
        open: limits.public_reports_pending_max > 0 && limits.public_reports_hour_max > 0,
        error,
        draft,
        today: latest_day(),
        work: state
            .work
            .challenge(work_bits, truce_node::sequencer::unix_ms()),
        work_bits,
        contact: intake::contact_kept(&state.store).await?,
    };
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    let mut response = (status, Html(html)).into_response();
    set_cookie(&mut response, FORM_COOKIE, &csrf, FORM_COOKIE_S)?;
    no_store(&mut response);
    Ok(response)
}

/// The bits of work a public report costs now, from how full the monitors' queue is.
async fn work_bits(state: &AppState) -> Result<u32, Problem> {
    let pending = state.store.pending_public_reports().await?;
    let max = u64::try_from(state.config.limits.public_reports_pending_max).unwrap_or(u64::MAX);
    Ok(truce_api::work::bits(pending, max))
}

/// The latest day an event can have happened on: today somewhere on the border. Kabul is
/// UTC+4:30 and Islamabad UTC+5, so a report sent after their midnight may be dated a day
/// after UTC's; fourteen hours ahead of UTC covers every time zone.
fn latest_day() -> String {
    let ahead = time::OffsetDateTime::now_utc() + time::Duration::hours(14);
    ahead.date().to_string()
}

/// `POST /report`: keeps the report and sends the browser to its status page, or shows
/// the form again with what was typed and why it was refused.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let lang = Lang::negotiate(None, &headers);
    let fields = Fields::new(&form);
    let refused = |problem: Problem| {
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_REQUEST);
        (Some(problem.detail), status)
    };
    let (error, status) = if double_submitted(&headers, FORM_COOKIE, &form) {
        let checked = intake::check(|name| fields.get(name), lang.tag(), &latest_day());
        let worked = match checked {
            Ok(report) => worked(&state, &fields).await.map(|()| report),
            Err(problem) => Err(problem),
        };
        let kept = match worked {
            Ok(report) => {
                let sealed = &state.sealed;
                intake::receive(&state.store, sealed, &state.config.limits, report).await
            }
            Err(problem) => Err(problem),
        };
        match kept {
            Ok(id) => return Ok(Redirect::to(&format!("/report/{id}")).into_response()),
            Err(problem) if problem.status < 500 || problem.status == 503 => refused(problem),
            Err(problem) => return Err(problem),
        }
    } else {
        (Some(lang.t("public-error-csrf")), StatusCode::FORBIDDEN)
    };
    form_page(&state, lang, error, fields.draft(), status).await
}

/// Checks the form's proof of work against what the queue asks for now.
async fn worked(state: &AppState, fields: &Fields<'_>) -> Result<(), Problem> {
    let demanded = work_bits(state).await?;
    let now = truce_node::sequencer::unix_ms();
    state
        .work
        .check(fields.get("work"), fields.get("nonce"), demanded, now)
}

/// `GET /report/{id}`: what became of a public report, for whoever holds its reference.
/// It shows only the status, never what was written or the contact left.
pub async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    let found = if id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        intake::get(&state.store, &id).await?
    } else {
        None
    };
    let Some(report) = found else {
        return Err(Problem::not_found(format!("no public report {id}")));
    };
    let page = status_page(&state, lang, report).await?;
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    let mut response = Html(html).into_response();
    no_store(&mut response);
    super::remember_lang(&mut response, asked, lang)?;
    Ok(response)
}

async fn status_page(
    state: &AppState,
    lang: Lang,
    report: PublicReport,
) -> Result<PublicStatus, Problem> {
    Ok(PublicStatus {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        log_size: state.store.head().await?.size,
        received: super::dates::minute(
            lang,
            &truce_api::v1::entries::rfc3339_ms(report.received_ms),
        ),
        id: report.id,
        status: report.status,
        filed_index: report.filed_index,
        dismissal: report.dismissal,
    })
}
