//! Webhook deliveries (`webhook_deliveries`): one row per webhook and entry that matched,
//! queued, then delivered or given up on; the attempts are counted and the last outcome
//! kept. Queueing moves the webhooks' cursors in the same transaction as the deliveries
//! it queues, so a restart neither skips an entry nor queues one twice.

use crate::model::to_i64_saturating;
use crate::projection::{Arg, Column, Write};
use crate::read::Values;
use crate::{Store, StoreError};

/// A delivery to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub webhook_id: String,
    pub index: u64,
    pub kind: String,
    pub next_attempt_ms: i64,
}

/// What one pass over the log queues: deliveries, and the webhooks whose cursor moves
/// to `next_index`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queued {
    pub deliveries: Vec<NewDelivery>,
    pub advanced: Vec<String>,
    pub next_index: u64,
}

/// A delivery whose next attempt is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub webhook_id: String,
    pub index: u64,
    /// Attempts made so far.
    pub attempts: i64,
}

/// The outcome of an attempt, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub webhook_id: String,
    pub index: u64,
    /// `pending` (tried again at `next_attempt_ms`), `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub last_attempt_ms: i64,
    /// The receiver's HTTP status, if it answered.
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_ms: Option<i64>,
}

/// A delivery as kept (of one webhook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub index: u64,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub last_attempt_ms: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_ms: Option<i64>,
}

/// How many of a webhook's deliveries have one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryCount {
    pub webhook_id: String,
    pub status: String,
    pub count: u64,
}

/// Nothing if the webhook was deleted meanwhile, or the delivery is queued already.
const QUEUE: &str = "INSERT INTO webhook_deliveries (webhook_id, idx, kind, status, attempts, \
    next_attempt_ms) SELECT $1, $2, $3, 'pending', 0, $4 \
    WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $1) ON CONFLICT DO NOTHING";
const ADVANCE: &str = "UPDATE webhooks SET next_index = $2 WHERE id = $1 AND next_index < $2";
const RECORD: &str = "UPDATE webhook_deliveries SET status = $3, attempts = $4, \
    next_attempt_ms = $5, last_attempt_ms = $6, last_status = $7, last_error = $8, \
    delivered_ms = $9 WHERE webhook_id = $1 AND idx = $2";
const DELIVERY_TYPES: [Column; 9] = [
    Column::Int,
    Column::Text,
    Column::Text,
    Column::Int,
    Column::Int,
    Column::Int,
    Column::Int,
    Column::Text,
    Column::Int,
];

impl Store {
    /// Queues deliveries and moves cursors, in one transaction.
    pub async fn queue_deliveries(&self, queued: &Queued) -> Result<(), StoreError> {
        let inserts = queued.deliveries.iter().map(|d| Write {
            sql: QUEUE,
            args: vec![
                Arg::Text(d.webhook_id.clone()),
                Arg::Int(to_i64_saturating(d.index)),
                Arg::Text(d.kind.clone()),
                Arg::Int(d.next_attempt_ms),
            ],
        });
        let next_index = Arg::Int(to_i64_saturating(queued.next_index));
        let cursors = queued.advanced.iter().map(|id| Write {
            sql: ADVANCE,
            args: vec![Arg::Text(id.clone()), next_index.clone()],
        });
        let writes: Vec<Write> = inserts.chain(cursors).collect();
        self.apply_writes(&writes).await
    }

    /// At most `limit` pending deliveries due at `now_ms`, the longest due first.
    pub async fn due_deliveries(
        &self,
        now_ms: i64,
        limit: usize,
    ) -> Result<Vec<DueDelivery>, StoreError> {
        let sql = format!(
            "SELECT webhook_id, idx, attempts FROM webhook_deliveries \
             WHERE status = 'pending' AND next_attempt_ms <= $1 \
             ORDER BY next_attempt_ms, idx LIMIT {limit}"
        );
        let columns = [Column::Text, Column::Int, Column::Int];
        self.decoded(sql, &[Arg::Int(now_ms)], &columns, |row| {
            Ok(DueDelivery {
                webhook_id: row.text()?,
                index: row.index()?,
                attempts: row.int()?,
            })
        })
        .await
    }

    /// Records the outcomes of attempts, in one transaction.
    pub async fn record_attempts(&self, attempts: &[Attempt]) -> Result<(), StoreError> {
        let writes: Vec<Write> = attempts
            .iter()
            .map(|a| Write {
                sql: RECORD,
                args: vec![
                    Arg::Text(a.webhook_id.clone()),
                    Arg::Int(to_i64_saturating(a.index)),
                    Arg::Text(a.status.clone()),
                    Arg::Int(a.attempts),
                    Arg::Int(a.next_attempt_ms),
                    Arg::Int(a.last_attempt_ms),
                    a.last_status.map_or(Arg::NullInt, Arg::Int),
                    Arg::opt_text(a.last_error.as_deref()),
                    a.delivered_ms.map_or(Arg::NullInt, Arg::Int),
                ],
            })
            .collect();
        self.apply_writes(&writes).await
    }

    /// At most `limit` of a webhook's deliveries, newest entry first, perhaps only those
    /// with one status.
    pub async fn deliveries(
        &self,
        webhook_id: &str,
        status: Option<&str>,
        limit: usize,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        let mut args = vec![Arg::Text(webhook_id.into())];
        let only = status.map_or("", |s| {
            args.push(Arg::Text(s.into()));
            "AND status = $2"
        });
        let sql = format!(
            "SELECT idx, kind, status, attempts, next_attempt_ms, last_attempt_ms, \
             last_status, last_error, delivered_ms FROM webhook_deliveries \
             WHERE webhook_id = $1 {only} ORDER BY idx DESC LIMIT {limit}"
        );
        self.decoded(sql, &args, &DELIVERY_TYPES, delivery).await
    }

    /// How many deliveries are in each status, of one webhook or (None) of every one; a
    /// webhook and status without deliveries is absent.
    pub async fn delivery_counts(
        &self,
        webhook_id: Option<&str>,
    ) -> Result<Vec<DeliveryCount>, StoreError> {
        let (condition, args) = match webhook_id {
            Some(id) => ("WHERE webhook_id = $1", vec![Arg::Text(id.into())]),
            None => ("", vec![]),
        };
        let sql = format!(
            "SELECT webhook_id, status, COUNT(*) FROM webhook_deliveries {condition} \
             GROUP BY webhook_id, status"
        );
        let columns = [Column::Text, Column::Text, Column::Int];
        self.decoded(sql, &args, &columns, |row| {
            Ok(DeliveryCount {
                webhook_id: row.text()?,
                status: row.text()?,
                count: row.index()?,
            })
        })
        .await
    }
}

/// A delivery from the columns [`Store::deliveries`] reads.
fn delivery(row: &mut Values) -> Result<DeliveryRow, StoreError> {
    Ok(DeliveryRow {
        index: row.index()?,
        kind: row.text()?,
        status: row.text()?,
        attempts: row.int()?,
        next_attempt_ms: row.int()?,
        last_attempt_ms: row.opt_int()?,
        last_status: row.opt_int()?,
        last_error: row.opt_text()?,
        delivered_ms: row.opt_int()?,
    })
}
