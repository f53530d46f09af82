//! Webhooks (`webhooks`) and their deliveries ([`deliveries`]): this node's operational
//! data, neither log nor projection; a rebuild leaves them alone. The server checks
//! subscriptions, matches entries and seals secrets; this module keeps what it is given.

pub mod deliveries;

use crate::model::to_i64_saturating;
use crate::projection::{Arg, Column, Write};
use crate::read::Values;
use crate::{Store, StoreError};

/// A subscription as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRow {
    pub id: String,
    pub url: String,
    /// The entry kinds subscribed to.
    pub kinds: Vec<String>,
    /// The conditions an entry must meet, as the server's JSON.
    pub filter: String,
    pub description: String,
    pub created_by: String,
    pub created_ms: i64,
    /// The first log index the delivery task has not yet matched against it.
    pub next_index: u64,
    /// The signing secret, as the server sealed it.
    pub secret: String,
}

/// A webhook's secret, sealed anew.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedSecret {
    pub webhook_id: String,
    pub secret: String,
}

const COLUMNS: &str =
    "id, url, kinds, filter, description, created_by, created_ms, next_index, secret";
const TYPES: [Column; 9] = [
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Int,
    Column::Int,
    Column::Text,
];
const INSERT: &str = "INSERT INTO webhooks (id, url, kinds, filter, description, created_by, \
    created_ms, next_index, secret) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const SET_SECRET: &str = "UPDATE webhooks SET secret = $1 WHERE id = $2";
const DELETE_DELIVERIES: &str = "DELETE FROM webhook_deliveries WHERE webhook_id = $1";
const DELETE: &str = "DELETE FROM webhooks WHERE id = $1";

impl Store {
    pub async fn add_webhook(&self, webhook: &WebhookRow) -> Result<(), StoreError> {
        let kinds = serde_json::to_string(&webhook.kinds)
            .map_err(|e| StoreError::Corrupt(format!("webhook kinds: {e}")))?;
        let args = vec![
            Arg::Text(webhook.id.clone()),
            Arg::Text(webhook.url.clone()),
            Arg::Text(kinds),
            Arg::Text(webhook.filter.clone()),
            Arg::Text(webhook.description.clone()),
            Arg::Text(webhook.created_by.clone()),
            Arg::Int(webhook.created_ms),
            Arg::Int(to_i64_saturating(webhook.next_index)),
            Arg::Text(webhook.secret.clone()),
        ];
        self.write(INSERT, args).await
    }

    pub async fn webhook_count(&self) -> Result<u64, StoreError> {
        self.count("SELECT COUNT(*) FROM webhooks".into(), &[])
            .await
    }

    /// Every webhook, oldest first.
    pub async fn webhooks(&self) -> Result<Vec<WebhookRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM webhooks ORDER BY created_ms, id");
        self.decoded(sql, &[], &TYPES, webhook).await
    }

    pub async fn webhook(&self, id: &str) -> Result<Option<WebhookRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1");
        let args = [Arg::Text(id.into())];
        Ok(self.decoded(sql, &args, &TYPES, webhook).await?.pop())
    }

    /// Replaces the secrets of some webhooks, in one transaction.
    pub async fn set_webhook_secrets(&self, sealed: &[SealedSecret]) -> Result<(), StoreError> {
        let writes: Vec<Write> = sealed
            .iter()
            .map(|s| Write {
                sql: SET_SECRET,
                args: vec![Arg::Text(s.secret.clone()), Arg::Text(s.webhook_id.clone())],
            })
            .collect();
        self.apply_writes(&writes).await
    }

    /// Deletes a webhook and the record of its deliveries, in one transaction.
    pub async fn remove_webhook(&self, id: &str) -> Result<(), StoreError> {
        let id = Arg::Text(id.into());
        let writes = [
            Write {
                sql: DELETE_DELIVERIES,
                args: vec![id.clone()],
            },
            Write {
                sql: DELETE,
                args: vec![id],
            },
        ];
        self.apply_writes(&writes).await
    }
}

/// A webhook from [`COLUMNS`].
fn webhook(row: &mut Values) -> Result<WebhookRow, StoreError> {
    Ok(WebhookRow {
        id: row.text()?,
        url: row.text()?,
        kinds: row.json()?,
        filter: row.text()?,
        description: row.text()?,
        created_by: row.text()?,
        created_ms: row.int()?,
        next_index: row.index()?,
        secret: row.text()?,
    })
}
