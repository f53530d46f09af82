//! Bad input is refused with problem+json naming the field and the reason, and appends
//! nothing.

use crate::support::*;
use serde_json::{Value, json};
use truce_log::keypair::sign_note;
use truce_log::{KeyPair, SignedEntry};

/// Posts `note` and checks the refusal: status, problem type, field, and that the log did
/// not grow.
async fn assert_refused(
    app: &TestApp,
    note: Vec<u8>,
    status: u16,
    slug: &str,
    field: &str,
) -> Value {
    let size = app.size().await;
    let response = app.post_note(note).await;
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], format!("/problems/{slug}"), "{problem}");
    assert_eq!(problem["field"], field, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().len() > field.len() + 5,
        "{problem}"
    );
    assert_eq!(app.size().await, size, "a refused entry appends nothing");
    problem
}

#[tokio::test]
async fn a_note_that_is_not_a_signed_note_is_malformed() {
    let app = spawn_demo().await;
    assert_refused(&app, b"hello".to_vec(), 400, "malformed", "note").await;
    assert_refused(&app, b"{}\n\n".to_vec(), 400, "malformed", "note").await;
}

#[tokio::test]
async fn a_signature_that_does_not_verify_is_refused() {
    let app = spawn_demo().await;
    let root = app.author(app.demo_key("jmt-root")).await;
    let envelope = root.envelope("key.registered", device_registration(&device_key(1)), now());
    // Signed by a different key that carries the root's name.
    let impostor = KeyPair::generate(root.key().name().as_str()).unwrap();
    let note = SignedEntry::sign(&envelope, &[&impostor]);
    let problem = assert_refused(&app, note, 403, "unknown-key", "signature").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("key id"),
        "{problem}"
    );
    // Same key id, wrong signature bytes.
    let mut note = SignedEntry::sign(&envelope, &[root.key()]);
    let at = note.len() - 10;
    note[at] = if note[at] == b'A' { b'B' } else { b'A' };
    assert_refused(&app, note, 403, "bad-signature", "signature").await;
}

#[tokio::test]
async fn an_unknown_key_is_refused() {
    let app = spawn_demo().await;
    let stranger = truce_log::Author::new(device_key(9), ORIGIN);
    let note = stranger
        .clone()
        .write("key.revoked", json!({"name": "x", "reason": "y"}), now());
    assert_refused(&app, note, 403, "unknown-key", "author").await;
}

#[tokio::test]
async fn non_canonical_json_is_refused_even_when_correctly_signed() {
    let app = spawn_demo().await;
    let root = app.author(app.demo_key("jmt-root")).await;
    let envelope = root.envelope("key.registered", device_registration(&device_key(1)), now());
    let spaced = serde_json::to_string_pretty(&envelope)
        .unwrap()
        .replace('\n', " ")
        + "\n";
    let note = sign_note(spaced.as_bytes(), &[root.key()]);
    assert_refused(&app, note, 400, "not-canonical", "text").await;
}

#[tokio::test]
async fn a_wrong_sequence_number_or_previous_hash_is_refused() {
    let app = spawn_demo().await;
    let root = app.author(app.demo_key("jmt-root")).await;
    let mut envelope = root.envelope("key.registered", device_registration(&device_key(1)), now());
    envelope.seq += 1;
    let note = SignedEntry::sign(&envelope, &[root.key()]);
    assert_refused(&app, note, 409, "sequence", "seq").await;
    let mut envelope = root.envelope("key.registered", device_registration(&device_key(1)), now());
    envelope.prev = Some(base64_of([1u8; 32]));
    let note = SignedEntry::sign(&envelope, &[root.key()]);
    assert_refused(&app, note, 409, "sequence", "prev").await;
}

#[tokio::test]
async fn a_duplicate_submission_is_refused_as_such() {
    let app = spawn_demo().await;
    let mut root = app.author(app.demo_key("jmt-root")).await;
    let note = root.write("key.registered", device_registration(&device_key(1)), now());
    assert_eq!(app.post_note(note.clone()).await.status(), 201);
    let problem = assert_refused(&app, note, 409, "sequence", "seq").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("duplicate"),
        "{problem}"
    );
}

#[tokio::test]
async fn an_oversize_entry_is_refused() {
    let app = spawn_demo().await;
    let mut root = app.author(app.demo_key("jmt-root")).await;
    let reason = "x".repeat(70_000);
    let note = root.write("key.revoked", json!({"name": "a", "reason": reason}), now());
    assert_refused(&app, note, 413, "too-large", "note").await;
}

#[tokio::test]
async fn an_unknown_kind_or_a_bad_payload_is_refused_naming_it() {
    let app = spawn_demo().await;
    let root = app.author(app.demo_key("jmt-root")).await;
    let note = root.clone().write("report.teleported", json!({}), now());
    assert_refused(&app, note, 422, "unknown-kind", "kind").await;
    let mut payload = device_registration(&device_key(1));
    payload["role"] = json!("king");
    let note = root.clone().write("key.registered", payload, now());
    assert_refused(&app, note, 400, "malformed", "payload.role").await;
}

#[tokio::test]
async fn a_key_that_may_not_make_an_entry_is_refused() {
    let app = spawn_demo().await;
    // A liaison tries to register a key.
    let mut liaison = app.author(app.demo_key("pk-liaison-1")).await;
    let mut payload = device_registration(&device_key(1));
    payload["delegation"] = json!("pk");
    let note = liaison.write("key.registered", payload, now());
    assert_refused(&app, note, 403, "unauthorized", "author").await;
    // A revoked key signs.
    let mut tablet = app.author(app.demo_key("jmt-field-tablet-1")).await;
    let note = tablet.write(
        "key.revoked",
        json!({"name": tablet.key().name().as_str(), "reason": "x"}),
        now(),
    );
    assert_refused(&app, note, 403, "revoked-key", "author").await;
}

#[tokio::test]
async fn a_claimed_time_in_the_future_is_refused() {
    let app = spawn_demo().await;
    let mut root = app.author(app.demo_key("jmt-root")).await;
    let later = truce_core::Timestamp::from_unix_seconds(now().unix_seconds() + 3_600);
    let note = root.write("key.registered", device_registration(&device_key(1)), later);
    assert_refused(&app, note, 422, "invalid", "time").await;
}

#[tokio::test]
async fn a_body_that_is_not_text_is_refused_with_415() {
    let app = spawn_demo().await;
    let response = app
        .client
        .post(app.url("/api/v1/entries"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn unknown_paths_and_bad_indexes_answer_problem_json() {
    let app = spawn_demo().await;
    for (path, status) in [
        ("/nope", 404),
        ("/api/v1/entries/999", 404),
        ("/api/v1/entries/abc", 400),
        ("/api/v1/keys/nobody", 404),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
}

fn base64_of(bytes: [u8; 32]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
