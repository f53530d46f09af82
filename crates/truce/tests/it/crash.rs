//! An acknowledged entry survives `kill -9`, and the log restarts consistent with every
//! checkpoint it published.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::*;
use truce_log::tiles::{TilePath, decode_bundle};
use truce_log::{Frontier, Hash, SignedCheckpoint, record_hash};

/// What the server acknowledged: (index, leaf hash, checkpoint note).
type Acks = Arc<Mutex<Vec<(u64, String, String)>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_entries_survive_kill_9_and_the_log_stays_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let url = server.url();
    let client = reqwest::Client::new();
    let acks: Acks = Arc::default();
    // Five authors (the delegations' roots) submit concurrently, each in order.
    let streams = start_streams(
        &client,
        &url,
        dir.path(),
        &["pk", "af", "tr", "qa", "jmt"],
        &acks,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.kill_9();
    for stream in streams {
        stream.await.unwrap();
    }
    let acks = acks.lock().unwrap().clone();
    assert!(
        acks.len() > 50,
        "only {} entries were acknowledged before the kill",
        acks.len()
    );

    let server = Server::start(dir.path(), &[]);
    let url = server.url();
    let vkey = String::from_utf8(get_bytes(&client, &format!("{url}/log/vkey")).await).unwrap();
    let head = get_bytes(&client, &format!("{url}/log/checkpoint")).await;
    let head = SignedCheckpoint::verify(&head, vkey.trim()).unwrap();
    let leaves = all_leaf_hashes(&client, &url, head.size).await;
    for (index, leaf, _) in &acks {
        assert_eq!(
            leaves[*index as usize].to_string(),
            *leaf,
            "acknowledged entry {index} survived"
        );
    }
    // Every checkpoint published before the crash is a prefix of the log after it.
    let roots = roots_at_every_size(&leaves);
    for (_, _, note) in &acks {
        let old = SignedCheckpoint::verify(note.as_bytes(), vkey.trim()).unwrap();
        assert_eq!(
            roots[old.size as usize], old.root,
            "checkpoint of size {} is consistent",
            old.size
        );
    }
    let output = run(&["verify", &url]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_batch_in_hand_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), &[]);
    let url = server.url();
    let client = reqwest::Client::new();
    let acks: Acks = Arc::default();
    let streams = start_streams(&client, &url, dir.path(), &["pk", "af", "jmt"], &acks).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(server.terminate(), "a clean exit after SIGTERM");
    for stream in streams {
        stream.await.unwrap();
    }
    let acks = acks.lock().unwrap().clone();
    assert!(!acks.is_empty());
    let server = Server::start(dir.path(), &[]);
    let health: serde_json::Value = client
        .get(format!("{}/healthz", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let size = health["log_size"].as_u64().unwrap();
    assert!(size >= demo_size() + acks.len() as u64);
    let leaves = all_leaf_hashes(&client, &server.url(), size).await;
    for (index, leaf, _) in &acks {
        assert_eq!(
            leaves[*index as usize].to_string(),
            *leaf,
            "entry {index} acknowledged before SIGTERM"
        );
    }
}

/// One task per delegation root, each appending its entries in order until refused.
async fn start_streams(
    client: &reqwest::Client,
    url: &str,
    dir: &std::path::Path,
    delegations: &[&'static str],
    acks: &Acks,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut streams = vec![];
    for delegation in delegations {
        let author = author(client, url, demo_key(dir, &format!("{delegation}-root"))).await;
        let task = stream(
            client.clone(),
            url.to_string(),
            author,
            delegation,
            acks.clone(),
        );
        streams.push(tokio::spawn(task));
    }
    streams
}

async fn stream(
    client: reqwest::Client,
    url: String,
    mut author: truce_log::Author,
    delegation: &str,
    acks: Acks,
) {
    for i in 0.. {
        let note = author.write("key.registered", device_registration(delegation, i), now());
        let Ok(response) = client
            .post(format!("{url}/api/v1/entries"))
            .header("content-type", "text/plain")
            .body(note)
            .send()
            .await
        else {
            return; // The server is gone.
        };
        if response.status() != 201 {
            return;
        }
        let Ok(body) = response.json::<serde_json::Value>().await else {
            return;
        };
        let ack = (
            body["index"].as_u64().unwrap(),
            body["leaf_hash"].as_str().unwrap().to_string(),
            body["checkpoint"].as_str().unwrap().to_string(),
        );
        acks.lock().unwrap().push(ack);
    }
}

async fn all_leaf_hashes(client: &reqwest::Client, url: &str, size: u64) -> Vec<Hash> {
    let mut leaves = vec![];
    for n in 0..size.div_ceil(256) {
        let width = u32::try_from((size - n * 256).min(256)).unwrap();
        let path = TilePath::entries(n, width).path();
        let bundle = client
            .get(format!("{url}/log/{path}"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        leaves.extend(decode_bundle(&bundle).unwrap().into_iter().map(record_hash));
    }
    leaves
}

fn roots_at_every_size(leaves: &[Hash]) -> Vec<Hash> {
    let mut frontier = Frontier::new();
    let mut roots = vec![frontier.root()];
    for leaf in leaves {
        frontier.append(*leaf);
        roots.push(frontier.root());
    }
    roots
}
