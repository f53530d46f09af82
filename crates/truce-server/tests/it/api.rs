//! The HTTP interface of a real node, end to end.

use crate::support::*;
use truce_log::proof::TlogProof;
use truce_log::tiles::decode_bundle;
use truce_log::{SignedCheckpoint, record_hash};

#[tokio::test]
async fn the_demo_log_is_served_with_a_checkpoint_signed_by_the_log_key() {
    let app = spawn_demo().await;
    let vkey = app.get("/log/vkey").await.text().await.unwrap();
    let response = app.get("/log/checkpoint").await;
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    let note = response.bytes().await.unwrap();
    let checkpoint = SignedCheckpoint::verify(&note, vkey.trim()).unwrap();
    assert_eq!((checkpoint.origin.as_str(), checkpoint.size), (ORIGIN, 9));

    let keys = app.get_json("/api/v1/keys").await;
    let keys = keys.as_array().unwrap();
    assert_eq!(keys.len(), 12, "5 roots and 7 officers");
    for field in [
        "name",
        "vkey",
        "role",
        "delegation",
        "registered_at",
        "revoked_at",
    ] {
        assert!(
            keys.iter().all(|k| k.get(field).is_some()),
            "every key has {field}"
        );
    }
    let revoked: Vec<_> = keys.iter().filter(|k| !k["revoked_at"].is_null()).collect();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0]["revoked_at"], 8);
}

#[tokio::test]
async fn an_accepted_entry_is_answered_with_its_index_leaf_hash_and_a_covering_checkpoint() {
    let app = spawn_demo().await;
    let mut root = app.author(app.demo_key("jmt-root")).await;
    let note = root.write("key.registered", device_registration(&device_key(1)), now());
    let response = app.post_note(note.clone()).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], "/api/v1/entries/9");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["index"], 9);
    assert_eq!(body["leaf_hash"], record_hash(&note).to_string());
    let vkey = app.get("/log/vkey").await.text().await.unwrap();
    let checkpoint =
        SignedCheckpoint::verify(body["checkpoint"].as_str().unwrap().as_bytes(), vkey.trim())
            .unwrap();
    assert_eq!(checkpoint.size, 10);

    let entry = app.get_json("/api/v1/entries/9").await;
    assert_eq!(entry["note"].as_str().unwrap().as_bytes(), &note[..]);
    assert_eq!(entry["entry"]["kind"], "key.registered");
    assert_eq!(
        entry["entry"]["seq"],
        root.envelope("x", serde_json::json!({}), now()).seq - 1
    );

    let proof = app
        .get("/api/v1/entries/9/proof")
        .await
        .text()
        .await
        .unwrap();
    let proof = TlogProof::parse(&proof).unwrap();
    assert_eq!(
        proof.verify(record_hash(&note), vkey.trim()).unwrap().size,
        10
    );
}

#[tokio::test]
async fn proofs_are_given_against_any_earlier_checkpoint_and_refused_for_sizes_without_one() {
    let app = spawn_demo().await;
    let vkey = app.get("/log/vkey").await.text().await.unwrap();
    let genesis = app.get_json("/api/v1/entries/0").await;
    let leaf = record_hash(genesis["note"].as_str().unwrap().as_bytes());
    // The demo's entries were submitted one at a time, so every size has a checkpoint.
    for size in 1..=9 {
        let text = app
            .get(&format!("/api/v1/entries/0/proof?size={size}"))
            .await
            .text()
            .await
            .unwrap();
        let checkpoint = TlogProof::parse(&text)
            .unwrap()
            .verify(leaf, vkey.trim())
            .unwrap();
        assert_eq!(checkpoint.size, size);
    }
    for (query, status) in [
        ("size=10", 404),
        ("size=0", 404),
        ("size=x", 400),
        ("size=01", 400),
    ] {
        let response = app.get(&format!("/api/v1/entries/0/proof?{query}")).await;
        assert_eq!(response.status(), status, "{query}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
}

#[tokio::test]
async fn tiles_and_entry_bundles_match_the_entries_and_full_tiles_are_immutable() {
    let app = spawn_demo().await;
    let mut root = app.author(app.demo_key("jmt-root")).await;
    let mut pending = vec![];
    for i in 0..300 {
        let note = root.write("key.registered", device_registration(&device_key(i)), now());
        pending.push(app.post_note(note));
    }
    for response in futures_join(pending).await {
        assert_eq!(response.status(), 201);
    }
    assert_eq!(app.size().await, 309);

    let bundle = app.get("/log/tile/entries/000").await;
    assert_eq!(
        bundle.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let bundle = bundle.bytes().await.unwrap();
    let entries = decode_bundle(&bundle).unwrap();
    assert_eq!(entries.len(), 256);
    let tile = app.get("/log/tile/0/000").await.bytes().await.unwrap();
    let leaves: Vec<u8> = entries.iter().flat_map(|e| record_hash(e).0).collect();
    assert_eq!(tile.to_vec(), leaves);

    let partial = app.get("/log/tile/entries/001.p/53").await;
    assert_eq!(partial.status(), 200);
    assert_eq!(
        decode_bundle(&partial.bytes().await.unwrap())
            .unwrap()
            .len(),
        53
    );
    let level1 = app.get("/log/tile/1/000.p/1").await.bytes().await.unwrap();
    assert_eq!(
        level1.to_vec(),
        tlog_tiles::Tile::subtree_hash(&tile).0.to_vec()
    );
    for missing in [
        "/log/tile/entries/001.p/54",
        "/log/tile/0/001",
        "/log/tile/0/000.p/0",
        "/log/tile/2/000.p/1",
    ] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
}

async fn futures_join(
    requests: Vec<impl Future<Output = reqwest::Response>>,
) -> Vec<reqwest::Response> {
    // Submitted in order on one connection pool; each waits for its batch.
    let mut responses = vec![];
    for request in requests {
        responses.push(request.await);
    }
    responses
}

#[tokio::test]
async fn health_and_metrics_report_the_log() {
    let app = spawn_demo().await;
    let health = app.get_json("/healthz").await;
    assert_eq!(
        (health["status"].as_str(), health["log_size"].as_u64()),
        (Some("ok"), Some(9))
    );
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("truce_entries_appended_total"),
        "{metrics}"
    );
    assert!(metrics.contains("truce_log_size"), "{metrics}");
}

#[tokio::test]
async fn a_node_restarted_on_its_data_directory_continues_the_same_log() {
    let mut app = spawn_demo().await;
    let mut root = app.author(app.demo_key("jmt-root")).await;
    let note = root.write("key.registered", device_registration(&device_key(1)), now());
    assert_eq!(app.post_note(note).await.status(), 201);
    let before = app.get("/log/checkpoint").await.bytes().await.unwrap();
    app.stop().await;

    let node = truce_server::start(
        config(app.dir.path()),
        Some(truce_server::Demo::Constitution),
    )
    .await
    .unwrap();
    app.addr = node.addr;
    app.node = Some(node);
    assert_eq!(
        app.get("/log/checkpoint").await.bytes().await.unwrap(),
        before
    );
    // The author's chain continues where it was.
    let note = root.write("key.registered", device_registration(&device_key(2)), now());
    let response = app.post_note(note).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    assert_eq!(app.size().await, 11);
}
