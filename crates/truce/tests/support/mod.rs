//! Running the real `truce` binary: servers on port 0, and commands.
#![allow(dead_code)] // Each test binary uses a different part of the harness.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use truce_core::Timestamp;
use truce_log::{Author, KeyPair};

pub const ORIGIN: &str = truce_demo::DEMO_ORIGIN;

pub fn truce() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_truce"));
    command.env("RUST_LOG", "warn");
    command
}

/// A `truce serve` process, killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `truce serve --demo` on `dir` and waits until it listens.
    pub fn start(dir: &Path, extra: &[&str]) -> Self {
        let mut child = truce()
            .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir)
            .args(extra)
            .env("TRUCE_LIMITS__BATCH_WAIT_MS", "5")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("truce listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        Self { child, addr }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn run(args: &[&str]) -> Output {
    truce().args(args).output().unwrap()
}

pub fn demo_key(dir: &Path, file: &str) -> KeyPair {
    let text = std::fs::read_to_string(dir.join(format!("demo-keys/{file}.key"))).unwrap();
    KeyPair::from_skey(&text).unwrap()
}

pub async fn author(client: &reqwest::Client, server: &str, key: KeyPair) -> Author {
    let url = format!("{server}/api/v1/keys/{}", key.name());
    let head: serde_json::Value = client.get(url).send().await.unwrap().json().await.unwrap();
    let seq = head["seq"].as_u64().unwrap();
    let last = head["last_leaf_hash"]
        .as_str()
        .map(|h| BASE64.decode(h).unwrap().try_into().unwrap());
    Author::resume(key, ORIGIN, seq, last)
}

pub fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Timestamp::from_unix_seconds(i64::try_from(seconds).unwrap())
}

/// Registers a new device key of `delegation` (any delegation may hold devices).
pub fn device_registration(delegation: &str, i: usize) -> serde_json::Value {
    let name = truce_core::KeyName::parse(format!("{ORIGIN}/{delegation}/device-{i}")).unwrap();
    let mut seed = [3u8; 32];
    seed[..8].copy_from_slice(&(i as u64).to_be_bytes());
    let key = KeyPair::from_seed(&name, seed);
    serde_json::json!({"delegation": delegation, "name": key.name().as_str(), "role": "device", "vkey": key.vkey()})
}
