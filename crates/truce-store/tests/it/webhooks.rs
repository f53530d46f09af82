//! Webhooks and their deliveries on every backend: kept as given, queued once and only
//! for a webhook that still exists, cursors that only move forward, attempts recorded,
//! and a removal that takes the deliveries along.

use truce_store::Store;
use truce_store::webhooks::deliveries::{
    Attempt, DeliveryCount, DeliveryRow, DueDelivery, NewDelivery, Queued,
};
use truce_store::webhooks::{SealedSecret, WebhookRow};

use crate::support::*;

fn webhook(id: &str, created_ms: i64, next_index: u64) -> WebhookRow {
    WebhookRow {
        id: id.into(),
        url: format!("https://alerts.example/{id}"),
        kinds: vec!["incident.opened".into(), "report.submitted".into()],
        filter: r#"[{"path":"/payload/accused","equals":"af"}]"#.into(),
        description: "the commissioners' channel".into(),
        created_by: "jmt-monitor-1".into(),
        created_ms,
        next_index,
        secret: "sealed:abc".into(),
    }
}

fn delivery(webhook_id: &str, index: u64) -> NewDelivery {
    NewDelivery {
        webhook_id: webhook_id.into(),
        index,
        kind: "report.submitted".into(),
        next_attempt_ms: 100,
    }
}

/// Webhooks `b` (made first) and `a`, both at cursor 3.
async fn two_webhooks(store: &Store) -> (WebhookRow, WebhookRow) {
    let (a, b) = (webhook("a", 2_000, 3), webhook("b", 1_000, 3));
    store.add_webhook(&a).await.unwrap();
    store.add_webhook(&b).await.unwrap();
    (a, b)
}

#[tokio::test]
async fn webhooks_come_back_as_kept_oldest_first_and_go_with_their_deliveries() {
    for (store, _dir) in stores().await {
        let backend = store.backend();
        let (a, b) = two_webhooks(&store).await;
        assert_eq!(store.webhook_count().await.unwrap(), 2);
        assert_eq!(store.webhooks().await.unwrap(), [b.clone(), a.clone()]);
        assert_eq!(
            store.webhook("a").await.unwrap(),
            Some(a.clone()),
            "{backend}"
        );
        assert_eq!(store.webhook("c").await.unwrap(), None);

        let sealed = SealedSecret {
            webhook_id: "a".into(),
            secret: "sealed:new".into(),
        };
        store.set_webhook_secrets(&[sealed]).await.unwrap();
        let resealed = store.webhook("a").await.unwrap().unwrap();
        assert_eq!(resealed.secret, "sealed:new");
        assert_eq!(store.webhook("b").await.unwrap().unwrap().secret, b.secret);

        let queued = Queued {
            deliveries: vec![delivery("a", 3), delivery("b", 3)],
            advanced: vec![],
            next_index: 4,
        };
        store.queue_deliveries(&queued).await.unwrap();
        store.remove_webhook("a").await.unwrap();
        assert_eq!(store.webhooks().await.unwrap(), [b], "{backend}");
        assert!(store.deliveries("a", None, 10).await.unwrap().is_empty());
        assert_eq!(store.deliveries("b", None, 10).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_delivery_is_queued_once_for_a_live_webhook_and_cursors_only_move_forward() {
    for (store, _dir) in stores().await {
        let backend = store.backend();
        two_webhooks(&store).await;
        let queued = Queued {
            deliveries: vec![delivery("a", 3), delivery("a", 5), delivery("gone", 4)],
            advanced: vec!["a".into()],
            next_index: 6,
        };
        store.queue_deliveries(&queued).await.unwrap();
        store.queue_deliveries(&queued).await.unwrap();
        let behind = Queued {
            deliveries: vec![],
            advanced: vec!["a".into(), "b".into()],
            next_index: 5,
        };
        store.queue_deliveries(&behind).await.unwrap();

        let listed: Vec<u64> = store
            .deliveries("a", None, 10)
            .await
            .unwrap()
            .iter()
            .map(|d| d.index)
            .collect();
        assert_eq!(listed, [5, 3], "{backend}: newest first, each once");
        assert!(store.deliveries("gone", None, 10).await.unwrap().is_empty());
        let cursors: Vec<u64> = store
            .webhooks()
            .await
            .unwrap()
            .iter()
            .map(|w| w.next_index)
            .collect();
        assert_eq!(cursors, [5, 6], "{backend}: b moved to 5, a stayed at 6");
    }
}

#[tokio::test]
async fn attempts_are_recorded_and_counted_by_status() {
    for (store, _dir) in stores().await {
        let backend = store.backend();
        two_webhooks(&store).await;
        let queued = Queued {
            deliveries: vec![delivery("a", 3), delivery("a", 4), delivery("b", 3)],
            advanced: vec![],
            next_index: 5,
        };
        store.queue_deliveries(&queued).await.unwrap();
        assert!(store.due_deliveries(99, 10).await.unwrap().is_empty());
        let due = store.due_deliveries(100, 2).await.unwrap();
        let first = DueDelivery {
            webhook_id: "a".into(),
            index: 3,
            attempts: 0,
        };
        assert_eq!(due.len(), 2, "{backend}: at most the limit");
        assert!(due.contains(&first), "{backend}: {due:?}");

        let delivered = Attempt {
            webhook_id: "a".into(),
            index: 3,
            status: "delivered".into(),
            attempts: 1,
            next_attempt_ms: 200,
            last_attempt_ms: 200,
            last_status: Some(204),
            last_error: None,
            delivered_ms: Some(200),
        };
        let retried = Attempt {
            index: 4,
            status: "pending".into(),
            next_attempt_ms: 5_200,
            last_status: None,
            last_error: Some("connection refused".into()),
            delivered_ms: None,
            ..delivered.clone()
        };
        store.record_attempts(&[delivered, retried]).await.unwrap();

        let rows = store.deliveries("a", None, 10).await.unwrap();
        let expected_retried = DeliveryRow {
            index: 4,
            kind: "report.submitted".into(),
            status: "pending".into(),
            attempts: 1,
            next_attempt_ms: 5_200,
            last_attempt_ms: Some(200),
            last_status: None,
            last_error: Some("connection refused".into()),
            delivered_ms: None,
        };
        assert_eq!(rows[0], expected_retried, "{backend}");
        assert_eq!(
            (rows[1].last_status, rows[1].delivered_ms),
            (Some(204), Some(200))
        );
        let only = store.deliveries("a", Some("delivered"), 10).await.unwrap();
        assert_eq!(only, rows[1..]);
        let due: Vec<u64> = store
            .due_deliveries(1_000, 10)
            .await
            .unwrap()
            .iter()
            .map(|d| d.index)
            .collect();
        assert_eq!(due, [3], "{backend}: only b's is due");

        let mut counts = store.delivery_counts(None).await.unwrap();
        counts.sort_by(|x, y| (&x.webhook_id, &x.status).cmp(&(&y.webhook_id, &y.status)));
        let count = |webhook_id: &str, status: &str| DeliveryCount {
            webhook_id: webhook_id.into(),
            status: status.into(),
            count: 1,
        };
        let all = [
            count("a", "delivered"),
            count("a", "pending"),
            count("b", "pending"),
        ];
        assert_eq!(counts, all, "{backend}");
        assert_eq!(store.delivery_counts(Some("b")).await.unwrap(), all[2..]);
    }
}
