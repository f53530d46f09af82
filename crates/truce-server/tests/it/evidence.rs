//! Evidence files: uploaded by hash and checked on arrival; served to the public only
//! when public; to the roles entitled to confidential ones only after their download is
//! on the log; and never telling anyone else whether a confidential file exists.

use crate::support::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

async fn upload(
    app: &TestApp,
    token: Option<&str>,
    sha: &str,
    bytes: &'static [u8],
) -> (u16, Value) {
    let mut request = app
        .client
        .put(app.url(&format!("/api/v1/evidence/{sha}")))
        .header("content-type", "image/jpeg")
        .body(bytes);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn download(app: &TestApp, token: Option<&str>, sha: &str) -> reqwest::Response {
    let mut request = app
        .client
        .get(app.url(&format!("/api/v1/evidence/{sha}?purpose=review")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

const PHOTO: &[u8] = b"EXERCISE: photograph of a mortar fin";

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[tokio::test]
async fn a_file_is_accepted_only_under_its_own_hash_and_by_someone_logged_in() {
    let app = spawn_exercise().await;
    let monitor = token(&app, "jmt-monitor-1").await;
    assert_eq!(upload(&app, None, &sha(PHOTO), PHOTO).await.0, 401);
    let (status, problem) = upload(&app, Some(&monitor), &"0".repeat(64), PHOTO).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("sha256")),
        "{problem}"
    );
    let (status, answer) = upload(&app, Some(&monitor), &sha(PHOTO), PHOTO).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["media_type"], "image/jpeg");
    let (status, problem) = upload(&app, Some(&monitor), "not-a-hash", PHOTO).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("sha256")));
}

#[tokio::test]
async fn confidential_evidence_is_served_only_to_the_entitled_and_each_download_is_on_the_log() {
    let app = spawn_exercise().await;
    let monitor = token(&app, "jmt-monitor-1").await;
    let hash = sha(PHOTO);
    assert_eq!(upload(&app, Some(&monitor), &hash, PHOTO).await.0, 201);
    let stranger = sha(b"never uploaded, never attached");

    // Before any entry attaches it, nobody gets it.
    assert_eq!(download(&app, None, &hash).await.status(), 401);

    let attachment = json!([{"sha256": hash, "media_type": "image/jpeg", "bytes": PHOTO.len()}]);
    let mut report = kabul_account();
    report["accused"] = json!("af");
    let filed = app
        .client
        .post(app.url("/api/v1/actions"))
        .bearer_auth(&monitor)
        .json(&json!({"kind": "report.submitted", "payload": report, "attachments": attachment}))
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), 201);

    // The public and an unentitled party learn nothing, not even that it exists.
    assert_eq!(download(&app, None, &hash).await.status(), 401);
    assert_eq!(download(&app, None, &stranger).await.status(), 401);
    let party = token(&app, "pk-liaison-1").await;
    assert_eq!(download(&app, Some(&party), &hash).await.status(), 404);
    assert_eq!(download(&app, Some(&party), &stranger).await.status(), 404);

    // A commissioner reads it, and the reading is on the log first.
    let size = app.size().await;
    let commissioner = token(&app, "tr-commissioner-1").await;
    let response = download(&app, Some(&commissioner), &hash).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    assert_eq!(response.bytes().await.unwrap().as_ref(), PHOTO);
    assert_eq!(app.size().await, size + 1);
    let access = app.get_json(&format!("/api/v1/entries/{size}")).await;
    assert_eq!(access["entry"]["kind"], "evidence.accessed");
    assert_eq!(access["entry"]["custody"], "server");
    assert_eq!(access["entry"]["payload"]["sha256"], hash.as_str());

    // Published, it is public: no login, nothing more on the log.
    let published = app
        .client
        .post(app.url("/api/v1/actions"))
        .bearer_auth(&commissioner)
        .json(
            &json!({"kind": "evidence.published", "payload": {"sha256": hash, "note": "EXERCISE"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), 201);
    let size = app.size().await;
    let response = download(&app, None, &hash).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.size().await, size);
}

#[tokio::test]
async fn a_file_whose_size_differs_from_what_the_entry_signed_is_refused() {
    let app = spawn_exercise().await;
    let monitor = token(&app, "jmt-monitor-1").await;
    let hash = sha(PHOTO);
    let attachment = json!([{"sha256": hash, "media_type": "image/jpeg", "bytes": 3}]);
    let filed = app
        .client
        .post(app.url("/api/v1/actions"))
        .bearer_auth(&monitor)
        .json(&json!({"kind": "report.submitted", "payload": kabul_account(), "attachments": attachment}))
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), 201);
    let (status, problem) = upload(&app, Some(&monitor), &hash, PHOTO).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("bytes")),
        "{problem}"
    );
}

const SECRET: &[u8] = b"EXERCISE: witness statement, names of the witnesses";

async fn act(app: &TestApp, token: &str, body: Value) -> u16 {
    let response = app
        .client
        .post(app.url("/api/v1/actions"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    response.status().as_u16()
}

/// A confidential file uploaded and attached by a monitor; its hash is now public.
async fn confidential_file(app: &TestApp) -> String {
    let monitor = token(app, "jmt-monitor-1").await;
    let hash = sha(SECRET);
    assert_eq!(upload(app, Some(&monitor), &hash, SECRET).await.0, 201);
    let attachment = json!([{"sha256": hash, "media_type": "image/jpeg", "bytes": SECRET.len()}]);
    let body =
        json!({"kind": "report.submitted", "payload": kabul_account(), "attachments": attachment});
    assert_eq!(act(app, &monitor, body).await, 201);
    hash
}

/// Another entry naming the same file, by a party's liaison, `public` as given.
async fn reattach(app: &TestApp, who: &str, hash: &str, public: bool) -> String {
    let opponent = token(app, who).await;
    let attachment = json!([{"sha256": hash, "media_type": "image/jpeg", "bytes": SECRET.len(), "public": public}]);
    let body = json!({"kind": "notice.published", "attachments": attachment,
        "payload": {"lang": "en", "title": "EXERCISE", "text": "x"}});
    assert_eq!(act(app, &opponent, body).await, 201);
    opponent
}

#[tokio::test]
async fn attaching_a_known_hash_again_as_public_does_not_publish_it() {
    let app = spawn_exercise().await;
    let hash = confidential_file(&app).await;
    reattach(&app, "af-liaison-1", &hash, true).await;
    assert_eq!(download(&app, None, &hash).await.status(), 401);
}

#[tokio::test]
async fn attaching_a_known_hash_again_does_not_entitle_another_party() {
    let app = spawn_exercise().await;
    let hash = confidential_file(&app).await;
    let opponent = reattach(&app, "af-liaison-1", &hash, false).await;
    assert_eq!(download(&app, Some(&opponent), &hash).await.status(), 404);
}
