//! The delivery task: follows the log, queues a delivery for each entry a webhook wants,
//! and posts the due ones, signed; a failure is tried again after a growing wait, up to
//! `limits.webhook_attempts_max` attempts, and every outcome is kept.
//!
//! Queueing moves a webhook's cursor in the same transaction as the deliveries it queues,
//! so a restart neither skips an entry nor queues one twice; a delivery's id stays the
//! same across attempts (`webhook-id`), so a receiver can drop one it has seen. Due
//! deliveries are sent a few at once, so they may arrive out of log order; each names its
//! log index. Only the process that sequences runs it (`Store::leads`), and it never holds
//! up the sequencer: a receiver that is down only delays its own alerts.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use truce_log::SignedEntry;
use truce_store::Store;
use truce_store::webhooks::deliveries::{Attempt, DeliveryCount, DeliveryRow, NewDelivery, Queued};

use super::{Webhook, signing};
use crate::problem::Problem;
use truce_node::config::{Config, Limits};

/// How often the log and the queue are looked at.
const POLL_MS: u64 = 200;
/// The most entries matched in one transaction.
const QUEUE_ENTRIES_MAX: u64 = 1_000;
/// The most deliveries attempted at once.
const SEND_AT_ONCE: usize = 32;
/// Each retry waits this many times the previous wait...
const BACKOFF_FACTOR: u64 = 4;
/// ...up to this (six hours).
const BACKOFF_MS_MAX: u64 = 6 * 3_600_000;
/// The longest error text kept for an attempt.
const ERROR_CHARS_MAX: usize = 300;

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

/// Starts the delivery task.
#[must_use]
pub fn spawn(
    store: Store,
    config: Arc<Config>,
    key: super::secrets::SecretsKey,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = client(&config);
        let mut clear_sealed = false;
        loop {
            if store.leads() && !clear_sealed {
                clear_sealed = super::seal_clear_secrets(&store, &key)
                    .await
                    .inspect_err(|e| tracing::warn!(error = %e.detail, "sealing webhook secrets"))
                    .is_ok();
            }
            if store.leads()
                && let Err(e) = pass(&store, &config, &client, &key).await
            {
                tracing::warn!(error = %e.detail, "webhook deliveries: will try again");
            }
            tokio::time::sleep(Duration::from_millis(POLL_MS)).await;
        }
    })
}

/// The client deliveries go through. No proxy, whatever `HTTP_PROXY` and the like say:
/// through a proxy the proxy resolves the name, and the address filter
/// (`network::PublicOnly`) would never see where the delivery goes.
fn client(config: &Config) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .timeout(Duration::from_millis(config.limits.webhook_timeout_ms))
        // A receiver answers; it does not send the node elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    if !config.webhooks_private_networks {
        builder = builder.dns_resolver(super::network::PublicOnly);
    }
    builder.build().expect("a default HTTP client builds")
}

/// Queues what the log has new, then sends what is due, until nothing more is.
async fn pass(
    store: &Store,
    config: &Config,
    client: &reqwest::Client,
    key: &super::secrets::SecretsKey,
) -> Result<(), Problem> {
    loop {
        let webhooks: Vec<Webhook> = super::all(store)
            .await?
            .into_iter()
            .filter_map(|w| w.opened(key))
            .collect();
        if webhooks.is_empty() {
            return Ok(());
        }
        let queued_all = queue(store, &webhooks).await?;
        let sent = send_due(store, config, client, &webhooks).await?;
        if queued_all && sent < SEND_AT_ONCE {
            return Ok(());
        }
    }
}

/// Matches the entries after the least advanced webhook's cursor (a chunk at most)
/// against every webhook; answers whether every cursor reached the log's head.
async fn queue(store: &Store, webhooks: &[Webhook]) -> Result<bool, Problem> {
    let head = store.head().await?.size;
    let Some(start) = webhooks.iter().map(|w| w.next_index).min() else {
        return Ok(true);
    };
    if start >= head {
        return Ok(true);
    }
    let end = head.min(start + QUEUE_ENTRIES_MAX);
    let notes = store.notes(start, end).await?;
    let mut queued = Queued {
        next_index: end,
        ..Queued::default()
    };
    for (index, note) in (start..end).zip(notes) {
        let entry = envelope(index, note)?;
        for webhook in webhooks {
            if webhook.next_index <= index && webhook.wants(&entry) {
                queued.deliveries.push(delivery(webhook, index, &entry));
            }
        }
    }
    queued.advanced = webhooks
        .iter()
        .filter(|w| w.next_index < end)
        .map(|w| w.id.clone())
        .collect();
    store
        .queue_deliveries(&queued)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok(end == head)
}

fn envelope(index: u64, note: Vec<u8>) -> Result<Value, Problem> {
    let entry = SignedEntry::parse(note)
        .map_err(|e| Problem::internal(&format!("stored entry {index} does not parse: {e}")))?;
    serde_json::from_slice(entry.text()).map_err(|e| Problem::internal(&e))
}

/// A delivery to queue, due now; the store queues nothing if the webhook was deleted
/// meanwhile, or it is queued already.
fn delivery(webhook: &Webhook, index: u64, entry: &Value) -> NewDelivery {
    let kind = entry.get("kind").and_then(Value::as_str).unwrap_or("");
    NewDelivery {
        webhook_id: webhook.id.clone(),
        index,
        kind: kind.to_string(),
        next_attempt_ms: truce_node::sequencer::unix_ms(),
    }
}

/// Attempts the deliveries that are due (a batch at most); answers how many.
async fn send_due(
    store: &Store,
    config: &Config,
    client: &reqwest::Client,
    webhooks: &[Webhook],
) -> Result<usize, Problem> {
    let now = truce_node::sequencer::unix_ms();
    let due = store
        .due_deliveries(now, SEND_AT_ONCE)
        .await
        .map_err(|e| Problem::internal(&e))?;
    let by_id: HashMap<&str, &Webhook> = webhooks.iter().map(|w| (w.id.as_str(), w)).collect();
    let attempts = due.iter().filter_map(|d| {
        let webhook = by_id.get(d.webhook_id.as_str())?;
        Some(attempt(store, config, client, webhook, d.index, d.attempts))
    });
    let outcomes = futures::future::join_all(attempts).await;
    let recorded: Vec<Attempt> = outcomes.into_iter().collect::<Result<_, _>>()?;
    store
        .record_attempts(&recorded)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok(due.len())
}

/// One attempt; answers its outcome, to record.
async fn attempt(
    store: &Store,
    config: &Config,
    client: &reqwest::Client,
    webhook: &Webhook,
    index: u64,
    attempts_before: i64,
) -> Result<Attempt, Problem> {
    let Some(stored) = store.entry(index).await? else {
        return Err(Problem::internal(&format!(
            "entry {index} is queued but not stored"
        )));
    };
    let mut data = crate::v1::entries::entry_json(&stored)?;
    let kind = data["entry"]["kind"].as_str().unwrap_or("").to_string();
    data["links"] = json!({
        "entry": format!("/api/v1/entries/{index}"),
        "proof": format!("/api/v1/entries/{index}/proof"),
    });
    let body = json!({"type": kind, "timestamp": data["logged_at"], "data": data}).to_string();
    let id = format!("{}-{index}", webhook.id);
    let timestamp = u64::try_from(truce_node::sequencer::unix_ms() / 1_000).unwrap_or(0);
    if !config.webhooks_private_networks
        && let Some(host) = reqwest::Url::parse(&webhook.url)
            .ok()
            .as_ref()
            .and_then(super::network::refused_host)
    {
        // Made while private networks were allowed; they no longer are.
        let error =
            format!("{host} is a loopback or private-network address (webhooks_private_networks)");
        return Ok(outcome(
            &config.limits,
            webhook,
            index,
            attempts_before + 1,
            None,
            Some(&error),
        ));
    }
    let answer = client
        .post(&webhook.url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            signing::sign(webhook.secret(), &id, timestamp, body.as_bytes()),
        )
        .body(body)
        .send()
        .await;
    let (status, error) = match answer {
        Ok(answer) if answer.status().is_success() => (Some(answer.status().as_u16()), None),
        Ok(answer) => (
            Some(answer.status().as_u16()),
            Some(format!("answered {}", answer.status())),
        ),
        Err(e) => (None, Some(short(&chain(&e)))),
    };
    Ok(outcome(
        &config.limits,
        webhook,
        index,
        attempts_before + 1,
        status,
        error.as_deref(),
    ))
}

/// An error with its causes, which say what actually went wrong ("connection refused",
/// or that a name resolves only to private addresses).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

fn short(text: &str) -> String {
    text.chars().take(ERROR_CHARS_MAX).collect()
}

/// An attempt's outcome: delivered, tried again later, or given up on.
fn outcome(
    limits: &Limits,
    webhook: &Webhook,
    index: u64,
    attempts: i64,
    status: Option<u16>,
    error: Option<&str>,
) -> Attempt {
    let now = truce_node::sequencer::unix_ms();
    let gave_up = attempts >= i64::from(limits.webhook_attempts_max);
    let (state, next) = match (error, gave_up) {
        (None, _) => (DELIVERED, now),
        (Some(_), true) => (FAILED, now),
        (Some(_), false) => (PENDING, now + retry_wait_ms(limits, attempts)),
    };
    metrics::counter!("truce_webhook_attempts_total", "outcome" => state).increment(1);
    if let Some(error) = error {
        tracing::info!(webhook = %webhook.id, index, attempts, error, state, "webhook delivery failed");
    }
    Attempt {
        webhook_id: webhook.id.clone(),
        index,
        status: state.into(),
        attempts,
        next_attempt_ms: next,
        last_attempt_ms: now,
        last_status: status.map(i64::from),
        last_error: error.map(str::to_string),
        delivered_ms: error.is_none().then_some(now),
    }
}

/// The wait after the `attempts`-th failed attempt: the configured first wait, times
/// four for each attempt after the first, at most six hours.
fn retry_wait_ms(limits: &Limits, attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.saturating_sub(1)).unwrap_or(u32::MAX);
    let wait = BACKOFF_FACTOR
        .checked_pow(exponent)
        .and_then(|f| f.checked_mul(limits.webhook_retry_ms))
        .map_or(BACKOFF_MS_MAX, |w| w.min(BACKOFF_MS_MAX));
    i64::try_from(wait).unwrap_or(i64::MAX)
}

/// One delivery as the API shows it.
fn delivery_json(row: &DeliveryRow) -> Value {
    let time = crate::v1::entries::rfc3339_ms;
    let pending = row.status == PENDING;
    json!({
        "index": row.index,
        "kind": row.kind,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": pending.then(|| time(row.next_attempt_ms)),
        "last_attempt_at": row.last_attempt_ms.map(time),
        "last_status": row.last_status,
        "last_error": row.last_error,
        "delivered_at": row.delivered_ms.map(time),
    })
}

/// A webhook's deliveries, newest entry first, perhaps only those with one status.
pub async fn list(
    store: &Store,
    webhook: &str,
    status: Option<&str>,
    limit: usize,
) -> Result<Vec<Value>, Problem> {
    let rows = store
        .deliveries(webhook, status, limit)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok(rows.iter().map(delivery_json).collect())
}

/// How many of a webhook's deliveries are in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeliveryCounts {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}

impl DeliveryCounts {
    fn set(&mut self, status: &str, count: u64) {
        match status {
            PENDING => self.pending = count,
            DELIVERED => self.delivered = count,
            FAILED => self.failed = count,
            _ => tracing::warn!(status, "a webhook delivery in an unknown status"),
        }
    }
}

/// How many of a webhook's deliveries are in each status.
pub async fn counts(store: &Store, webhook: &str) -> Result<DeliveryCounts, Problem> {
    let mut all = counts_where(store, Some(webhook)).await?;
    Ok(all.remove(webhook).unwrap_or_default())
}

/// The counts of [`counts`] for every webhook, in one query (the desk lists them all);
/// a webhook without deliveries is absent.
pub async fn counts_by_webhook(store: &Store) -> Result<HashMap<String, DeliveryCounts>, Problem> {
    counts_where(store, None).await
}

async fn counts_where(
    store: &Store,
    webhook: Option<&str>,
) -> Result<HashMap<String, DeliveryCounts>, Problem> {
    let rows = store
        .delivery_counts(webhook)
        .await
        .map_err(|e| Problem::internal(&e))?;
    let mut counts: HashMap<String, DeliveryCounts> = HashMap::new();
    for DeliveryCount {
        webhook_id,
        status,
        count,
    } in rows
    {
        counts.entry(webhook_id).or_default().set(&status, count);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_fourfold_to_six_hours() {
        let limits = Limits {
            webhook_retry_ms: 5_000,
            ..Limits::default()
        };
        let waits: Vec<i64> = (1..=9).map(|a| retry_wait_ms(&limits, a)).collect();
        assert_eq!(&waits[..4], &[5_000, 20_000, 80_000, 320_000]);
        assert_eq!(waits[8], 6 * 3_600_000);
        assert_eq!(retry_wait_ms(&limits, 1_000), 6 * 3_600_000);
    }

    /// Issue 17, finding 10: with `HTTP_PROXY` set, a delivery went to the proxy, which
    /// resolved the name itself, past the address filter. The variables are read when a
    /// client is built, so the check runs in a child process of this test binary that
    /// has them (setting them here would reach every test running alongside).
    #[test]
    fn deliveries_ignore_proxy_variables() {
        const CHILD: &str = "TRUCE_TEST_PROXY_CHILD";
        if std::env::var_os(CHILD).is_some() {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            let sent = runtime.block_on(async {
                let client = client(&Config::default());
                client
                    .get("http://alerts.example.invalid/hook")
                    .send()
                    .await
            });
            // Straight to the name, which does not resolve: an error, no proxy reached.
            assert!(sent.is_err(), "{sent:?}");
            return;
        }
        let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        proxy.set_nonblocking(true).unwrap();
        let url = format!("http://{}", proxy.local_addr().unwrap());
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "webhooks::delivery::tests::deliveries_ignore_proxy_variables",
            ])
            .env(CHILD, "1")
            .env("HTTP_PROXY", &url)
            .env("http_proxy", &url)
            .env("ALL_PROXY", &url)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "the child's check failed");
        assert!(proxy.accept().is_err(), "the proxy was asked");
    }
}
