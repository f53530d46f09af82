//! Alerts over HTTP: a commissioner subscribes a webhook, a real receiver on port 0 gets
//! the matching entries signed the Standard Webhooks way (checked here with HMAC
//! independently of the node's code), failures are retried with backoff and recorded, a
//! restart loses nothing queued, and bad subscriptions are refused naming the field.

use crate::support;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{TestApp, clash_report, file_report, kabul_account, spawn_with, token};
use axum::http::{HeaderMap, StatusCode};
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use truce_server::Demo;

/// What a receiver got: the three Standard Webhooks headers and the body.
#[derive(Debug, Clone)]
struct Delivery {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A webhook receiver on port 0: it records every request and answers the statuses it
/// is told to, in turn, then 200.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Delivery>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    async fn start(answers: &[u16]) -> (Receiver, String) {
        let receiver = Receiver::default();
        receiver.answers.lock().unwrap().extend(answers);
        let state = receiver.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let state = state.clone();
                async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .map(|v| v.to_str().unwrap().to_string())
                            .unwrap_or_default()
                    };
                    state.got.lock().unwrap().push(Delivery {
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp"),
                        signature: header("webhook-signature"),
                        body,
                    });
                    let status = state.answers.lock().unwrap().pop_front().unwrap_or(200);
                    StatusCode::from_u16(status).unwrap()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, url)
    }

    fn got(&self) -> Vec<Delivery> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `n` requests have arrived (at most 20 s).
    async fn wait_for(&self, n: usize) -> Vec<Delivery> {
        for _ in 0..400 {
            if self.got().len() >= n {
                return self.got();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{n} deliveries expected, got {:?}", self.got());
    }
}

/// A node on the exercise whose failed deliveries are retried after 50, 200, 800 ms, and
/// which sends webhooks to loopback (where the tests' receivers are).
async fn node(database: Option<String>, attempts: u32) -> TestApp {
    spawn_with(Demo::Exercise, |config| {
        config.webhooks_private_networks = true;
        config.database = database;
        config.limits.webhook_retry_ms = 50;
        config.limits.webhook_attempts_max = attempts;
    })
    .await
}

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    who: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let token = token(app, who).await;
    call_with(app, method, path, &token, body).await
}

/// The same with a token already held: each login is a password check, which the node
/// rate-limits (`limits.password_checks_per_s`), so a test that calls often logs in once.
async fn call_with(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn subscribe(app: &TestApp, who: &str, body: Value) -> reqwest::Response {
    call(
        app,
        reqwest::Method::POST,
        "/api/v1/webhooks",
        who,
        Some(body),
    )
    .await
}

/// Reports that accuse Pakistan and count at least one death.
fn serious_allegations_against_pk(url: &str) -> Value {
    json!({"url": url, "kinds": ["report.submitted"], "description": "serious, against pk",
        "filter": [{"path": "/payload/accused", "equals": "pk"},
                   {"path": "/payload/casualties/killed/best", "at_least": 1}]})
}

/// Checks a delivery's signature as any Standard Webhooks receiver would.
/// The database's files (with the write-ahead log) hold the secret only sealed.
fn assert_not_in_the_database(app: &TestApp, secret: &str) {
    let key = secret.strip_prefix("whsec_").unwrap().as_bytes();
    for file in ["truce.db", "truce.db-wal"] {
        let bytes = std::fs::read(app.dir.path().join(file)).unwrap_or_default();
        assert!(
            !bytes.windows(key.len()).any(|w| w == key),
            "{file} holds the webhook secret in clear"
        );
    }
}

fn assert_signed(delivery: &Delivery, secret: &str) {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", delivery.id, delivery.timestamp, delivery.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    assert_eq!(delivery.signature, expected, "signature of {}", delivery.id);
}

async fn deliveries(app: &TestApp, id: &str) -> Vec<Value> {
    let path = format!("/api/v1/webhooks/{id}/deliveries");
    let answer: Value = call(app, reqwest::Method::GET, &path, "tr-commissioner-1", None)
        .await
        .json()
        .await
        .unwrap();
    answer["items"].as_array().unwrap().clone()
}

/// A matching report arrives signed after two failed attempts, under one id; a report
/// that does not match is never sent. On each backend.
#[tokio::test]
async fn a_matching_entry_is_delivered_signed_after_retries_and_others_are_not() {
    let mut databases = vec![None];
    if let Some(url) = truce_store::testing::postgres_url_in_fresh_schema().await {
        databases.push(Some(url));
    }
    for database in databases {
        let sqlite = database.is_none();
        let app = node(database, 8).await;
        let (receiver, url) = Receiver::start(&[500, 503]).await;
        let response = subscribe(
            &app,
            "tr-commissioner-1",
            serious_allegations_against_pk(&url),
        )
        .await;
        assert_eq!(response.status(), 201);
        let created: Value = response.json().await.unwrap();
        let (id, secret) = (
            created["id"].as_str().unwrap(),
            created["secret"].as_str().unwrap(),
        );
        if sqlite {
            assert_not_in_the_database(&app, secret);
        }

        assert_eq!(
            file_report(&app, "af-liaison-1", clash_report())
                .await
                .status(),
            201
        );
        let filed = file_report(&app, "af-liaison-1", kabul_account()).await;
        let index = filed.json::<Value>().await.unwrap()["index"]
            .as_u64()
            .unwrap();

        let got = receiver.wait_for(3).await;
        for delivery in &got {
            assert_signed(delivery, secret);
            assert_eq!(
                delivery.id,
                format!("{id}-{index}"),
                "one id across attempts"
            );
        }
        let body: Value = serde_json::from_str(&got[2].body).unwrap();
        assert_eq!(body["type"], "report.submitted");
        assert_eq!(body["data"]["index"], index);
        assert_eq!(body["data"]["entry"]["payload"]["accused"], "pk");
        assert_eq!(
            body["data"]["links"]["proof"],
            format!("/api/v1/entries/{index}/proof")
        );
        let log = deliveries(&app, id).await;
        assert_eq!(log.len(), 1, "only the matching report is queued: {log:?}");
        assert_eq!(
            (
                &log[0]["status"],
                &log[0]["attempts"],
                &log[0]["last_status"]
            ),
            (&json!("delivered"), &json!(3), &json!(200))
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(receiver.got().len(), 3, "nothing else was sent");
    }
}

/// A receiver that never answers well is given up on after the last attempt, and the
/// webhook's counts and deliveries say so.
#[tokio::test]
async fn a_delivery_is_given_up_after_the_last_attempt_and_recorded() {
    let app = node(None, 3).await;
    let (receiver, url) = Receiver::start(&[500, 500, 500, 500]).await;
    let created: Value = subscribe(&app, "jmt-monitor-1", serious_allegations_against_pk(&url))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    file_report(&app, "af-liaison-1", kabul_account()).await;
    receiver.wait_for(3).await;
    let mut log = deliveries(&app, id).await;
    for _ in 0..100 {
        if log[0]["status"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        log = deliveries(&app, id).await;
    }
    assert_eq!(
        (&log[0]["status"], &log[0]["attempts"]),
        (&json!("failed"), &json!(3))
    );
    assert!(
        log[0]["last_error"].as_str().unwrap().contains("500"),
        "{log:?}"
    );
    let path = format!("/api/v1/webhooks/{id}");
    let webhook: Value = call(&app, reqwest::Method::GET, &path, "jmt-monitor-1", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        webhook["deliveries"],
        json!({"pending": 0, "delivered": 0, "failed": 1})
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.got().len(), 3, "no attempt after the last");
}

/// What was queued survives the node stopping while the receiver is down.
#[tokio::test]
async fn a_queued_delivery_survives_a_restart() {
    let mut app = node(None, 20).await;
    let (receiver, url) = Receiver::start(&[503; 3]).await;
    let created: Value = subscribe(
        &app,
        "tr-commissioner-1",
        serious_allegations_against_pk(&url),
    )
    .await
    .json()
    .await
    .unwrap();
    let (id, secret) = (
        created["id"].as_str().unwrap(),
        created["secret"].as_str().unwrap(),
    );
    file_report(&app, "af-liaison-1", kabul_account()).await;
    receiver.wait_for(1).await;
    app.stop().await;
    let attempts_before = receiver.got().len();
    receiver.answers.lock().unwrap().clear();

    let mut config = support::config(app.dir.path());
    config.limits.webhook_retry_ms = 50;
    config.webhooks_private_networks = true;
    let dir = std::mem::replace(&mut app.dir, tempfile::tempdir().unwrap());
    let app = TestApp::start(config, dir).await;
    let got = receiver.wait_for(attempts_before + 1).await;
    let last = got.last().unwrap();
    assert_signed(last, secret);
    assert_eq!(last.id, got[0].id, "the same delivery, resumed");
    let log = deliveries(&app, id).await;
    assert_eq!((log.len(), &log[0]["status"]), (1, &json!("delivered")));
}

/// `good` spoiled one field at a time: the body, the field the refusal names, and its
/// status (400 for what the description forbids, 422 for what it cannot state).
fn bad_subscriptions(good: &Value) -> Vec<(Value, &'static str, u16)> {
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    vec![
        (with("url", json!("ftp://example.org/x")), "url", 400),
        (with("url", json!(7)), "url", 400),
        (with("kinds", json!([])), "kinds", 400),
        (
            with("kinds", json!(["report.submitted", "report.invented"])),
            "kinds",
            400,
        ),
        (
            with("filter", json!([{"path": "/payload/accused"}])),
            "filter",
            400,
        ),
        (
            with("filter", json!([{"path": "/x", "at_least": "one"}])),
            "filter",
            400,
        ),
        (
            with("description", json!("x".repeat(201))),
            "description",
            400,
        ),
        (with("colour", json!("red")), "colour", 400),
        (
            with("url", json!("http://user:pw@example.org/x")),
            "url",
            422,
        ),
    ]
}

/// Bad subscriptions are refused naming the field, and keep nothing; only staff may
/// subscribe, and only the maker or a commissioner may delete.
#[tokio::test]
async fn bad_subscriptions_are_refused_naming_the_field() {
    let app = node(None, 8).await;
    let good = serious_allegations_against_pk("http://127.0.0.1:9/hook");
    let commissioner = token(&app, "tr-commissioner-1").await;
    for (body, field, status) in bad_subscriptions(&good) {
        let post = reqwest::Method::POST;
        let sent = Some(body.clone());
        let response = call_with(&app, post, "/api/v1/webhooks", &commissioner, sent).await;
        assert_eq!(response.status(), status, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().starts_with(field),
            "{problem}"
        );
    }
    let liaison = subscribe(&app, "pk-liaison-1", good.clone()).await;
    assert_eq!(liaison.status(), 403);
    let anonymous = app
        .client
        .post(app.url("/api/v1/webhooks"))
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let list: Value = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/webhooks",
        "jmt-monitor-1",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list["items"], json!([]), "nothing kept");

    let created: Value = subscribe(&app, "jmt-monitor-1", good)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/webhooks/{}", created["id"].as_str().unwrap());
    let list: Value = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/webhooks",
        "tr-commissioner-1",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list["items"][0]["created_by"], "jmt-monitor-1");
    assert!(
        list["items"][0].get("secret").is_none(),
        "the secret is shown once"
    );
    let refused = call(&app, reqwest::Method::DELETE, &path, "pk-liaison-1", None).await;
    assert_eq!(refused.status(), 403);
    let deleted = call(
        &app,
        reqwest::Method::DELETE,
        &path,
        "qa-commissioner-1",
        None,
    )
    .await;
    assert_eq!(deleted.status(), 204);
    let gone = call(&app, reqwest::Method::GET, &path, "tr-commissioner-1", None).await;
    assert_eq!(gone.status(), 404);
}

/// The desk's alert form: a commissioner sets an alert and sees its secret once, a
/// refused form names the field and keeps what was typed, the maker deletes it; a
/// liaison's desk has no alerts.
#[tokio::test]
async fn alerts_are_set_and_deleted_on_the_desk() {
    use support::web::{browser_logged_in, csrf_in, desk_post, page};
    let app = node(None, 8).await;
    let session = browser_logged_in(&app, "tr-commissioner-1").await;
    let (_, _, desk) = page(&app, "/desk", &[("cookie", &session)]).await;
    assert!(
        desk.contains("id=\"alerts-h\""),
        "a commissioner's desk lists alerts"
    );
    let csrf = csrf_in(&desk);
    let url = "https://alerts.example.org/truce";
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("alert_url", url),
        ("alert_accused", "pk"),
        ("alert_killed_min", "many"),
        ("alert_description", "Serious allegations"),
    ];
    let (status, _, refused) = desk_post(&app, &session, "/desk/alert", &form).await;
    assert_eq!(status, 400);
    assert!(
        refused.contains("kinds: tick at least one kind"),
        "the field is named"
    );
    assert!(refused.contains(url), "what was typed is kept");
    form.push(("alert_kinds", "report.submitted"));
    let (status, _, refused) = desk_post(&app, &session, "/desk/alert", &form).await;
    assert_eq!(status, 400);
    assert!(
        refused.contains("killed_min: must be a whole number"),
        "{refused}"
    );
    form[3] = ("alert_killed_min", "1");
    form.push(("alert_kinds", "finding.finalized"));
    let (status, _, set) = desk_post(&app, &session, "/desk/alert", &form).await;
    assert_eq!(status, 201);
    let secret = set
        .split("id=\"alert-secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert!(
        secret.starts_with("whsec_"),
        "the secret is shown once: {secret}"
    );

    let list = webhooks_listed(&app).await;
    let webhook = &list[0];
    assert_eq!(
        webhook["kinds"],
        json!(["finding.finalized", "report.submitted"])
    );
    assert_eq!(
        webhook["filter"],
        json!([{"path": "/payload/accused", "equals": "pk"},
        {"path": "/payload/casualties/killed/best", "at_least": 1}])
    );
    let (_, _, desk) = page(&app, "/desk", &[("cookie", &session)]).await;
    assert!(
        desk.contains(url) && !desk.contains(secret),
        "listed, the secret not shown again"
    );

    let liaison = browser_logged_in(&app, "pk-liaison-1").await;
    let (_, _, liaison_desk) = page(&app, "/desk", &[("cookie", &liaison)]).await;
    assert!(!liaison_desk.contains("id=\"alerts-h\""));
    let id = webhook["id"].as_str().unwrap();
    let liaison_csrf = csrf_in(&liaison_desk);
    let pairs = [("csrf", liaison_csrf.as_str()), ("id", id)];
    let (status, _, _) = desk_post(&app, &liaison, "/desk/alert-delete", &pairs).await;
    assert_eq!(status, 403);
    let pairs = [("csrf", csrf.as_str()), ("id", id)];
    let (status, location, _) = desk_post(&app, &session, "/desk/alert-delete", &pairs).await;
    assert_eq!((status, location.as_str()), (303, "/desk#alerts-h"));
    assert_eq!(webhooks_listed(&app).await, Vec::<Value>::new());
}

async fn webhooks_listed(app: &TestApp) -> Vec<Value> {
    let list = call(
        app,
        reqwest::Method::GET,
        "/api/v1/webhooks",
        "tr-commissioner-1",
        None,
    )
    .await;
    list.json::<Value>().await.unwrap()["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// By default a node sends webhooks only to public addresses: an internal IP is refused
/// when subscribing, naming the url, and a name that resolves only inside is refused at
/// delivery, the attempt recorded with why; the receiver gets nothing.
#[tokio::test]
async fn internal_addresses_are_refused_unless_allowed() {
    let app = spawn_with(Demo::Exercise, |config| {
        config.limits.webhook_attempts_max = 1;
    })
    .await;
    let (receiver, url) = Receiver::start(&[]).await;
    for inside in [
        url.clone(),
        "http://10.0.0.7/hook".into(),
        "http://[::1]:9/hook".into(),
    ] {
        let response = subscribe(
            &app,
            "tr-commissioner-1",
            serious_allegations_against_pk(&inside),
        )
        .await;
        // A URL of the described form that the node will not post to.
        assert_eq!(response.status(), 422, "{inside}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], "url");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("private-network"),
            "{problem}"
        );
    }
    let by_name = url.replace("127.0.0.1", "localhost");
    let created: Value = subscribe(
        &app,
        "tr-commissioner-1",
        serious_allegations_against_pk(&by_name),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = created["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"));
    file_report(&app, "af-liaison-1", kabul_account()).await;
    let mut log = deliveries(&app, id).await;
    for _ in 0..100 {
        if log.first().is_some_and(|d| d["status"] == "failed") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        log = deliveries(&app, id).await;
    }
    assert_eq!(log[0]["status"], "failed", "{log:?}");
    assert!(
        log[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("private-network"),
        "{log:?}"
    );
    assert!(
        receiver.got().is_empty(),
        "nothing reached the loopback receiver"
    );
}
