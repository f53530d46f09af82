//! Public reports kept as a node's operational data, on each backend: what is kept comes
//! back as it was sent, a settled report stays settled, and the caps hold.

use truce_server::Limits;
use truce_server::intake::{self, Received, Settlement};
use truce_store::Store;

async fn stores(dir: &std::path::Path) -> Vec<Store> {
    let mut stores = vec![Store::open(dir, None).await.unwrap()];
    if let Some(url) = truce_store::testing::postgres_url_in_fresh_schema().await {
        let unused = std::path::Path::new("unused");
        stores.push(Store::open(unused, Some(&url)).await.unwrap());
    }
    stores
}

fn received(place: &str) -> Received {
    Received {
        lang: "ps".into(),
        happened_on: "2025-10-14".into(),
        place: place.into(),
        point: Some((30.92, 66.45)),
        account: "Shelling near the school; two houses burned.\nNobody was hurt.".into(),
        killed: None,
        injured: Some(0),
        contact: Some("ask for Gul at the pharmacy".into()),
        contact_sealed: None,
    }
}

#[tokio::test]
async fn a_public_report_comes_back_as_sent_and_is_settled_once_on_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    // No genesis, so no custodians: contacts are kept as sent.
    let sealed = truce_store::EvidenceStore::sealed(dir.path()).unwrap();
    let limits = Limits::default();
    for store in stores(dir.path()).await {
        let backend = store.backend();
        let first = intake::receive(&store, &sealed, &limits, received("Chaman"))
            .await
            .unwrap();
        let second = intake::receive(&store, &sealed, &limits, received("Torkham"))
            .await
            .unwrap();
        let pending = intake::pending(&store, 10).await.unwrap();
        assert_eq!(pending.len(), 2, "{backend}");
        assert_eq!(pending[0].report, received("Chaman"), "{backend}");
        assert_eq!(pending[0].id, first, "{backend}: oldest first");
        assert_eq!(pending[0].status, intake::PENDING);

        intake::settle(&store, &first, Settlement::Filed(42), "jmt-monitor-1")
            .await
            .unwrap();
        let reason = "Duplicate of a report already filed".to_string();
        let dismissed = Settlement::Dismissed(reason.clone());
        intake::settle(&store, &second, dismissed.clone(), "jmt-monitor-2")
            .await
            .unwrap();
        let filed = intake::get(&store, &first).await.unwrap().unwrap();
        assert_eq!(
            (
                filed.status.as_str(),
                filed.filed_index,
                filed.handled_by.as_deref()
            ),
            (intake::FILED, Some(42), Some("jmt-monitor-1")),
            "{backend}"
        );
        let second_kept = intake::get(&store, &second).await.unwrap().unwrap();
        assert_eq!(second_kept.dismissal, Some(reason), "{backend}");
        assert!(intake::pending(&store, 10).await.unwrap().is_empty());

        let again = intake::settle(&store, &first, dismissed, "jmt-monitor-2").await;
        let problem = again.unwrap_err();
        assert_eq!(problem.field.as_deref(), Some("intake"), "{backend}");
        assert!(
            problem
                .detail
                .contains("was filed by jmt-monitor-1 already")
        );
        let unknown = intake::settle(&store, "nope", Settlement::Filed(1), "x").await;
        assert!(
            unknown
                .unwrap_err()
                .detail
                .contains("there is no public report")
        );
    }
}

#[tokio::test]
async fn the_caps_count_pending_reports_and_the_last_hours_on_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    // No genesis, so no custodians: contacts are kept as sent.
    let sealed = truce_store::EvidenceStore::sealed(dir.path()).unwrap();
    for store in stores(dir.path()).await {
        let backend = store.backend();
        let pending_cap = Limits {
            public_reports_pending_max: 1,
            ..Limits::default()
        };
        let id = intake::receive(&store, &sealed, &pending_cap, received("Chaman"))
            .await
            .unwrap();
        let full = intake::receive(&store, &sealed, &pending_cap, received("Chaman")).await;
        assert_eq!(full.unwrap_err().status, 503, "{backend}");
        // Settling one makes room under the pending cap, but the hour still counts it.
        intake::settle(&store, &id, Settlement::Filed(7), "m")
            .await
            .unwrap();
        intake::receive(&store, &sealed, &pending_cap, received("Chaman"))
            .await
            .unwrap();
        let hour_cap = Limits {
            public_reports_hour_max: 2,
            ..Limits::default()
        };
        let busy = intake::receive(&store, &sealed, &hour_cap, received("Chaman")).await;
        assert_eq!(busy.unwrap_err().status, 429, "{backend}");
    }
}

/// Finding 8 of issue 17: the caps were counted, then the row written, so a burst sent at
/// once all passed the count. Each cap must let exactly its number through.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_burst_passes_each_cap_by_exactly_its_number_on_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(dir.path()).await {
        let backend = store.backend();
        let pending_cap = Limits {
            public_reports_pending_max: 5,
            ..Limits::default()
        };
        assert_eq!(burst(&store, &pending_cap, 40).await, (5, 503), "{backend}");
        for report in intake::pending(&store, 10).await.unwrap() {
            let dismissed = Settlement::Dismissed("Seen already".into());
            intake::settle(&store, &report.id, dismissed, "m")
                .await
                .unwrap();
        }
        // The five dismissed still count in the hour: five more make ten.
        let hour_cap = Limits {
            public_reports_hour_max: 10,
            ..Limits::default()
        };
        assert_eq!(burst(&store, &hour_cap, 40).await, (5, 429), "{backend}");
    }
}

/// Sends `n` reports at once; answers how many were kept and the status of the refusals.
async fn burst(store: &Store, limits: &Limits, n: usize) -> (usize, u16) {
    let dir = tempfile::tempdir().unwrap();
    let sealed = truce_store::EvidenceStore::sealed(dir.path()).unwrap();
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (store, limits, sealed) = (store.clone(), limits.clone(), sealed.clone());
            tokio::spawn(async move {
                intake::receive(&store, &sealed, &limits, received("Chaman")).await
            })
        })
        .collect();
    let (mut kept, mut refused) = (0, std::collections::BTreeSet::new());
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => kept += 1,
            Err(problem) => {
                refused.insert(problem.status);
            }
        }
    }
    assert_eq!(refused.len(), 1, "one kind of refusal: {refused:?}");
    (kept, refused.into_iter().next().unwrap())
}
