//! A node and three `truce witness` processes on loopback: the node asks the genesis's
//! witnesses to cosign each checkpoint and serves the newest one with the quorum; a witness
//! down never blocks appends; a node killed mid-cosigning catches up when restarted.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{Server, WitnessProcess, now, run};
use serde_json::{Value, json};
use truce_core::DelegationId;
use truce_core::genesis::Witness;
use truce_core::kinds::KEY_REGISTERED;
use truce_demo::Exercise;
use truce_log::cosignature::Cosigner;
use truce_log::{Author, KeyPair};

const ORIGIN: &str = "truce.example/cosigned-log";
const DELEGATIONS: [&str; 3] = ["pk", "af", "tr"];

struct Setup {
    exercise: Exercise,
    keys: Vec<Cosigner>,
    dirs: Vec<std::path::PathBuf>,
}

fn setup(dir: &Path) -> Setup {
    let exercise = Exercise::from_seed(ORIGIN, 23);
    let mut keys = vec![];
    let mut dirs = vec![];
    for delegation in DELEGATIONS {
        let witness_dir = dir.join(format!("witness-{delegation}"));
        std::fs::create_dir_all(&witness_dir).unwrap();
        let key = Cosigner::generate(&format!("witness.example/{delegation}")).unwrap();
        std::fs::write(
            witness_dir.join("witness.key"),
            format!("{}\n", key.to_skey()),
        )
        .unwrap();
        keys.push(key);
        dirs.push(witness_dir);
    }
    Setup {
        exercise,
        keys,
        dirs,
    }
}

/// The node's configuration: its origin and where each witness is.
fn node_config(dir: &Path, setup: &Setup, urls: &[String]) -> std::path::PathBuf {
    let mut text =
        format!("origin = \"{ORIGIN}\"\n[limits]\nbatch_wait_ms = 5\nwitness_timeout_ms = 1000\n");
    for (key, url) in setup.keys.iter().zip(urls) {
        let _ = write!(
            text,
            "[[witnesses]]\nvkey = \"{}\"\nurl = \"{url}\"\n",
            key.vkey()
        );
    }
    let path = dir.join("node.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn start_node(dir: &Path, config: &Path) -> Server {
    Server::start_serving(
        &dir.join("node"),
        &["--config", config.to_str().unwrap()],
        &[],
    )
}

async fn post_genesis(server: &Server, setup: &Setup) {
    let mut genesis = setup.exercise.genesis();
    genesis.witnesses = setup
        .keys
        .iter()
        .zip(DELEGATIONS)
        .map(|(k, d)| Witness {
            vkey: k.vkey(),
            delegation: DelegationId::parse(d).unwrap(),
        })
        .collect();
    genesis.witness_quorum = 2;
    assert_eq!(
        post(server, setup.exercise.genesis_note(&genesis)).await,
        201
    );
}

async fn post(server: &Server, note: Vec<u8>) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/api/v1/entries", server.url()))
        .header("content-type", "text/plain")
        .body(note)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Registers `count` devices of the pk delegation, continuing `author`'s chain.
async fn append(server: &Server, author: &mut Author, first: usize, count: usize) {
    for i in first..first + count {
        let name = format!("{ORIGIN}/pk/device-{i}");
        let device = KeyPair::generate(&name).unwrap();
        let payload =
            json!({"delegation": "pk", "name": name, "role": "device", "vkey": device.vkey()});
        assert_eq!(
            post(server, author.write(KEY_REGISTERED, payload, now())).await,
            201
        );
    }
}

async fn witnesses(server: &Server) -> Value {
    reqwest::get(format!("{}/api/v1/log/witnesses", server.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Waits until the newest witnessed checkpoint is the newest signed one, of `size`.
async fn caught_up(server: &Server, size: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = witnesses(server).await;
        if status["signed_size"] == size && status["witnessed_size"] == size {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "not caught up to {size}: {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text(url: String) -> String {
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

fn checkpoint_size(note: &str) -> u64 {
    note.lines().nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_serves_the_witnessed_checkpoint_and_catches_up_after_faults() {
    let dir = tempfile::tempdir().unwrap();
    let setup = setup(dir.path());
    let log_vkey = setup.exercise.log_key.vkey();
    let node_dir = dir.path().join("node");
    std::fs::create_dir_all(&node_dir).unwrap();
    truce_server::keyfile::write_key(
        &node_dir.join(truce_server::node::LOG_KEY_FILE),
        &setup.exercise.log_key,
    )
    .unwrap();
    // Two witnesses up; the third's URL is a port nobody listens on.
    let pk = WitnessProcess::start(&setup.dirs[0], &log_vkey);
    let af = WitnessProcess::start(&setup.dirs[1], &log_vkey);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let config = node_config(dir.path(), &setup, &[pk.url.clone(), af.url.clone(), down]);
    let node = start_node(dir.path(), &config);
    post_genesis(&node, &setup).await;
    let mut author = Author::new(setup.exercise.root("pk").clone(), ORIGIN);
    append(&node, &mut author, 0, 5).await;
    let status = caught_up(&node, 6).await;
    assert_eq!(status["lag_entries"], 0, "{status}");
    let down_witness = &status["witnesses"][2];
    assert!(
        down_witness["last_error"].is_string() && down_witness["errors"].as_u64() > Some(0),
        "{status}"
    );
    assert_eq!(down_witness["cosigned_size"], Value::Null);

    // An author's receipt: a tlog-proof whose checkpoint carries the cosignatures.
    let receipt = text(format!("{}/api/v1/entries/3/proof", node.url())).await;
    assert_eq!(
        receipt.matches("\n— witness.example/").count(),
        2,
        "{receipt}"
    );

    let output = run(&["verify", &node.url()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout.matches("cosigned by the witness").count(),
        2,
        "{stdout}"
    );
    let metrics = text(format!("{}/metrics", node.url())).await;
    assert!(metrics.contains("truce_witness_cosigned_size"), "{metrics}");
    assert!(metrics.contains("truce_log_witnessed_size"), "{metrics}");

    // One of the two witnesses stops: appends go on, the served checkpoint stays the last
    // witnessed one, and the lag shows.
    let af_listen = af.url.trim_start_matches("http://").to_string();
    af.kill_9();
    append(&node, &mut author, 5, 3).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let status = witnesses(&node).await;
    assert_eq!(
        (
            status["signed_size"].as_u64(),
            status["witnessed_size"].as_u64()
        ),
        (Some(9), Some(6)),
        "{status}"
    );
    assert_eq!(status["lag_entries"], 3);
    let served = text(format!("{}/log/checkpoint", node.url())).await;
    assert_eq!(checkpoint_size(&served), 6, "{served}");
    assert!(run(&["verify", &node.url()]).status.success());

    // The node is killed while the witness is away, and restarted once it is back: it
    // catches up from what it stored, and the witness's state survived its own kill.
    node.kill_9();
    let _af = WitnessProcess::start_on(&setup.dirs[1], &log_vkey, &af_listen);
    let node = start_node(dir.path(), &config);
    caught_up(&node, 9).await;
    let served = text(format!("{}/log/checkpoint", node.url())).await;
    assert_eq!(checkpoint_size(&served), 9, "{served}");
    assert_eq!(
        served.matches("\n— witness.example/").count(),
        2,
        "{served}"
    );
    // The data directory verifies too: the same checkpoint, with its stored cosignatures.
    node.kill_9();
    let output = run(&["verify", node_dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("verified 9 entries"), "{stdout}");
    drop(pk);
}
