//! Three `truce serve` processes on one PostgreSQL database behind one log: one
//! sequences, every one serves reads and takes writes (forwarding them to the sequencer),
//! and when the sequencer is killed under load another takes over; no acknowledged entry
//! is lost and the log never forks.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::support::*;

/// An entry a process acknowledged (201): where, and the note it was for.
struct Acknowledged {
    index: u64,
    note: Vec<u8>,
    after_kill: bool,
}

/// Posts registrations by `delegation`'s root to `server` until `stop`; answers those
/// acknowledged. After a refusal or a lost answer it reads its chain's head again, as a
/// client must.
async fn write_until(
    server: String,
    data: std::path::PathBuf,
    delegation: &'static str,
    stop: Arc<AtomicBool>,
    killed: Arc<AtomicBool>,
) -> Vec<Acknowledged> {
    let client = reqwest::Client::new();
    let key = || demo_key(&data, &format!("{delegation}-root"));
    let mut root = author(&client, &server, key()).await;
    let mut acknowledged = vec![];
    let mut i = 1_000;
    while !stop.load(Ordering::Acquire) {
        i += 1;
        let after_kill = killed.load(Ordering::Acquire);
        let note = root.write("key.registered", device_registration(delegation, i), now());
        let sent = client
            .post(format!("{server}/api/v1/entries"))
            .header("content-type", "text/plain")
            .body(note.clone())
            .send()
            .await;
        if let Ok(response) = sent
            && response.status() == 201
        {
            let receipt: serde_json::Value = response.json().await.unwrap();
            let index = receipt["index"].as_u64().unwrap();
            acknowledged.push(Acknowledged {
                index,
                note,
                after_kill,
            });
            continue;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        root = author(&client, &server, key()).await;
    }
    acknowledged
}

fn start_sibling(dir: &Path, first: &Path, url: &str) -> Server {
    // Every process serving one log holds the same log key.
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(first.join("log.key"), dir.join("log.key")).unwrap();
    Server::start_with_env(
        dir,
        &["--database", url],
        &[("TRUCE_LIMITS__REQUEST_TIMEOUT_MS", "4000")],
    )
}

async fn checkpoint(client: &reqwest::Client, server: &str) -> String {
    let url = format!("{server}/log/checkpoint");
    String::from_utf8(get_bytes(client, &url).await).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_process_takes_writes_and_a_killed_sequencer_loses_no_acknowledged_entry() {
    let Some(url) = truce_store::testing::postgres_url_in_fresh_schema().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let [dir_a, dir_b, dir_c] = ["a", "b", "c"].map(|d| dir.path().join(d));
    let a = Server::start(&dir_a, &["--database", &url]);
    let (b, c) = (
        start_sibling(&dir_b, &dir_a, &url),
        start_sibling(&dir_c, &dir_a, &url),
    );
    let client = reqwest::Client::new();

    // A sequences (it wrote the exercise); B and C forward what they are sent to it.
    for (i, server) in [&a, &b, &c].into_iter().enumerate() {
        assert_eq!(
            submit_registration(&client, &server.url(), &dir_a, "pk", i).await,
            201
        );
    }
    let size = demo_size() + 3;
    for server in [&a, &b, &c] {
        let served = checkpoint(&client, &server.url()).await;
        assert!(served.contains(&format!("\n{size}\n")), "{served}");
    }
    // A write forwarded to a process that does not sequence is not forwarded again.
    let refused = client
        .post(format!("{}/api/v1/entries", b.url()))
        .header("truce-forwarded", "1")
        .header("content-type", "text/plain")
        .body("anything")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);

    // Four authors write through B and C; A, the sequencer, is killed halfway.
    let stop = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = [("pk", &b), ("af", &c), ("tr", &b), ("qa", &c)]
        .into_iter()
        .map(|(delegation, server)| {
            tokio::spawn(write_until(
                server.url(),
                dir_a.clone(),
                delegation,
                stop.clone(),
                killed.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    a.kill_9();
    killed.store(true, Ordering::Release);
    tokio::time::sleep(Duration::from_secs(5)).await;
    stop.store(true, Ordering::Release);
    let mut acknowledged = vec![];
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    let before = acknowledged.iter().filter(|a| !a.after_kill).count();
    let after = acknowledged.len() - before;
    assert!(
        before > 20 && after > 20,
        "{before} before the kill, {after} after"
    );

    // Every acknowledged entry is on the log, at its index, as both survivors serve it.
    for server in [&b, &c] {
        for entry in &acknowledged {
            let url = format!("{}/api/v1/entries/{}", server.url(), entry.index);
            let stored: serde_json::Value =
                client.get(url).send().await.unwrap().json().await.unwrap();
            assert_eq!(
                stored["note"].as_str().unwrap().as_bytes(),
                entry.note,
                "entry {}",
                entry.index
            );
        }
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while checkpoint(&client, &b.url()).await != checkpoint(&client, &c.url()).await {
        assert!(
            Instant::now() < deadline,
            "B and C serve different checkpoints"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let output = run(&["verify", &c.url()]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let most = acknowledged.iter().map(|a| a.index).max().unwrap();
    assert!(said.contains("verified "), "{said}");
    let verified: u64 = said
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(verified > most, "{said}");
}
