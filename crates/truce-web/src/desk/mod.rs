//! `/desk`: a logged-in person's work page, with the forms their role may use. Liaisons,
//! monitors and field devices file reports; liaisons file their party's statements and
//! replies; commissioners (and monitors of an eligible delegation) see the findings awaiting
//! signatures, with the quorum and the reply deadlines, and concur, dissent or finalize.
//!
//! Each form is turned into a payload and signed for the person by `api::actions::sign_for`,
//! exactly as `POST /api/v1/actions` does; the log's admission decides, and a refusal comes
//! back on the same page naming the field, with what was typed kept.

pub(crate) mod alerts;
pub(crate) mod forms;
pub(crate) mod public;

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use truce_core::mechanism::ObservedKind;
use truce_core::{Role, kinds};
use truce_store::read::findings::FindingRow;
use truce_store::read::liaison::ContactRow;
use truce_store::read::workflow::InvestigationRow;

use super::Chrome;
use super::lang::Lang;
use super::names::Names;
use super::session::{WebSession, no_store};
use forms::Fields;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;
use truce_api::v1::listing::Page;

#[derive(Template)]
#[template(path = "desk.html")]
pub struct Desk {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub script: &'static str,
    pub log_size: u64,
    pub csrf: String,
    pub name: String,
    pub role: String,
    pub delegation: String,
    /// The entry just written, when the page follows a successful form.
    pub done: Option<u64>,
    /// The refusal of the form just sent: which field and why.
    pub error: Option<String>,
    /// What was typed into the refused form, by field name.
    pub draft: HashMap<String, String>,
    pub can: Can,
    pub investigations: Vec<(u64, String)>,
    pub parties: Vec<(String, String)>,
    pub provisions: Vec<(String, String)>,
    pub event_types: Vec<String>,
    /// The kinds an observation counts, as the payload names them.
    pub observed_kinds: Vec<&'static str>,
    pub incidents: Vec<(u64, String)>,
    pub queue: Vec<Awaiting>,
    pub quorum: String,
    /// Reports from the public waiting for a monitor (monitors only).
    pub public_queue: Vec<public::Waiting>,
    /// The node's alerts (commissioners and monitors only).
    pub alerts: Option<Vec<alerts::Listed>>,
    pub alert_kinds: &'static [&'static str],
    /// The alert the form just set, with its secret (shown this once).
    pub created_alert: Option<alerts::Created>,
    /// Liaison contacts with the person's own party not yet acknowledged (liaisons only).
    pub to_acknowledge: Vec<ContactRow>,
    /// Requests to unseal a testimony the person holds a share of, open and not yet
    /// approved by them (custodians only).
    pub to_approve: Vec<UnsealAwaiting>,
}

/// A request to unseal that a custodian may approve, from their own machine.
pub struct UnsealAwaiting {
    pub index: u64,
    pub testimony: u64,
    pub pseudonym: String,
    pub requester: String,
    pub reason: String,
    pub expires: String,
    /// The command that approves it (the desk never holds a custodian's key).
    pub command: String,
}

impl Chrome for Desk {}

/// The forms the person's role may use.
#[allow(clippy::struct_excessive_bools)] // one switch per form, read by the template
pub struct Can {
    pub report: bool,
    pub state: bool,
    pub sign: bool,
    /// Monitors open incidents and investigations, record steps and propose findings.
    pub investigate: bool,
    /// Monitors, devices and liaisons (a party's own counts) record observations.
    pub observe: bool,
    /// Monitors, devices and liaisons (the other side's) record restrictions.
    pub restrict: bool,
    /// Monitors and commissioners open liaison contacts.
    pub contact: bool,
    /// Monitors set reports' verification status and reconcile casualty figures.
    pub verify: bool,
    /// Monitors register sensors; monitors and devices record their status.
    pub sensors: bool,
}

/// A finding awaiting signatures or replies.
pub struct Awaiting {
    pub index: u64,
    pub incident: u64,
    pub provision: String,
    pub determination: String,
    pub party: String,
    pub concur: String,
    pub dissent: String,
    pub yet_to_reply: String,
    pub reply_due: String,
    pub reply_window_open: bool,
}

impl Desk {
    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }

    fn typed(&self, field: &str) -> String {
        self.draft.get(field).cloned().unwrap_or_default()
    }

    fn chosen(&self, field: &str, value: &str) -> bool {
        self.draft.get(field).is_some_and(|v| v == value)
    }

    /// Whether a refused form had `value` ticked among the checkboxes `field`.
    fn listed(&self, field: &str, value: &str) -> bool {
        self.draft
            .get(field)
            .is_some_and(|list| list.split(',').any(|v| v == value))
    }

    fn checked(&self, provision: &str) -> bool {
        self.draft
            .get("provisions")
            .is_some_and(|list| list.split(',').any(|p| p == provision))
    }
}

/// `GET /desk?done=N`: the page, or the login form for a browser without a session.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let Some(session) = WebSession::of(&state, &headers).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let done = query.get("done").and_then(|d| d.parse().ok());
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    // A monitor preparing a report from a public one starts from what the public wrote.
    let draft = match query.get("intake") {
        Some(id) if session.caller.person.role == Role::Monitor => {
            public::draft(&state, id).await?
        }
        _ => HashMap::new(),
    };
    let desk = Desk::read(&state, lang, &session, done, None, draft).await?;
    let mut response = render(&desk, StatusCode::OK)?;
    // The forms' answers come back in the language the desk was asked in.
    super::remember_lang(&mut response, asked, lang)?;
    Ok(response)
}

fn render(desk: &Desk, status: StatusCode) -> Result<Response, Problem> {
    let html = desk.render().map_err(|e| Problem::internal(&e))?;
    let mut response = (status, Html(html)).into_response();
    no_store(&mut response);
    Ok(response)
}

/// `POST /desk/{form}`: one of the desk's forms, signed and submitted for the person.
pub async fn submit(
    State(state): State<AppState>,
    axum::extract::Path(which): axum::extract::Path<String>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let Some(session) = WebSession::of(&state, &headers).await? else {
        return Err(Problem::unauthorized(
            "log in first: your session has ended",
        ));
    };
    session.check(&form)?;
    let fields = Fields::new(&form);
    match which.as_str() {
        "dismiss" => {
            let outcome = public::dismiss(&state, &session, &fields).await;
            return answer(&state, &headers, &session, &fields, outcome).await;
        }
        "alert-delete" => {
            let outcome = alerts::delete(&state, &session, &fields).await;
            return answer(&state, &headers, &session, &fields, outcome).await;
        }
        "alert" => return alert_set(&state, &headers, &session, &fields).await,
        _ => {}
    }
    let built = match which.as_str() {
        "report" => forms::report(&fields).map(|p| ("report.submitted", p)),
        "statement" => forms::statement(&fields, &session).map(|p| ("statement.filed", p)),
        "sign" => forms::signature(&fields).map(|p| ("finding.signed", p)),
        "finalize" => forms::finalize(&fields).map(|p| ("finding.finalized", p)),
        "incident" => forms::incident(&fields).map(|p| ("incident.opened", p)),
        "investigation" => {
            forms::investigation(&fields, &session).map(|p| ("investigation.opened", p))
        }
        "step" => forms::step(&fields).map(|p| ("investigation.step", p)),
        "finding" => forms::finding(&fields).map(|p| ("finding.proposed", p)),
        "observation" => forms::observation(&fields).map(|p| (kinds::OBSERVATION_RECORDED, p)),
        "restriction" => forms::restriction(&fields).map(|p| (kinds::RESTRICTION_RECORDED, p)),
        "acknowledge" => forms::acknowledgement(&fields).map(|p| (kinds::LIAISON_ACKNOWLEDGED, p)),
        "contact" => forms::contact(&fields).map(|p| (kinds::LIAISON_CONTACT, p)),
        "verification" => forms::verification(&fields).map(|p| (kinds::REPORT_VERIFIED, p)),
        "reconciliation" => {
            forms::reconciliation(&fields).map(|p| (kinds::CASUALTIES_RECONCILED, p))
        }
        "outcome" => forms::contact_outcome(&fields).map(|p| (kinds::LIAISON_OUTCOME, p)),
        "sensor" => forms::sensor(&fields).map(|p| (kinds::SENSOR_REGISTERED, p)),
        "sensor-status" => forms::sensor_status(&fields).map(|p| (kinds::SENSOR_STATUS, p)),
        other => return Err(Problem::not_found(format!("no desk form {other}"))),
    };
    let outcome = match built {
        Ok((kind, payload)) => {
            api::actions::sign_for(&state, &session.caller, kind, payload, vec![]).await
        }
        Err(problem) => Err(problem),
    };
    if let (Ok(receipt), "report") = (&outcome, which.as_str()) {
        public::filed(&state, &session, fields.get("intake"), receipt.index).await;
    }
    let then = outcome.map(|receipt| written(receipt.index));
    answer(&state, &headers, &session, &fields, then).await
}

/// The desk after the alert form: the page with the new alert's secret, shown this once
/// (never in a URL), or the refusal with the draft kept.
async fn alert_set(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    fields: &Fields<'_>,
) -> Result<Response, Problem> {
    match alerts::add(state, session, fields).await {
        Ok(created) => {
            let lang = Lang::negotiate(None, headers);
            let mut desk = Desk::read(state, lang, session, None, None, HashMap::new()).await?;
            desk.created_alert = Some(created);
            render(&desk, StatusCode::CREATED)
        }
        Err(problem) => answer(state, headers, session, fields, Err(problem)).await,
    }
}

/// Where the desk goes after a form that wrote entry `index`: the page naming it.
fn written(index: u64) -> String {
    format!("/desk?done={index}")
}

/// The desk after a form: where the form's success leads (`then`), or the refusal on the
/// page with the draft kept.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    fields: &Fields<'_>,
    then: Result<String, Problem>,
) -> Result<Response, Problem> {
    match then {
        Ok(location) => Ok(Redirect::to(&location).into_response()),
        Err(problem) if problem.status < 500 => {
            let lang = Lang::negotiate(None, headers);
            let error = Some(refusal(&problem));
            let draft = fields.draft();
            let desk = Desk::read(state, lang, session, None, error, draft).await?;
            let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_REQUEST);
            render(&desk, status)
        }
        Err(problem) => Err(problem),
    }
}

/// A refusal in one line: the field it names, then why.
fn refusal(problem: &Problem) -> String {
    match &problem.field {
        Some(field) if !problem.detail.starts_with(field.as_str()) => {
            format!("{field}: {}", problem.detail)
        }
        _ => problem.detail.clone(),
    }
}

impl Desk {
    async fn read(
        state: &AppState,
        lang: Lang,
        session: &WebSession,
        done: Option<u64>,
        error: Option<String>,
        draft: HashMap<String, String>,
    ) -> Result<Desk, Problem> {
        let person = &session.caller.person;
        let role = person.role;
        let names = Names::read(state, lang).await?;
        let genesis = state.genesis().await?;
        let eligible = genesis
            .as_ref()
            .is_some_and(|g| g.quorum.finding.eligible.contains(&person.delegation));
        let quorum = genesis.as_ref().map_or_else(String::new, |g| {
            let rule = &g.quorum.finding;
            let eligible: Vec<&str> = rule
                .eligible
                .iter()
                .map(truce_core::DelegationId::as_str)
                .collect();
            format!("{} / {}", rule.delegations_min, eligible.join(", "))
        });
        let can_sign = eligible && role.may_sign(kinds::FINDING_SIGNED);
        Ok(Desk {
            lang,
            languages: &Lang::ALL,
            css: super::assets::CSS.path(),
            script: super::assets::OFFLINE.path(),
            log_size: state.store.head().await?.size,
            csrf: session.csrf(),
            name: person.name.clone(),
            role: role.as_str().to_string(),
            delegation: person.delegation.to_string(),
            done,
            error,
            draft,
            can: Can {
                report: role.may_sign(kinds::REPORT_SUBMITTED),
                state: role.may_sign(kinds::STATEMENT_FILED),
                sign: can_sign,
                investigate: role.may_sign(kinds::INVESTIGATION_OPENED),
                observe: role.may_sign(kinds::OBSERVATION_RECORDED),
                restrict: role.may_sign(kinds::RESTRICTION_RECORDED),
                contact: role.may_sign(kinds::LIAISON_CONTACT),
                verify: role.may_sign(kinds::REPORT_VERIFIED),
                sensors: role.may_sign(kinds::SENSOR_STATUS),
            },
            investigations: if role.may_sign(kinds::INVESTIGATION_STEP) {
                investigations(state).await?
            } else {
                vec![]
            },
            parties: names.parties().to_vec(),
            provisions: names.provisions().to_vec(),
            event_types: forms::event_choices(),
            observed_kinds: ObservedKind::ALL.iter().map(|k| k.as_str()).collect(),
            to_acknowledge: if role.may_sign(kinds::LIAISON_ACKNOWLEDGED) {
                unacknowledged(state, person.delegation.as_str()).await?
            } else {
                vec![]
            },
            to_approve: to_approve(state, lang, person.key.as_str()).await?,
            incidents: incidents(state).await?,
            queue: if can_sign {
                queue(state, lang, &names).await?
            } else {
                vec![]
            },
            quorum,
            public_queue: if role == Role::Monitor {
                public::waiting(state, lang).await?
            } else {
                vec![]
            },
            alerts: if alerts::may(session) {
                Some(alerts::listed(state).await?)
            } else {
                None
            },
            alert_kinds: &alerts::KINDS,
            created_alert: None,
        })
    }
}

/// The open requests to unseal that `custodian` has not approved, newest first.
async fn to_approve(
    state: &AppState,
    lang: Lang,
    custodian: &str,
) -> Result<Vec<UnsealAwaiting>, Problem> {
    let mut awaiting = vec![];
    for request in state.store.requests_awaiting(custodian).await? {
        let (testimony, status) = api::testimony::request_status(state, &request).await?;
        if status != "open" {
            continue;
        }
        awaiting.push(UnsealAwaiting {
            index: request.index,
            testimony: request.testimony_idx,
            pseudonym: testimony.pseudonym,
            expires: crate::dates::minute(lang, &request.expires_at),
            command: format!(
                "truce testimony approve --key KEY --custodian-key CUSTODIAN-KEY --request {}",
                request.index
            ),
            requester: request.requester,
            reason: request.reason,
        });
    }
    Ok(awaiting)
}

/// The newest incidents, for the statement form's choice.
async fn incidents(state: &AppState) -> Result<Vec<(u64, String)>, Problem> {
    let query = HashMap::from([("limit".to_string(), "50".to_string())]);
    let list = api::incidents::page(state, &query).await?;
    Ok(list.items.into_iter().map(|i| (i.index, i.title)).collect())
}

/// The open investigations, for the step and finding forms' choice.
async fn investigations(state: &AppState) -> Result<Vec<(u64, String)>, Problem> {
    let query = HashMap::from([
        ("limit".to_string(), "50".to_string()),
        ("status".to_string(), "open".to_string()),
    ]);
    let list: Page<InvestigationRow> =
        api::workflow::page_of(state, &api::workflow::INVESTIGATIONS, &query).await?;
    Ok(list
        .items
        .into_iter()
        .map(|i| (i.index, i.mandate))
        .collect())
}

/// The contacts opened with `party` that it has not acknowledged, newest first (among
/// its latest contacts: an old unanswered one stays in the compliance figures).
async fn unacknowledged(state: &AppState, party: &str) -> Result<Vec<ContactRow>, Problem> {
    let query = HashMap::from([
        ("limit".to_string(), "100".to_string()),
        ("party".to_string(), party.to_string()),
    ]);
    let list: Page<ContactRow> =
        api::workflow::page_of(state, &api::workflow::CONTACTS, &query).await?;
    Ok(list
        .items
        .into_iter()
        .filter(|c| c.acknowledged_idx.is_none())
        .collect())
}

/// The findings that are not final yet, newest first.
async fn queue(state: &AppState, lang: Lang, names: &Names) -> Result<Vec<Awaiting>, Problem> {
    let query = HashMap::from([("limit".to_string(), "100".to_string())]);
    let list = api::workflow::findings_page(state, &query).await?;
    Ok(list
        .items
        .into_iter()
        .filter(|f| f.finding.status != "final")
        .map(|view| {
            let f = &view.finding;
            Awaiting {
                index: f.index,
                incident: f.incident_idx,
                provision: names.provision(&f.provision),
                determination: f.determination.clone(),
                party: names.delegation(f.party.as_deref().unwrap_or_default()),
                concur: joined(&f.concur),
                dissent: joined(&f.dissent),
                yet_to_reply: yet_to_reply(f),
                reply_due: super::dates::minute(lang, &f.reply_due),
                reply_window_open: view.reply_window_open,
            }
        })
        .collect())
}

/// The accused parties that have not replied yet (`awaiting` lists every accused party).
fn yet_to_reply(finding: &FindingRow) -> String {
    let replied = |party: &String| finding.replied.iter().any(|r| &r.party == party);
    let pending: Vec<String> = finding
        .awaiting
        .iter()
        .filter(|party| !replied(party))
        .cloned()
        .collect();
    joined(&pending)
}

fn joined(list: &[String]) -> String {
    if list.is_empty() {
        "—".into()
    } else {
        list.join(", ")
    }
}
