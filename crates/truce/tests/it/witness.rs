//! `truce witness` as a real process on loopback: killed with SIGKILL and restarted, it
//! keeps what it cosigned and does not cosign a checkpoint that conflicts with it.

use std::fmt::Write as _;
use std::path::Path;

use crate::support::{Server, WitnessProcess, run, spawn_liar, truce};
use truce_core::DelegationId;
use truce_core::genesis::Witness;
use truce_demo::Exercise;
use truce_log::consistency;
use truce_log::cosignature::Cosigner;
use truce_log::proof::FetchedHashes;
use truce_log::{Frontier, KeyPair, LogSigner, record_hash};

const ORIGIN: &str = "truce.example/witnessed-process";

/// A history of `size` leaves, the first `common` shared by every tag.
fn history(tag: &str, common: u64, size: u64) -> (FetchedHashes, Vec<truce_log::Hash>) {
    let mut frontier = Frontier::new();
    let mut hashes = FetchedHashes::default();
    let mut roots = vec![frontier.root()];
    for i in 0..size {
        let leaf = if i < common {
            format!("leaf {i}")
        } else {
            format!("{tag} {i}")
        };
        hashes
            .0
            .extend(frontier.append(record_hash(leaf.as_bytes())));
        roots.push(frontier.root());
    }
    (hashes, roots)
}

fn body(
    log: &KeyPair,
    roots: &[truce_log::Hash],
    hashes: &FetchedHashes,
    old: u64,
    new: u64,
) -> Vec<u8> {
    let mut text = format!("old {old}\n");
    for hash in consistency::prove(old, new, hashes).unwrap() {
        let _ = writeln!(text, "{hash}");
    }
    text.push('\n');
    let mut body = text.into_bytes();
    body.extend(
        LogSigner::new(log.clone())
            .sign(new, roots[new as usize])
            .note,
    );
    body
}

#[tokio::test]
async fn a_witness_killed_and_restarted_keeps_its_state_and_refuses_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("witness.key");
    let generated = truce()
        .args([
            "keys",
            "generate",
            "--cosigner",
            "--name",
            "witness.example/pk",
            "-o",
        ])
        .arg(&key_file)
        .output()
        .unwrap();
    assert!(generated.status.success(), "{generated:?}");
    let witness_vkey = String::from_utf8(generated.stdout)
        .unwrap()
        .trim()
        .to_string();
    assert!(
        witness_vkey.starts_with("witness.example/pk+"),
        "{witness_vkey}"
    );

    let log = KeyPair::generate(ORIGIN).unwrap();
    let (hashes, roots) = history("honest", 10, 30);
    let witness = WitnessProcess::start(dir.path(), &log.vkey());
    assert_eq!(
        witness.post(body(&log, &roots, &hashes, 0, 10)).await.0,
        200
    );
    let (status, line) = witness.post(body(&log, &roots, &hashes, 10, 20)).await;
    assert_eq!(status, 200, "{line}");
    assert!(line.starts_with("— witness.example/pk "), "{line}");
    witness.kill_9();

    let witness = WitnessProcess::start(dir.path(), &log.vkey());
    // It remembers size 20: a log that starts over from 0 is told so.
    assert_eq!(
        witness.post(body(&log, &roots, &hashes, 0, 25)).await,
        (409, "20\n".to_string())
    );
    // A fork at 20 with the honest history's first 10 leaves: the log signed it, but it
    // conflicts with what the witness cosigned; refused and kept.
    let (fork_hashes, fork_roots) = history("fork", 10, 30);
    let (status, reason) = witness
        .post(body(&log, &fork_roots, &fork_hashes, 20, 20))
        .await;
    assert_eq!(status, 422, "{reason}");
    let (status, _) = witness
        .post(body(&log, &fork_roots, &fork_hashes, 20, 30))
        .await;
    assert_eq!(status, 422);
    let origin_dir = std::fs::read_dir(dir.path().join("data/logs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let kept = std::fs::read_dir(origin_dir.path().join("forks"))
        .unwrap()
        .count();
    // Only the same-size conflict proves a fork; a bad proof to 30 proves nothing.
    assert_eq!(kept, 1);
    // The honest log goes on.
    assert_eq!(
        witness.post(body(&log, &roots, &hashes, 20, 30)).await.0,
        200
    );
    witness.kill_9();
    let witness = WitnessProcess::start(dir.path(), &log.vkey());
    assert_eq!(
        witness.post(body(&log, &roots, &hashes, 0, 30)).await,
        (409, "30\n".to_string())
    );
}

#[test]
fn a_witness_without_a_usable_key_or_log_exits_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let log = KeyPair::generate(ORIGIN).unwrap();
    let missing = truce()
        .args([
            "witness",
            "--listen",
            "127.0.0.1:0",
            "--key",
            "/nonexistent",
            "--data",
        ])
        .arg(dir.path())
        .args(["--log", &log.vkey()])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--key"));
    let key = dir.path().join("w.key");
    std::fs::write(
        &key,
        format!("{}\n", Cosigner::generate("w").unwrap().to_skey()),
    )
    .unwrap();
    let bad_log = truce()
        .args(["witness", "--listen", "127.0.0.1:0", "--key"])
        .arg(&key)
        .arg("--data")
        .arg(dir.path())
        .args(["--log", "not-a-key"])
        .output()
        .unwrap();
    assert_eq!(bad_log.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_log.stderr).contains("--log not-a-key"));
}

const WITNESSED_ORIGIN: &str = "truce.example/witnessed-log";

/// A cosigner key file in `dir`; returns the key.
fn cosigner_file(dir: &Path, name: &str) -> Cosigner {
    let key = Cosigner::generate(name).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("witness.key"), format!("{}\n", key.to_skey())).unwrap();
    key
}

/// A node without the demo whose log key is the exercise's, and whose genesis names the
/// two witnesses with a quorum of two.
async fn witnessed_node(dir: &Path, exercise: &Exercise, witnesses: &[&Cosigner]) -> Server {
    let data = dir.join("node");
    std::fs::create_dir_all(&data).unwrap();
    truce_server::keyfile::write_key(
        &data.join(truce_server::node::LOG_KEY_FILE),
        &exercise.log_key,
    )
    .unwrap();
    let server = Server::start_serving(
        &data,
        &[],
        &[
            ("TRUCE_ORIGIN", WITNESSED_ORIGIN),
            ("TRUCE_LIMITS__BATCH_WAIT_MS", "5"),
        ],
    );
    let mut genesis = exercise.genesis();
    genesis.witnesses = witnesses
        .iter()
        .zip(["pk", "af"])
        .map(|(w, d)| Witness {
            vkey: w.vkey(),
            delegation: DelegationId::parse(d).unwrap(),
        })
        .collect();
    genesis.witness_quorum = 2;
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/entries", server.url()))
        .header("content-type", "text/plain")
        .body(exercise.genesis_note(&genesis))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_refuses_a_checkpoint_under_the_witness_quorum_naming_the_missing() {
    let dir = tempfile::tempdir().unwrap();
    let exercise = Exercise::from_seed(WITNESSED_ORIGIN, 17);
    let (pk_dir, af_dir) = (dir.path().join("w-pk"), dir.path().join("w-af"));
    let pk = cosigner_file(&pk_dir, "witness.example/pk");
    let af = cosigner_file(&af_dir, "witness.example/af");
    let node = witnessed_node(dir.path(), &exercise, &[&pk, &af]).await;
    let checkpoint = reqwest::get(format!("{}/log/checkpoint", node.url()))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();

    // Served as the log signed it: no cosignature, both witnesses named.
    let output = run(&["verify", &node.url()]);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("witness_quorum is 2"), "{stderr}");
    assert!(
        stderr.contains(&pk.vkey()) && stderr.contains(&af.vkey()),
        "{stderr}"
    );

    // Real witnesses cosign it; a server in front of the node attaches their lines.
    let mut lines = vec![];
    for witness_dir in [&pk_dir, &af_dir] {
        let witness = WitnessProcess::start(witness_dir, &exercise.log_key.vkey());
        let mut body = b"old 0\n\n".to_vec();
        body.extend_from_slice(&checkpoint);
        let (status, line) = witness.post(body).await;
        assert_eq!(status, 200, "{line}");
        lines.push(line);
    }
    let with = |lines: Vec<String>| {
        let checkpoint = checkpoint.clone();
        move |path: &str, body: Vec<u8>| {
            if path != "/log/checkpoint" {
                return body;
            }
            let mut note = checkpoint.clone();
            note.extend(lines.concat().into_bytes());
            note
        }
    };
    let one = spawn_liar(node.url(), with(vec![lines[0].clone()])).await;
    let output = run(&["verify", &format!("http://{one}")]);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&af.vkey()) && !stderr.contains(&pk.vkey()),
        "{stderr}"
    );

    let both = spawn_liar(node.url(), with(lines)).await;
    let output = run(&["verify", &format!("http://{both}")]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(&format!("cosigned by the witness {}", pk.vkey())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("cosigned by the witness {}", af.vkey())),
        "{stdout}"
    );
}
