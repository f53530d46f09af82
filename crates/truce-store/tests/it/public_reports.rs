//! The public report form's inbox on every backend: a report comes back as kept, the
//! pending ones oldest first, a settlement is made once, and the caps refuse by name.

use truce_store::public_reports::{
    Admission, Caps, NewPublicReport, PublicReport, Received, Settlement,
};

use truce_store::{Store, StoreError};

use crate::support::*;

const NO_CAPS: Caps = Caps {
    pending_max: 100,
    recent_max: 100,
    since_ms: 0,
};

fn new_report(id: &str, received_ms: i64, point: Option<(f64, f64)>) -> NewPublicReport {
    NewPublicReport {
        id: id.into(),
        received_ms,
        report: Received {
            lang: "ps".into(),
            happened_on: "2025-10-14".into(),
            place: "Chaman".into(),
            point,
            account: "Shelling near the school.\nNobody was hurt.".into(),
            killed: None,
            injured: Some(0),
            contact: point.map(|_| "ask for Gul at the pharmacy".into()),
            contact_sealed: None,
        },
    }
}

fn pending(new: &NewPublicReport) -> PublicReport {
    PublicReport {
        id: new.id.clone(),
        received_ms: new.received_ms,
        report: new.report.clone(),
        status: "pending".into(),
        handled_by: None,
        handled_ms: None,
        filed_index: None,
        dismissal: None,
    }
}

#[tokio::test]
async fn a_public_report_comes_back_as_kept_and_is_settled_once() {
    for (store, _dir) in stores().await {
        let backend = store.backend();
        let (later, earlier) = (
            new_report("b", 2_000, Some((30.92, 66.45))),
            new_report("a", 1_000, None),
        );
        for new in [&later, &earlier] {
            let kept = store.keep_public_report(new, NO_CAPS).await.unwrap();
            assert_eq!(kept, Admission::Kept, "{backend}");
        }
        let waiting = store.oldest_pending_public_reports(10).await.unwrap();
        assert_eq!(waiting, [pending(&earlier), pending(&later)], "{backend}");
        let first = store.oldest_pending_public_reports(1).await.unwrap();
        assert_eq!(first, [pending(&earlier)]);

        let dismissed = Settlement::Dismissed("not an event".into());
        store
            .settle_public_report("a", &dismissed, "monitor-1", 3_000)
            .await
            .unwrap();
        store
            .settle_public_report("b", &Settlement::Filed(42), "monitor-2", 4_000)
            .await
            .unwrap();
        // Settled already: left as it is.
        store
            .settle_public_report("b", &dismissed, "monitor-1", 5_000)
            .await
            .unwrap();
        let a = store.public_report("a").await.unwrap().unwrap();
        let b = store.public_report("b").await.unwrap().unwrap();
        assert_eq!(
            (a.status.as_str(), a.handled_by.as_deref(), a.handled_ms),
            ("dismissed", Some("monitor-1"), Some(3_000))
        );
        assert_eq!(
            (a.dismissal.as_deref(), a.filed_index),
            (Some("not an event"), None)
        );
        assert_eq!(
            (b.status.as_str(), b.handled_by.as_deref(), b.handled_ms),
            ("filed", Some("monitor-2"), Some(4_000)),
            "{backend}"
        );
        assert_eq!((b.dismissal, b.filed_index), (None, Some(42)));
        assert_eq!(b.report, later.report);
        assert!(
            store
                .oldest_pending_public_reports(10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.public_report("c").await.unwrap(), None);
    }
}

/// Offers a report received at 1 s.
async fn keep(store: &Store, id: &str, caps: Caps) -> Result<Admission, StoreError> {
    store
        .keep_public_report(&new_report(id, 1_000, None), caps)
        .await
}

#[tokio::test]
async fn a_full_inbox_refuses_a_public_report_naming_the_cap() {
    for (store, _dir) in stores().await {
        let backend = store.backend();
        let pending_cap = Caps {
            pending_max: 1,
            ..NO_CAPS
        };
        let first = keep(&store, "a", pending_cap);
        assert_eq!(first.await.unwrap(), Admission::Kept);
        let second = keep(&store, "b", pending_cap);
        assert_eq!(
            second.await.unwrap(),
            Admission::PendingFull(1),
            "{backend}"
        );

        let recent_cap = Caps {
            recent_max: 1,
            since_ms: 500,
            ..NO_CAPS
        };
        let third = keep(&store, "c", recent_cap);
        assert_eq!(third.await.unwrap(), Admission::RecentFull(1), "{backend}");
        assert_eq!(store.pending_public_reports().await.unwrap(), 1);
        assert_eq!(store.public_report("b").await.unwrap(), None);
    }
}
