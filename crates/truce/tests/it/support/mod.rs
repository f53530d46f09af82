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

/// How many entries `truce serve --demo` writes: the constitution and the scenario.
#[allow(dead_code)] // not every test binary uses it
pub fn demo_size() -> u64 {
    let exercise = truce_demo::Exercise::generate(ORIGIN);
    let now = truce_core::Timestamp::from_unix_seconds(1_800_000_000);
    (exercise.entries().len() + exercise.scenario(&now).len()) as u64
}

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
        Self::start_with_env(dir, extra, &[])
    }

    pub fn start_with_env(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let args: Vec<&str> = ["--demo"].iter().chain(extra).copied().collect();
        Self::start_serving(dir, &args, env)
    }

    /// Starts `truce serve` on `dir` with `args` (no demo unless they say `--demo`).
    pub fn start_serving(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = truce()
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir)
            .args(args)
            .env("TRUCE_LIMITS__BATCH_WAIT_MS", "5")
            .envs(env.iter().copied())
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

    /// SIGTERM, then waits for the process to exit; returns whether it exited with 0.
    pub fn terminate(&mut self) -> bool {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success(), "kill -TERM {pid}");
        self.child.wait().unwrap().success()
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

/// A session token of the demo account `name` (e.g. `jmt-monitor-1`) on `server`.
pub async fn demo_token(server: &str, name: &str) -> String {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{server}/api/v1/login"))
        .json(&serde_json::json!({"name": name, "password": "exercise-only"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["token"].as_str().unwrap().to_string()
}

/// GET `url` and return its body, panicking on a transport error.
pub async fn get_bytes(client: &reqwest::Client, url: &str) -> Vec<u8> {
    let response = client.get(url).send().await.unwrap();
    response.bytes().await.unwrap().to_vec()
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

/// A server in front of `upstream` that serves what upstream serves (the query passed
/// on), except where `lie` changes it (given the path and upstream's body).
pub async fn spawn_liar(
    upstream: String,
    lie: impl Fn(&str, Vec<u8>) -> Vec<u8> + Clone + Send + Sync + 'static,
) -> SocketAddr {
    use axum::extract::Request;
    let client = reqwest::Client::new();
    let app = axum::Router::new().fallback(move |request: Request| {
        let (client, upstream, lie) = (client.clone(), upstream.clone(), lie.clone());
        async move {
            let path = request.uri().path().to_string();
            let query = request
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            let response = client
                .get(format!("{upstream}{path}{query}"))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.bytes().await.unwrap().to_vec();
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                lie(&path, body),
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

pub async fn submit_registration(
    client: &reqwest::Client,
    server: &str,
    dir: &Path,
    delegation: &str,
    i: usize,
) -> reqwest::StatusCode {
    let mut root = author(client, server, demo_key(dir, &format!("{delegation}-root"))).await;
    let note = root.write("key.registered", device_registration(delegation, i), now());
    client
        .post(format!("{server}/api/v1/entries"))
        .header("content-type", "text/plain")
        .body(note)
        .send()
        .await
        .unwrap()
        .status()
}

/// A `truce witness` process, killed when dropped.
pub struct WitnessProcess {
    pub child: Child,
    pub url: String,
}

impl WitnessProcess {
    pub fn start(dir: &Path, log_vkey: &str) -> Self {
        Self::start_on(dir, log_vkey, "127.0.0.1:0")
    }

    /// Starts `truce witness` with its key, data and logs file in `dir`, on `listen`.
    pub fn start_on(dir: &Path, log_vkey: &str, listen: &str) -> Self {
        let logs = dir.join("logs.txt");
        std::fs::write(
            &logs,
            format!("# the log this witness cosigns\nlog {log_vkey}\n"),
        )
        .unwrap();
        let mut child = truce()
            .args(["witness", "--listen", listen, "--key"])
            .arg(dir.join("witness.key"))
            .arg("--data")
            .arg(dir.join("data"))
            .arg("--logs")
            .arg(&logs)
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
            .strip_prefix("truce witness listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Self { child, url }
    }

    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub async fn post(&self, body: Vec<u8>) -> (u16, String) {
        let response = reqwest::Client::new()
            .post(format!("{}/add-checkpoint", self.url))
            .body(body)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

impl Drop for WitnessProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
