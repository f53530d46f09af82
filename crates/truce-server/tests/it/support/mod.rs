//! Starting a real node on port 0 with a fresh data directory, and talking HTTP to it.
#![allow(dead_code)] // Each test binary uses a different part of the harness.

pub mod web;

use std::net::SocketAddr;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde_json::{Value, json};
use truce_core::Timestamp;
use truce_log::{Author, KeyPair};
use truce_server::{Config, RunningNode};

pub const ORIGIN: &str = truce_demo::DEMO_ORIGIN;

pub struct TestApp {
    pub node: Option<RunningNode>,
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub client: reqwest::Client,
}

pub fn config(dir: &std::path::Path) -> Config {
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        ..Config::default()
    };
    config.limits.batch_wait_ms = 5;
    config
}

/// A node serving the demo's constitution (9 entries) from a new temporary directory.
pub async fn spawn_demo() -> TestApp {
    spawn(truce_server::Demo::Constitution).await
}

/// A node serving the whole exercise: the constitution and the workflow scenario.
#[allow(dead_code)] // not every test binary uses it
pub async fn spawn_exercise() -> TestApp {
    spawn(truce_server::Demo::Exercise).await
}

async fn spawn(demo: truce_server::Demo) -> TestApp {
    spawn_with(demo, |_| {}).await
}

/// A node serving `demo`, on the test configuration as `change` leaves it.
pub async fn spawn_with(demo: truce_server::Demo, change: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    change(&mut config);
    let node = truce_server::start(config, Some(demo)).await.unwrap();
    TestApp {
        addr: node.addr,
        node: Some(node),
        dir,
        client: reqwest::Client::new(),
    }
}

impl TestApp {
    /// A node on `config` without the demo (its data directory is `dir`).
    pub async fn start(config: Config, dir: tempfile::TempDir) -> TestApp {
        let node = truce_server::start(config, None).await.unwrap();
        TestApp {
            addr: node.addr,
            node: Some(node),
            dir,
            client: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// The body of `path` as text, whatever the status.
    pub async fn get_text(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    pub async fn post_note(&self, note: Vec<u8>) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/entries"))
            .header("content-type", "text/plain")
            .body(note)
            .send()
            .await
            .unwrap()
    }

    pub async fn size(&self) -> u64 {
        self.get_json("/healthz").await["log_size"]
            .as_u64()
            .unwrap()
    }

    /// A demo key written by the node to `demo-keys/`, e.g. `pk-root`.
    pub fn demo_key(&self, file: &str) -> KeyPair {
        truce_server::keyfile::read_key(&self.dir.path().join(format!("demo-keys/{file}.key")))
            .unwrap()
    }

    /// The author of `key`, positioned after its last entry on this log.
    pub async fn author(&self, key: KeyPair) -> Author {
        let head = self.get_json(&format!("/api/v1/keys/{}", key.name())).await;
        let seq = head["seq"].as_u64().unwrap();
        let last = head["last_leaf_hash"]
            .as_str()
            .map(|h| BASE64.decode(h).unwrap().try_into().unwrap());
        Author::resume(key, ORIGIN, seq, last)
    }

    pub async fn stop(&mut self) {
        self.node.take().unwrap().shutdown().await.unwrap();
    }
}

pub fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Timestamp::from_unix_seconds(i64::try_from(seconds).unwrap())
}

/// The payload registering a new device key of the `jmt` delegation.
pub fn device_registration(key: &KeyPair) -> Value {
    serde_json::json!({
        "delegation": "jmt",
        "name": key.name().as_str(),
        "role": "device",
        "vkey": key.vkey(),
    })
}

pub fn device_key(i: usize) -> KeyPair {
    let name = truce_core::KeyName::parse(format!("{ORIGIN}/jmt/device-{i}")).unwrap();
    let mut seed = [7u8; 32];
    seed[..8].copy_from_slice(&(i as u64).to_be_bytes());
    KeyPair::from_seed(&name, seed)
}

/// Kabul's account of the December 2024 air strikes, as the seed article reports it.
pub fn kabul_account() -> Value {
    json!({
        "accused": "pk",
        "actors": [{"name": "Military forces of Pakistan", "party": "pk", "side": "perpetrator"}],
        "casualties": {"children_killed": null, "civilians_killed": null, "women_killed": null,
            "injured": {"low": 0, "best": 0, "high": 0}, "killed": {"low": 46, "best": 46, "high": 46}},
        "event_type": "explosions_remote_violence",
        "location": {"impact": null, "launch": null, "place": "Paktika province", "point": {"lat": 32.6, "lon": 68.7}, "precision": 4},
        "occurred": {"end": null, "precision": "days", "start": "2024-12-24T00:00:00Z"},
        "provisions": ["sovereignty"],
        "sources": [{"credibility": 6, "name": "Taliban authorities, as reported by DW", "reliability": "F"}],
        "sub_event_type": "air_drone_strike",
        "summary": "At least 46 people, including women and children, were killed in attacks with fighter jets and drones, according to the Taliban.",
        "title": "Air strikes in eastern Afghanistan"
    })
}

/// A clash report placed in Kurram, by the other party's liaison.
pub fn clash_report() -> Value {
    let mut report = kabul_account();
    report["accused"] = json!("af");
    report["actors"] = json!([]);
    report["event_type"] = json!("battles");
    report["sub_event_type"] = json!("armed_clash");
    report["location"]["point"] = json!({"lat": 33.9, "lon": 70.1});
    report["location"]["place"] = json!("Kurram");
    report["occurred"]["start"] = json!("2025-10-11T00:00:00Z");
    report["provisions"] = json!(["ceasefire"]);
    report["title"] = json!("Cross-border clashes");
    report
}

/// Signs `payload` as the next entry of `kind` by the demo key `key` (e.g.
/// `af-liaison-1`), dated now, and posts it.
pub async fn write(app: &TestApp, key: &str, kind: &str, payload: Value) -> reqwest::Response {
    let mut author = app.author(app.demo_key(key)).await;
    app.post_note(author.write(kind, payload, now())).await
}

/// Signs and posts a report as the demo key `key`.
pub async fn file_report(app: &TestApp, key: &str, report: Value) -> reqwest::Response {
    write(app, key, "report.submitted", report).await
}

/// Writes each case (key, kind, payload) and checks it is refused with its status and
/// the field it names, and that the log has grown by nothing.
pub async fn assert_refused(app: &TestApp, cases: Vec<(&str, &str, Value, u16, &str)>) {
    let size = app.size().await;
    for (key, kind, payload, status, field) in cases {
        let response = write(app, key, kind, payload).await;
        let code = response.status().as_u16();
        let problem: Value = response.json().await.unwrap();
        assert_eq!(
            (code, problem["field"].as_str()),
            (status, Some(field)),
            "{kind}: {problem}"
        );
    }
    assert_eq!(app.size().await, size, "a refused entry appends nothing");
}

/// The password of every demo account.
#[allow(dead_code)] // not every test binary uses it
pub const DEMO_PASSWORD: &str = "exercise-only";

/// `POST /api/v1/login`.
#[allow(dead_code)]
pub async fn login(app: &TestApp, name: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/login"))
        .json(&serde_json::json!({"name": name, "password": password}))
        .send()
        .await
        .unwrap()
}

/// A session token of the demo account `name` (e.g. `pk-liaison-1`).
#[allow(dead_code)]
pub async fn token(app: &TestApp, name: &str) -> String {
    let response = login(app, name, DEMO_PASSWORD).await;
    assert_eq!(response.status(), 201, "{name}");
    let answer: Value = response.json().await.unwrap();
    answer["token"].as_str().unwrap().to_string()
}
