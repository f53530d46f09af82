//! `truce report publish` and `truce report check` against a real node: a situation
//! report's file entered on the log by its SHA-256, found again from any copy, listed on
//! the report's page with its proof; a changed copy is not found, and a party's liaison
//! or a bad field is refused with exit code 2, naming why, and appends nothing.

use std::path::Path;
use std::process::Output;

use crate::support::*;
use serde_json::Value;

fn truce_at(server: &Server, args: &[&str]) -> Output {
    truce()
        .args(args)
        .env("TRUCE_SERVER", server.url())
        .output()
        .unwrap()
}

fn publish(server: &Server, dir: &Path, key: &str, file: &Path, extra: &[&str]) -> Output {
    let key = dir.join(format!("demo-keys/{key}.key"));
    let mut args = vec!["report", "publish", "--key", key.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend(["--json", file.to_str().unwrap()]);
    truce_at(server, &args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn log_size(server: &Server) -> u64 {
    let url = format!("{}/log/checkpoint", server.url());
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    text.lines().nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_report_is_found_by_its_hash_and_listed_on_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let file = dir.path().join("day.html");
    let args = [
        "report",
        "daily",
        "--date",
        "2025-10-12",
        "--format",
        "html",
    ];
    let output = truce_at(
        &server,
        &[&args[..], &["-o", file.to_str().unwrap()]].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(std::fs::read(&file).unwrap()))
    };

    let check = ["report", "check", file.to_str().unwrap()];
    let before = truce_at(&server, &check);
    assert_eq!(before.status.code(), Some(1), "{}", stderr(&before));
    assert!(
        stdout(&before).contains("is not on the log"),
        "{}",
        stdout(&before)
    );

    let extra = ["--date", "2025-10-12", "--lang", "en"];
    let output = publish(&server, dir.path(), "tr-commissioner-1", &file, &extra);
    assert!(output.status.success(), "{}", stderr(&output));
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    let index = answer["index"].as_u64().unwrap();

    let found = truce_at(&server, &check);
    assert!(found.status.success(), "{}", stderr(&found));
    let line = stdout(&found);
    for expected in [
        format!("on the log at entry {index}"),
        "the daily report of 2025-10-12 (html, en)".to_string(),
        "published by tr (truce.example/pk-af-2025-exercise/tr/commissioner-1)".to_string(),
    ] {
        assert!(line.contains(&expected), "{expected:?} not in {line}");
    }

    let page_url = format!("{}/reports/daily/2025-10-12?lang=en", server.url());
    let page = reqwest::get(page_url).await.unwrap().text().await.unwrap();
    assert!(page.contains(&sha256), "the page does not list the hash");
    assert!(page.contains(&format!("/api/v1/entries/{index}/proof")));

    let mut changed = std::fs::read(&file).unwrap();
    changed.extend_from_slice(b"<!-- quietly changed -->");
    let copy = dir.path().join("changed.html");
    std::fs::write(&copy, changed).unwrap();
    let output = truce_at(&server, &["report", "check", copy.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "a changed copy was found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liaison_or_a_bad_field_is_refused_naming_why_and_appends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, b"%PDF-1.7 not really a report").unwrap();
    let size = log_size(&server).await;
    let cases: [(&str, &[&str], &str); 5] = [
        (
            "pk-liaison-1",
            &["--date", "2025-10-12", "--lang", "en"],
            "cannot publish situation reports",
        ),
        (
            "jmt-monitor-1",
            &["--date", "2025-10-12", "--lang", "fr"],
            "payload.language",
        ),
        (
            "jmt-monitor-1",
            &["--from", "2025-10-12", "--to", "2025-10-11", "--lang", "ur"],
            "payload.period.to",
        ),
        (
            "jmt-monitor-1",
            &["--date", "2099-01-01", "--lang", "ur"],
            "payload.period.to",
        ),
        (
            "jmt-monitor-1",
            &["--date", "2025-10-12", "--lang", "en", "--url", "ftp://x"],
            "payload.url",
        ),
    ];
    for (key, extra, expected) in cases {
        let output = publish(&server, dir.path(), key, &file, extra);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{key} {extra:?}: {}",
            stderr(&output)
        );
        let said = format!("{}{}", stdout(&output), stderr(&output));
        assert!(said.contains(expected), "{expected:?} not in {said}");
    }
    let missing = publish(
        &server,
        dir.path(),
        "jmt-monitor-1",
        &dir.path().join("none.pdf"),
        &["--date", "2025-10-12", "--lang", "en"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("none.pdf"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(
        log_size(&server).await,
        size,
        "a refused publication was appended"
    );

    let output = publish(
        &server,
        dir.path(),
        "jmt-monitor-1",
        &file,
        &["--date", "2025-10-12", "--lang", "ps"],
    );
    assert!(
        output.status.success(),
        "a monitor may publish: {}",
        stderr(&output)
    );
}

/// `truce report check` proves what the node says from the log: a node that claims a file
/// is published at an entry publishing another, or serves a forged proof, or a log key
/// other than the one the checker trusts, fails the check (exit 1) naming what is wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_lying_about_a_publication_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let published = dir.path().join("report.pdf");
    std::fs::write(&published, b"%PDF-1.7 the published report").unwrap();
    let extra = ["--date", "2025-10-12", "--lang", "en"];
    let output = publish(&server, dir.path(), "tr-commissioner-1", &published, &extra);
    assert!(output.status.success(), "{}", stderr(&output));
    let log_vkey = reqwest::get(format!("{}/log/vkey", server.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let trusted = ["--log-key", log_vkey.trim()];
    let check = |url: String, file: &Path, extra: &[&str]| {
        let mut args = vec!["report", "check", "--server", url.as_str()];
        args.extend_from_slice(extra);
        args.push(file.to_str().unwrap());
        truce().args(&args).output().unwrap()
    };
    let honest = check(server.url(), &published, &trusted);
    assert!(honest.status.success(), "{}", stderr(&honest));
    assert!(
        stdout(&honest).contains("proved in the checkpoint of size"),
        "{}",
        stdout(&honest)
    );

    // The node claims an unpublished file is published, at the real publication's entry.
    let other = dir.path().join("other.pdf");
    std::fs::write(&other, b"%PDF-1.7 never published").unwrap();
    let listed = reqwest::get(format!("{}/api/v1/publications", server.url()))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let claimed = liar(server.url(), move |path, body| {
        if path == "/api/v1/publications" {
            listed.clone()
        } else {
            body
        }
    })
    .await;
    let caught = check(claimed, &other, &trusted);
    assert_eq!(caught.status.code(), Some(1), "{}", stdout(&caught));
    assert!(
        stderr(&caught).contains("not borne out by the log")
            && stderr(&caught).contains("not this file's"),
        "{}",
        stderr(&caught)
    );

    // A proof with a hash changed does not lead to the signed checkpoint.
    let forged = liar(server.url(), |path, body| {
        if !path.ends_with("/proof") {
            return body;
        }
        let text = String::from_utf8(body).unwrap();
        let line = text.lines().nth(2).unwrap().to_string();
        let flipped = if line.starts_with('A') {
            line.replacen('A', "B", 1)
        } else {
            format!("A{}", &line[1..])
        };
        text.replacen(&line, &flipped, 1).into_bytes()
    })
    .await;
    let caught = check(forged, &published, &trusted);
    assert_eq!(caught.status.code(), Some(1));
    assert!(stderr(&caught).contains("proof"), "{}", stderr(&caught));

    // Another key than the log's: nothing verifies.
    let other_key = demo_key(dir.path(), "pk-root").vkey().clone();
    let caught = check(server.url(), &published, &["--log-key", &other_key]);
    assert_eq!(caught.status.code(), Some(1), "{}", stdout(&caught));
}

async fn liar(
    upstream: String,
    lie: impl Fn(&str, Vec<u8>) -> Vec<u8> + Clone + Send + Sync + 'static,
) -> String {
    format!("http://{}", spawn_liar(upstream, lie).await)
}
