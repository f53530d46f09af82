//! Alerts on the desk, for commissioners and monitors: the node's webhooks with what was
//! delivered, a form to add one (a URL, the kinds of entry, and optionally the accused
//! party and a least number killed) and a button to delete one. The form builds the same
//! request `POST /api/v1/webhooks` takes and goes through the same checks; the signing
//! secret is shown once, on the page that answers the form, never in a URL.

use serde_json::{Map, Value, json};

use super::forms::Fields;
use crate::session::WebSession;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::webhooks::delivery::{self, DeliveryCounts};
use truce_api::webhooks::{self, Webhook};

/// The kinds the form offers: what the mechanism's staff would want to hear of at once.
pub const KINDS: [&str; 7] = [
    "report.submitted",
    "statement.filed",
    "finding.proposed",
    "finding.finalized",
    "measure.updated",
    "crossing.status",
    "evidence.accessed",
];

/// A webhook as the desk lists it.
pub struct Listed {
    pub id: String,
    pub url: String,
    pub kinds: String,
    /// The conditions as the API shows them (JSON), empty when there are none.
    pub filter: String,
    pub description: String,
    pub created_by: String,
    pub delivered: i64,
    pub pending: i64,
    pub failed: i64,
}

/// A webhook just made, with its secret: shown once.
pub struct Created {
    pub id: String,
    pub secret: String,
}

/// Whether the person may see and manage alerts.
#[must_use]
pub fn may(session: &WebSession) -> bool {
    webhooks::is_staff(session.caller.person.role)
}

/// The node's webhooks, oldest first, for the desk.
pub async fn listed(state: &AppState) -> Result<Vec<Listed>, Problem> {
    let counts = delivery::counts_by_webhook(&state.store).await?;
    Ok(webhooks::all(&state.store)
        .await?
        .iter()
        .map(|w| list_item(w, counts.get(&w.id).copied().unwrap_or_default()))
        .collect())
}

fn list_item(webhook: &Webhook, counts: DeliveryCounts) -> Listed {
    Listed {
        id: webhook.id.clone(),
        url: webhook.url.clone(),
        kinds: webhook.kinds.join(", "),
        filter: if webhook.filter.is_empty() {
            String::new()
        } else {
            webhooks::filter::to_json(&webhook.filter).to_string()
        },
        description: webhook.description.clone(),
        created_by: webhook.created_by.clone(),
        delivered: number(counts.delivered),
        pending: number(counts.pending),
        failed: number(counts.failed),
    }
}

/// A count as the page's number formatter takes it.
fn number(count: u64) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// `POST /desk/alert` (`alert_url`, `alert_kinds`…, `alert_accused`, `alert_killed_min`,
/// `alert_description`: prefixed so that a refused alert does not fill the report form).
pub async fn add(
    state: &AppState,
    session: &WebSession,
    form: &Fields<'_>,
) -> Result<Created, Problem> {
    webhooks::check_staff(&session.caller.person)?;
    let name = &session.caller.person.name;
    let (webhook, secret) =
        webhooks::subscribe(&state.store, &state.config, &request(form)?, name).await?;
    Ok(Created {
        id: webhook.id,
        secret,
    })
}

/// The API request the form stands for. Its own fields are checked here, naming them;
/// the rest is `webhooks::check`'s.
fn request(form: &Fields<'_>) -> Result<Map<String, Value>, Problem> {
    let kinds: Vec<&str> = form.all("alert_kinds");
    if kinds.is_empty() {
        return Err(Problem::bad_request(
            "kinds",
            "kinds: tick at least one kind of entry",
        ));
    }
    let mut filter = vec![];
    let accused = form.get("alert_accused");
    if !accused.is_empty() {
        filter.push(json!({"path": "/payload/accused", "equals": accused}));
    }
    let killed = form.get("alert_killed_min");
    if !killed.is_empty() {
        let least: u32 = killed.parse().map_err(|_| {
            Problem::bad_request(
                "killed_min",
                format!("killed_min: must be a whole number of people, or empty (got {killed:?})"),
            )
        })?;
        filter.push(json!({"path": "/payload/casualties/killed/best", "at_least": least}));
    }
    let mut body = Map::new();
    body.insert("url".into(), json!(form.get("alert_url")));
    body.insert("kinds".into(), json!(kinds));
    body.insert("filter".into(), json!(filter));
    body.insert("description".into(), json!(form.get("alert_description")));
    Ok(body)
}

/// `POST /desk/alert-delete` (id): unsubscribes, as `DELETE /api/v1/webhooks/{id}` does.
pub async fn delete(
    state: &AppState,
    session: &WebSession,
    form: &Fields<'_>,
) -> Result<String, Problem> {
    webhooks::check_staff(&session.caller.person)?;
    let id = form.get("id");
    let Some(webhook) = webhooks::get(&state.store, id).await? else {
        return Err(Problem::bad_request(
            "id",
            format!("id: there is no alert {id:?}"),
        ));
    };
    webhooks::check_deletion(&webhook, &session.caller.person)?;
    webhooks::remove(&state.store, id).await?;
    Ok("/desk#alerts-h".into())
}
