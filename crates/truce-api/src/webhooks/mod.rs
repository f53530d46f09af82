//! Alerts: webhooks that the mechanism's staff subscribe, so that a commissioner hears of
//! a serious allegation when it is logged rather than when they next look.
//!
//! A webhook names a URL, the entry kinds it wants and conditions on the entry
//! ([`filter`]). The delivery task ([`delivery`]) follows the log, queues a delivery for
//! each entry that matches, and posts it signed the Standard Webhooks way ([`signing`]),
//! retrying with a growing wait; every attempt's outcome is kept, so a subscriber can see
//! what reached it and what did not. A webhook sees entries logged after it was made.
//!
//! Webhooks are this node's operational data (like accounts), not entries: where a node
//! sends alerts is not part of the record, and the entries they carry are public anyway.
//! The trade-off: the operator could drop an alert unnoticed; the log itself still shows
//! every entry to anyone who looks.

pub mod delivery;
pub mod filter;
pub mod network;
pub mod secrets;
pub mod signing;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use truce_store::Store;
use truce_store::webhooks::{SealedSecret, WebhookRow};

use truce_core::Role;

use crate::accounts::Person;
use crate::problem::Problem;
use filter::Condition;
use truce_node::config::{Config, Limits};

const URL_CHARS_MAX: usize = 2_000;
const DESCRIPTION_CHARS_MAX: usize = 200;
pub const FIELDS: [&str; 4] = ["url", "kinds", "filter", "description"];

/// A subscription as kept.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub kinds: Vec<String>,
    pub filter: Vec<Condition>,
    pub description: String,
    pub created_by: String,
    pub created_ms: i64,
    /// The first log index the delivery task has not yet matched against it.
    pub next_index: u64,
    /// Shown once, when it is made; never by the API afterwards.
    secret: String,
}

/// A subscription as asked for, checked.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    pub kinds: Vec<String>,
    pub filter: Vec<Condition>,
    pub description: String,
}

impl Webhook {
    /// The webhook as the API shows it: everything but the secret.
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "url": self.url,
            "kinds": self.kinds,
            "filter": filter::to_json(&self.filter),
            "description": self.description,
            "created_by": self.created_by,
            "created_at": crate::v1::entries::rfc3339_ms(self.created_ms),
            "next_index": self.next_index,
        })
    }

    /// Whether an entry (as the API shows it: `/kind`, `/payload/...`) is wanted.
    #[must_use]
    pub fn wants(&self, entry: &Value) -> bool {
        let kind = entry.get("kind").and_then(Value::as_str).unwrap_or("");
        self.kinds.iter().any(|k| k == kind) && filter::matches(&self.filter, entry)
    }

    /// The webhook as kept, its secret sealed under `key`.
    fn to_row(&self, key: &secrets::SecretsKey) -> WebhookRow {
        WebhookRow {
            id: self.id.clone(),
            url: self.url.clone(),
            kinds: self.kinds.clone(),
            filter: filter::to_json(&self.filter).to_string(),
            description: self.description.clone(),
            created_by: self.created_by.clone(),
            created_ms: self.created_ms,
            next_index: self.next_index,
            secret: key.seal(&self.secret),
        }
    }

    /// The webhook kept as `row`, its secret still sealed.
    fn from_row(row: WebhookRow) -> Self {
        Self {
            id: row.id,
            url: row.url,
            kinds: row.kinds,
            filter: filter::from_stored(&row.filter),
            description: row.description,
            created_by: row.created_by,
            created_ms: row.created_ms,
            next_index: row.next_index,
            secret: row.secret,
        }
    }

    #[must_use]
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The webhook with its stored secret opened under `key`; None (and a warning) if it
    /// was sealed under another key, so that its deliveries wait rather than go unsigned.
    pub fn opened(mut self, key: &secrets::SecretsKey) -> Option<Self> {
        let Some(secret) = key.open(&self.secret) else {
            tracing::warn!(webhook = %self.id, "webhook secret sealed under another key; copy this node's {} from the node that made it", secrets::KEY_FILE);
            return None;
        };
        self.secret = secret;
        Some(self)
    }
}

/// Refuses anyone but the mechanism's staff (commissioners and monitors): where alerts
/// go is the mechanism's business, and each webhook makes the node send requests out.
pub fn check_staff(person: &Person) -> Result<(), Problem> {
    if is_staff(person.role) {
        Ok(())
    } else {
        Err(Problem::forbidden(format!(
            "webhooks are for commissioners and monitors; {} acts as {}",
            person.name,
            person.role.as_str()
        )))
    }
}

/// Whether a person acting as `role` may see and manage webhooks.
#[must_use]
pub fn is_staff(role: Role) -> bool {
    matches!(role, Role::Commissioner | Role::Monitor)
}

/// Refuses to let `person` delete `webhook` unless they made it or are a commissioner.
pub fn check_deletion(webhook: &Webhook, person: &Person) -> Result<(), Problem> {
    if webhook.created_by == person.name || person.role == Role::Commissioner {
        Ok(())
    } else {
        Err(Problem::forbidden(format!(
            "webhook {} was made by {}; only they or a commissioner may delete it",
            webhook.id, webhook.created_by
        )))
    }
}

/// Subscribes `by` with a request body (`POST /api/v1/webhooks`, or the desk's form
/// made into one): checked, then kept to see entries logged from now on. Answers the
/// webhook and its secret, shown this once.
pub async fn subscribe(
    store: &Store,
    config: &Config,
    body: &Map<String, Value>,
    by: &str,
) -> Result<(Webhook, String), Problem> {
    let new = check(body, config.webhooks_private_networks)?;
    let head = store.head().await?.size;
    let key =
        secrets::SecretsKey::load_or_create(&config.data_dir).map_err(|e| Problem::internal(&e))?;
    create(store, &config.limits, &key, new, by, head).await
}

/// Checks a request body, naming the field that is wrong. `private_networks`: whether
/// this node sends webhooks to loopback and private-network addresses
/// (`webhooks_private_networks`).
pub fn check(body: &Map<String, Value>, private_networks: bool) -> Result<NewWebhook, Problem> {
    if let Some(unknown) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(Problem::bad_request(
            unknown,
            format!(
                "{unknown}: is not a field of a webhook (fields: {})",
                FIELDS.join(", ")
            ),
        ));
    }
    let description = match body.get("description") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(d)) if d.chars().count() <= DESCRIPTION_CHARS_MAX => d.clone(),
        Some(_) => {
            return Err(Problem::bad_request(
                "description",
                format!("description: must be text of at most {DESCRIPTION_CHARS_MAX} characters"),
            ));
        }
    };
    Ok(NewWebhook {
        url: url(body.get("url"), private_networks)?,
        kinds: kinds(body.get("kinds"))?,
        filter: filter::parse(body.get("filter")).map_err(|e| Problem::bad_request("filter", e))?,
        description,
    })
}

fn url(value: Option<&Value>, private_networks: bool) -> Result<String, Problem> {
    let refuse = |why: String| Problem::bad_request("url", format!("url: {why}"));
    let Some(Value::String(text)) = value else {
        return Err(refuse(
            "must be the http:// or https:// URL deliveries are posted to".into(),
        ));
    };
    if text.chars().count() > URL_CHARS_MAX {
        return Err(refuse(format!(
            "must be at most {URL_CHARS_MAX} characters"
        )));
    }
    let parsed = reqwest::Url::parse(text).map_err(|e| refuse(format!("is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(refuse(format!(
            "must be an http:// or https:// URL (got {text:?})"
        )));
    }
    // A URL of the described form that this node will not post to: unprocessable (422).
    let unwanted = |why: String| Problem::unprocessable("url", format!("url: {why}"));
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(unwanted(
            "must not carry a user name or password; deliveries are signed".into(),
        ));
    }
    if let Some(host) = network::refused_host(&parsed).filter(|_| !private_networks) {
        return Err(unwanted(format!(
            "{host} is a loopback or private-network address; this node sends webhooks only to public addresses (webhooks_private_networks = true allows them)"
        )));
    }
    Ok(parsed.to_string())
}

fn kinds(value: Option<&Value>) -> Result<Vec<String>, Problem> {
    let refuse = |why: String| Problem::bad_request("kinds", why);
    let Some(Value::Array(items)) = value else {
        return Err(refuse(
            "kinds: must be a list of entry kinds, e.g. [\"report.submitted\"]".into(),
        ));
    };
    if items.is_empty() {
        return Err(refuse("kinds: must name at least one entry kind".into()));
    }
    let mut kinds = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let kind = item.as_str().unwrap_or_default();
        if !truce_core::kinds::KNOWN.iter().any(|(k, _)| *k == kind) {
            let known: Vec<&str> = truce_core::kinds::KNOWN.iter().map(|(k, _)| *k).collect();
            return Err(refuse(format!(
                "kinds[{i}]: {item} is not a kind of entry (kinds: {})",
                known.join(", ")
            )));
        }
        kinds.insert(kind.to_string());
    }
    Ok(kinds.into_iter().collect())
}

/// Keeps a new webhook, which will see entries from `next_index` (the log's size now) on.
/// Answers it and its secret, which is shown this once.
pub async fn create(
    store: &Store,
    limits: &Limits,
    key: &secrets::SecretsKey,
    new: NewWebhook,
    by: &str,
    next_index: u64,
) -> Result<(Webhook, String), Problem> {
    let existing = store
        .webhook_count()
        .await
        .map_err(|e| Problem::internal(&e))?;
    if existing >= limits.webhooks_max as u64 {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "too-many-webhooks",
            "Too many webhooks",
            format!(
                "this node has {existing} webhooks, the most it keeps (limits.webhooks_max); delete one first"
            ),
        ));
    }
    let webhook = Webhook {
        id: crate::intake::new_id(),
        url: new.url,
        kinds: new.kinds,
        filter: new.filter,
        description: new.description,
        created_by: by.to_string(),
        created_ms: truce_node::sequencer::unix_ms(),
        next_index,
        secret: signing::new_secret(),
    };
    store
        .add_webhook(&webhook.to_row(key))
        .await
        .map_err(|e| Problem::internal(&e))?;
    let secret = webhook.secret.clone();
    Ok((webhook, secret))
}

/// Every webhook, oldest first.
pub async fn all(store: &Store) -> Result<Vec<Webhook>, Problem> {
    let rows = store.webhooks().await.map_err(|e| Problem::internal(&e))?;
    Ok(rows.into_iter().map(Webhook::from_row).collect())
}

/// One webhook by its id.
pub async fn get(store: &Store, id: &str) -> Result<Option<Webhook>, Problem> {
    let row = store.webhook(id).await.map_err(|e| Problem::internal(&e))?;
    Ok(row.map(Webhook::from_row))
}

/// Seals the secrets kept in clear before secrets were sealed (once, at start).
pub async fn seal_clear_secrets(store: &Store, key: &secrets::SecretsKey) -> Result<(), Problem> {
    let sealed: Vec<SealedSecret> = all(store)
        .await?
        .into_iter()
        .filter(|w| !w.secret.starts_with("sealed:"))
        .map(|w| SealedSecret {
            secret: key.seal(&w.secret),
            webhook_id: w.id,
        })
        .collect();
    if sealed.is_empty() {
        return Ok(());
    }
    store
        .set_webhook_secrets(&sealed)
        .await
        .map_err(|e| Problem::internal(&e))
}

/// Deletes a webhook and the record of its deliveries; false if there was none.
pub async fn remove(store: &Store, id: &str) -> Result<bool, Problem> {
    if get(store, id).await?.is_none() {
        return Ok(false);
    }
    store
        .remove_webhook(id)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok(true)
}
