//! `truce verify` passes a faithful log and names the first thing wrong with a log that
//! was tampered with or lies.

use crate::support::*;

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_faithful_log_verifies_and_later_audits_check_it_only_grew() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("pk.tlog-state");
    let server = Server::start(&dir.path().join("data"), &[]);
    let state_arg = state.to_str().unwrap();
    let output = run(&["verify", &server.url(), "--state", state_arg]);
    assert!(output.status.success(), "{}", stderr(&output));
    let size = demo_size();
    let verified = format!("verified {size} entries");
    assert!(String::from_utf8_lossy(&output.stdout).contains(&verified));

    let client = reqwest::Client::new();
    let status =
        submit_registration(&client, &server.url(), &dir.path().join("data"), "pk", 1).await;
    assert_eq!(status, 201);
    let output = run(&["verify", &server.url(), "--state", state_arg, "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (report["ok"].as_bool(), report["size"].as_u64()),
        (Some(true), Some(size + 1))
    );
    assert_eq!(report["consistent_with"], size);
    // Only the new entry was checked: the state file held the audit of the others.
    assert_eq!(report["checked_from"], size);
    let output = run(&[
        "verify",
        &server.url(),
        "--state",
        state_arg,
        "--full",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (&report["checked_from"], &report["consistent_with"]),
        (&serde_json::json!(0), &serde_json::json!(size + 1))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_audit_names_a_lie_in_the_entries_appended_since() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("pk.tlog-state");
    let state_arg = state.to_str().unwrap();
    let server = Server::start(&dir.path().join("data"), &[]);
    let output = run(&["verify", &server.url(), "--state", state_arg]);
    assert!(output.status.success(), "{}", stderr(&output));
    let client = reqwest::Client::new();
    let status =
        submit_registration(&client, &server.url(), &dir.path().join("data"), "pk", 1).await;
    assert_eq!(status, 201);
    // The liar changes one character of the new entry's signature (a bundle ends with it).
    let liar = spawn_liar(server.url(), |path, mut body| {
        if path.starts_with("/log/tile/entries/") {
            let at = body.len() - 10;
            body[at] = if body[at] == b'A' { b'B' } else { b'A' };
        }
        body
    })
    .await;
    let output = run(&["verify", &format!("http://{liar}"), "--state", state_arg]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let named = format!("entry {}:", demo_size());
    assert!(stderr(&output).contains(&named), "{}", stderr(&output));
    // An entry audited before, served again in the same bundle as the new one, changed.
    let liar = spawn_liar(server.url(), a_later_time_in_a_bundle).await;
    let output = run(&["verify", &format!("http://{liar}"), "--state", state_arg]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("differs from the entry audited before"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_changed_in_the_data_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    server.kill_9();
    tamper_entry(dir.path(), 5).await;
    let output = run(&["verify", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("entry 5:"), "{}", stderr(&output));
}

/// Changes one character of entry `index`'s note, as someone with the database might.
async fn tamper_entry(dir: &std::path::Path, index: i64) {
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.join("truce.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let note: Vec<u8> = sqlx::query_scalar("SELECT note FROM entries WHERE idx = ?")
        .bind(index)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let changed = String::from_utf8(note)
        .unwrap()
        .replacen("2025-10-31", "2025-10-30", 1);
    sqlx::query("UPDATE entries SET note = ? WHERE idx = ?")
        .bind(changed.into_bytes())
        .bind(index)
        .execute(&mut conn)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_lies_about_a_tile_is_caught_naming_the_tile() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let tile = format!("tile/0/000.p/{}", demo_size());
    let lied_about = format!("/log/{tile}");
    let liar = spawn_liar(server.url(), move |path, mut body| {
        if path == lied_about {
            body[40] ^= 1;
        }
        body
    })
    .await;
    let output = run(&["verify", &format!("http://{liar}")]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains(&tile), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_changes_an_entry_in_its_bundle_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let liar = spawn_liar(server.url(), a_later_time_in_a_bundle).await;
    let output = run(&["verify", &format!("http://{liar}")]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("entry "), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_rolled_back_below_a_checkpoint_seen_before_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let server = Server::start(&dir.path().join("data"), &[]);
    let client = reqwest::Client::new();
    let old_checkpoint = client
        .get(format!("{}/log/checkpoint", server.url()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let status =
        submit_registration(&client, &server.url(), &dir.path().join("data"), "qa", 1).await;
    assert_eq!(status, 201);
    let output = run(&["verify", &server.url(), "--state", state.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The liar serves the checkpoint of 9 entries to an auditor who has seen 10.
    let liar = spawn_liar(server.url(), move |path, body| {
        if path == "/log/checkpoint" {
            return old_checkpoint.to_vec();
        }
        body
    })
    .await;
    let output = run(&[
        "verify",
        &format!("http://{liar}"),
        "--state",
        state.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("rolled back"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_log_under_a_pinned_state_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let first = Server::start(&dir.path().join("a"), &[]);
    assert!(
        run(&["verify", &first.url(), "--state", state.to_str().unwrap()])
            .status
            .success()
    );
    let second = Server::start(&dir.path().join("b"), &[]);
    let output = run(&["verify", &second.url(), "--state", state.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_directory_of_a_cleanly_stopped_node_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), &[]);
    assert!(server.terminate(), "a clean exit after SIGTERM");
    // A clean close removes SQLite's -wal and -shm files.
    assert!(!dir.path().join("truce.db-shm").exists());
    let output = run(&["verify", dir.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_target_that_is_neither_a_url_nor_a_directory_is_a_usage_error() {
    let output = run(&["verify", "/nonexistent/place"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

/// A liar's edit of the entry bundles it serves: a later claimed time in one entry, same
/// length, different bytes. (Bundles are binary: their length prefixes need not be UTF-8.)
fn a_later_time_in_a_bundle(path: &str, mut body: Vec<u8>) -> Vec<u8> {
    if path.starts_with("/log/tile/entries/") {
        let (from, to) = (b"T09:00:00Z", b"T09:00:01Z");
        if let Some(at) = body.windows(from.len()).position(|w| w == from) {
            body[at..at + to.len()].copy_from_slice(to);
        }
    }
    body
}
