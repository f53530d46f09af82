//! A `truce mirror` process copying a demo node's log on loopback: the copy verifies with
//! `truce verify`, a mirror killed while the log grows catches up when restarted, a log
//! that cannot be reached is waited for (and entries pushed to the mirror meanwhile are
//! taken), and a checkpoint that rewrites the history the mirror holds, or a smaller one
//! that contradicts it, is refused and kept as evidence. The push endpoints alone: `push`.

use crate::support;
#[path = "mirror/push.rs"]
mod push;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use crate::support::{Server, run, submit_registration, truce};
use truce_log::cosignature::{CosignedNote, Cosigner, CosignerKey};
use truce_log::{Hash, LogSigner};

/// What the proxy in front of the node does.
const PASS: u8 = 0;
const DOWN: u8 = 1;
const FORK: u8 = 2;
const OLDER_FORK: u8 = 3;

/// A `truce mirror` process, killed when dropped.
struct MirrorProcess {
    child: Child,
    url: String,
}

impl MirrorProcess {
    fn start(dir: &Path, log_url: &str, log_vkey: &str) -> Self {
        Self::start_with(dir, Some(log_url), log_vkey)
    }

    /// A mirror following `log_url`, or, without it, taking only what is pushed.
    fn start_with(dir: &Path, log_url: Option<&str>, log_vkey: &str) -> Self {
        let mut child = truce()
            .arg("mirror")
            .args(log_url)
            .args(["--log-key", log_vkey, "--listen", "127.0.0.1:0"])
            .args(["--interval-ms", "50", "--key"])
            .arg(dir.join("mirror.key"))
            .arg("--data")
            .arg(dir.join("data"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("truce mirror listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Self { child, url }
    }

    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for MirrorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A proxy in front of the node: passes, answers 503 (the log is down), or serves a
/// checkpoint of the same size with another root, signed by the log key (a fork).
async fn proxy(upstream: String, mode: Arc<AtomicU8>, log_key: LogSigner) -> String {
    use axum::extract::Request;
    let client = reqwest::Client::new();
    let app = axum::Router::new().fallback(move |request: Request| {
        let (client, upstream, mode, key) = (
            client.clone(),
            upstream.clone(),
            mode.clone(),
            log_key.clone(),
        );
        async move {
            let path = request.uri().path().to_string();
            if mode.load(Ordering::SeqCst) == DOWN {
                return (axum::http::StatusCode::SERVICE_UNAVAILABLE, vec![]);
            }
            let response = client
                .get(format!("{upstream}{path}"))
                .send()
                .await
                .unwrap();
            let status = axum::http::StatusCode::from_u16(response.status().as_u16()).unwrap();
            let body = response.bytes().await.unwrap().to_vec();
            if mode.load(Ordering::SeqCst) == FORK && path == "/log/checkpoint" {
                let forged = key.sign(size_of(&body), Hash([7; 32]));
                return (status, forged.note);
            }
            if mode.load(Ordering::SeqCst) == OLDER_FORK && path == "/log/checkpoint" {
                let forged = key.sign(size_of(&body) - 5, Hash([8; 32]));
                return (status, forged.note);
            }
            (status, body)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn size_of(note: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(note);
    text.lines().nth(1).unwrap().parse().unwrap()
}

async fn get(url: &str) -> (u16, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

/// Waits until the mirror serves a checkpoint of `size`; returns it.
async fn mirrored(mirror: &MirrorProcess, size: u64) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, note) = get(&format!("{}/log/checkpoint", mirror.url)).await;
        if status == 200 && size_of(&note) == size {
            return note;
        }
        assert!(Instant::now() < deadline, "the mirror did not reach {size}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn verify(url: &str, log_vkey: &str) -> String {
    let output = run(&["verify", url, "--log-key", log_vkey]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn node_size(node: &Server) -> u64 {
    size_of(&get(&format!("{}/log/checkpoint", node.url())).await.1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mirror_copies_catches_up_and_refuses_a_rewritten_history() {
    let dir = tempfile::tempdir().unwrap();
    let node_dir = dir.path().join("node");
    let node = Server::start(&node_dir, &[]);
    let log_vkey = String::from_utf8(get(&format!("{}/log/vkey", node.url())).await.1).unwrap();
    let log_vkey = log_vkey.trim().to_string();
    let log_key = truce_server::keyfile::read_key(&node_dir.join("log.key")).unwrap();
    let mode = Arc::new(AtomicU8::new(PASS));
    let log_url = proxy(node.url(), mode.clone(), LogSigner::new(log_key)).await;
    let mirror_dir = dir.path().join("mirror");
    std::fs::create_dir_all(&mirror_dir).unwrap();
    let key = Cosigner::generate("mirror.example/m1").unwrap();
    std::fs::write(mirror_dir.join("mirror.key"), key.to_skey()).unwrap();

    // A complete copy, cosigned by the mirror, that `truce verify` accepts.
    let mirror = MirrorProcess::start(&mirror_dir, &log_url, &log_vkey);
    let size = node_size(&node).await;
    let note = mirrored(&mirror, size).await;
    let parsed = CosignedNote::parse(&note).unwrap();
    let mirror_key = CosignerKey::parse(&key.vkey()).unwrap();
    assert!(mirror_key.cosignature_on(&parsed).is_some(), "{note:?}");
    let origin_hash = truce_witness::store::origin_hash(support::ORIGIN);
    let (status, by_hash) = get(&format!("{}/{origin_hash}/checkpoint", mirror.url)).await;
    assert_eq!((status, &by_hash), (200, &note));
    let out = verify(&mirror.url, &log_vkey);
    assert!(out.contains(&format!("verified {size} entries")), "{out}");

    // Killed while the log grows past a tile boundary, it catches up when restarted.
    mirror.kill_9();
    let client = reqwest::Client::new();
    for i in 0..(300 - size as usize % 256) {
        let status = submit_registration(&client, &node.url(), &node_dir, "pk", i).await;
        assert_eq!(status, 201);
    }
    let grown = node_size(&node).await;
    assert!(grown / 256 > size / 256, "{size} -> {grown}");
    let mirror = MirrorProcess::start(&mirror_dir, &log_url, &log_vkey);
    mirrored(&mirror, grown).await;
    let out = verify(&mirror.url, &log_vkey);
    assert!(out.contains(&format!("verified {grown} entries")), "{out}");

    // The log out of reach while it grows: the mirror keeps serving its copy, then
    // catches up when the log is back.
    mode.store(DOWN, Ordering::SeqCst);
    for i in 1000..1010 {
        let status = submit_registration(&client, &node.url(), &node_dir, "af", i).await;
        assert_eq!(status, 201);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(size_of(&mirrored(&mirror, grown).await), grown);
    mode.store(PASS, Ordering::SeqCst);
    mirrored(&mirror, grown + 10).await;
    pushed_while_the_log_is_out_of_reach(&node, &node_dir, &mirror, &mode, grown + 10).await;

    // A checkpoint of the same size with another root: refused, evidence kept, the
    // verified copy still served.
    mode.store(FORK, Ordering::SeqCst);
    let forks = mirror_dir.join("data").join(&origin_hash).join("forks");
    let deadline = Instant::now() + Duration::from_secs(20);
    // Evidence is written in a hidden staging folder, then renamed into place whole.
    let kept = |forks: &Path| {
        std::fs::read_dir(forks)
            .ok()?
            .map(|entry| entry.unwrap().path())
            .find(|path| !path.file_name().unwrap().to_string_lossy().starts_with('.'))
    };
    let evidence = loop {
        if let Some(evidence) = kept(&forks) {
            break evidence;
        }
        assert!(Instant::now() < deadline, "no evidence kept");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let reason = std::fs::read_to_string(evidence.join("reason")).unwrap();
    assert!(reason.contains("not the root"), "{reason}");
    let refused = std::fs::read(evidence.join("refused")).unwrap();
    assert!(
        String::from_utf8_lossy(&refused).contains("BwcHBwcH"),
        "the forged root"
    );
    assert!(!std::fs::read(evidence.join("mirrored")).unwrap().is_empty());
    verify(&mirror.url, &log_vkey);

    // A smaller checkpoint than the copy, signed by the log but with another root than
    // the copy's at that size: evidence too.
    mode.store(OLDER_FORK, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let reasons: Vec<String> = std::fs::read_dir(&forks)
            .unwrap()
            .filter_map(|e| std::fs::read_to_string(e.unwrap().path().join("reason")).ok())
            .collect();
        if reasons.iter().any(|r| r.contains("a smaller checkpoint")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no evidence of the smaller fork: {reasons:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    verify(&mirror.url, &log_vkey);
}

/// Both paths on one mirror: entries the pull path cannot reach are pushed, then the
/// pull path finds the copy up to date, and the copy verifies.
async fn pushed_while_the_log_is_out_of_reach(
    node: &Server,
    node_dir: &Path,
    mirror: &MirrorProcess,
    mode: &AtomicU8,
    size: u64,
) {
    mode.store(DOWN, Ordering::SeqCst);
    let client = reqwest::Client::new();
    for i in 2000..2010 {
        let status = submit_registration(&client, &node.url(), node_dir, "af", i).await;
        assert_eq!(status, 201);
    }
    let output = run(&["mirror-push", "--log", &node.url(), "--mirror", &mirror.url]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(&format!("mirrored {} entries\n", size + 10)),
        "{stdout}"
    );
    assert_eq!(size_of(&mirrored(mirror, size + 10).await), size + 10);
    mode.store(PASS, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(size_of(&mirrored(mirror, size + 10).await), size + 10);
}
