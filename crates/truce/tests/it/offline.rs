//! A field device out of reach of the network (`truce submit --offline`): entries signed
//! with no node to ask, kept in an outbox file, posted later (`--file`) and admitted with
//! the time the author claimed and the time the node logged them.

use std::path::Path;
use std::process::Output;

use crate::support::*;
use serde_json::{Value, json};

/// No node listens here: offline signing must not need one.
const NOWHERE: &str = "http://127.0.0.1:9";

fn submit(server: &str, args: &[&str]) -> Output {
    truce()
        .arg("submit")
        .args(args)
        .env("TRUCE_SERVER", server)
        .output()
        .unwrap()
}

fn notice(title: &str) -> String {
    json!({"lang": "en", "title": title, "text": "EXERCISE: written in the field"}).to_string()
}

/// Signs a notice offline into `out`, claiming `time` if given.
fn offline(key: &Path, out: &Path, title: &str, time: Option<&str>) -> Output {
    let (key, out, payload) = (key.to_str().unwrap(), out.to_str().unwrap(), notice(title));
    let mut args = vec![
        "--offline",
        "--out",
        out,
        "--key",
        key,
        "--kind",
        "notice.published",
    ];
    args.extend(["--payload", &payload]);
    if let Some(time) = time {
        args.extend(["--time", time]);
    }
    submit(NOWHERE, &args)
}

async fn entry(server: &Server, index: u64) -> Value {
    let url = format!("{}/api/v1/entries/{index}", server.url());
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

async fn size(server: &Server) -> u64 {
    let url = format!("{}/log/checkpoint", server.url());
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    text.lines().nth(1).unwrap().parse().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn entries_signed_offline_are_admitted_later_with_their_claimed_and_logged_times() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let key = dir.path().join("demo-keys/jmt-monitor-1.key");
    let outbox = dir.path().join("outbox.json");

    // Without knowing where its chain stands, a device cannot sign: it is told how to learn it.
    let refused = offline(&key, &outbox, "EXERCISE: too early", None);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--sync"), "{}", stderr(&refused));
    assert!(!outbox.exists());

    let synced = submit(&server.url(), &["--sync", "--key", key.to_str().unwrap()]);
    assert!(synced.status.success(), "{}", stderr(&synced));

    // In the field, with no node reachable: two entries of the chain, the first claimed an
    // hour ago.
    let hour_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let hour_ago = hour_ago
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    for (title, time) in [
        ("EXERCISE: first", Some(hour_ago.as_str())),
        ("EXERCISE: second", None),
    ] {
        let signed = offline(&key, &outbox, title, time);
        assert!(signed.status.success(), "{}", stderr(&signed));
    }
    let kept: Value = serde_json::from_slice(&std::fs::read(&outbox).unwrap()).unwrap();
    assert_eq!(kept["notes"].as_array().unwrap().len(), 2);

    // Back in reach: posted unchanged, in order, both admitted.
    let before = size(&server).await;
    let sent = submit(&server.url(), &["--file", outbox.to_str().unwrap()]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert_eq!(size(&server).await, before + 2);
    let first = entry(&server, before).await;
    assert_eq!(first["entry"]["payload"]["title"], "EXERCISE: first");
    assert_eq!(
        first["entry"]["time"],
        hour_ago.as_str(),
        "the claimed time is kept"
    );
    let logged = first["logged_at"].as_str().unwrap();
    assert!(
        logged > hour_ago.as_str(),
        "logged {logged}, claimed {hour_ago}"
    );
    assert_eq!(
        first["note"], kept["notes"][0],
        "the bytes signed are the bytes logged"
    );

    // Two outboxes posted in the wrong order: the later entry is refused naming its
    // place in the chain, appends nothing, and goes in once the earlier one has.
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    assert!(offline(&key, &a, "EXERCISE: third", None).status.success());
    assert!(offline(&key, &b, "EXERCISE: fourth", None).status.success());
    let early = submit(&server.url(), &["--file", b.to_str().unwrap()]);
    assert_eq!(early.status.code(), Some(2));
    assert!(stderr(&early).contains("seq"), "{}", stderr(&early));
    assert_eq!(size(&server).await, before + 2);
    for outbox in [&a, &b] {
        let sent = submit(&server.url(), &["--file", outbox.to_str().unwrap()]);
        assert!(sent.status.success(), "{}", stderr(&sent));
    }
    assert_eq!(size(&server).await, before + 4);

    // An online submit keeps the chain file in step, so offline signing can go on.
    let payload = notice("EXERCISE: online");
    let online = submit(
        &server.url(),
        &[
            "--key",
            key.to_str().unwrap(),
            "--kind",
            "notice.published",
            "--payload",
            &payload,
        ],
    );
    assert!(online.status.success(), "{}", stderr(&online));
    let c = dir.path().join("c.json");
    assert!(offline(&key, &c, "EXERCISE: fifth", None).status.success());
    let sent = submit(&server.url(), &["--file", c.to_str().unwrap()]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert_eq!(size(&server).await, before + 6);
}
