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

/// Sends `head` (a request's line and headers, then an empty line) and `body` on a new
/// connection, and answers the first line of what the node says.
///
/// The body is written while the answer is read: a node that refuses a request stops
/// reading and closes, so writing the rest may fail (reset) and must not hide the answer.
async fn raw(app: &TestApp, head: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(head.as_bytes()).await.unwrap();
    let body = body.to_vec();
    let sending = tokio::spawn(async move {
        // Errors here are the node having answered already and hung up.
        let _ = writer.write_all(&body).await;
        writer
    });
    // Waiting for the body would be the bug: a sender of headers alone gets an answer.
    let mut answer = vec![0u8; 1_024];
    let read = tokio::time::timeout(std::time::Duration::from_secs(30), reader.read(&mut answer))
        .await
        .expect("an answer without waiting for the body")
        .unwrap();
    // Kept open until the answer is read, so a node waiting for more is not told "done".
    drop(sending.await);
    let answer = String::from_utf8_lossy(&answer[..read]).to_string();
    answer.lines().next().unwrap_or_default().to_string()
}

fn put_head(sha: &str, token: Option<&str>, length: u64, expect: bool) -> String {
    let mut head = format!(
        "PUT /api/v1/evidence/{sha} HTTP/1.1\r\nhost: truce\r\ncontent-type: image/jpeg\r\ncontent-length: {length}\r\n"
    );
    if let Some(token) = token {
        head = head + "authorization: Bearer " + token + "\r\n";
    }
    if expect {
        head += "expect: 100-continue\r\n";
    }
    head + "\r\n"
}

#[tokio::test]
async fn an_upload_is_refused_before_its_body_is_read_without_a_token_or_over_the_limit() {
    let app = spawn_exercise().await;
    let hash = sha(PHOTO);
    let big = 60 << 20;
    // A client that asks before sending (Expect: 100-continue) is told 401, not "go on".
    let first = raw(&app, &put_head(&hash, None, big, true), b"").await;
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    // One that sends headers and then a trickle is answered without the rest being awaited.
    let first = raw(&app, &put_head(&hash, None, big, false), &[0u8; 1_000]).await;
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    let first = raw(&app, &put_head(&hash, Some("forged"), big, true), b"").await;
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    // Logged in, a length over the limit is refused unread too.
    let monitor = token(&app, "jmt-monitor-1").await;
    let first = raw(&app, &put_head(&hash, Some(&monitor), 65 << 20, true), b"").await;
    assert!(first.starts_with("HTTP/1.1 413"), "{first}");
}

/// Every file in the node's evidence directory, staging files included.
fn evidence_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = vec![];
    walk(&app.dir.path().join("evidence"), &mut found);
    found
}

#[tokio::test]
async fn an_upload_over_the_limit_or_cut_off_leaves_no_file() {
    let app = spawn_with(truce_server::Demo::Exercise, |config| {
        config.limits.evidence_bytes_max = 16 << 10;
    })
    .await;
    let monitor = token(&app, "jmt-monitor-1").await;
    let file = vec![b'x'; 64 << 10];
    let hash = sha(&file);
    // Chunked, so the length is learnt only while streaming.
    let mut body = Vec::new();
    for chunk in file.chunks(4_096) {
        body.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        body.extend_from_slice(chunk);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\n\r\n");
    let head = format!(
        "PUT /api/v1/evidence/{hash} HTTP/1.1\r\nhost: truce\r\ncontent-type: image/jpeg\r\n\
         transfer-encoding: chunked\r\nauthorization: Bearer {monitor}\r\n\r\n"
    );
    let first = raw(&app, &head, &body).await;
    assert!(first.starts_with("HTTP/1.1 413"), "{first}");
    assert_eq!(evidence_files(&app), Vec::<std::path::PathBuf>::new());

    // A sender that stops halfway and hangs up leaves nothing either.
    let small = &file[..8 << 10];
    let head = put_head(&sha(small), Some(&monitor), small.len() as u64, false);
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stream, head.as_bytes())
        .await
        .unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stream, &small[..4 << 10])
        .await
        .unwrap();
    drop(stream);
    // Polled, not timed: a loaded machine may take a while to see the hang-up.
    for _ in 0..400 {
        if evidence_files(&app).is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(evidence_files(&app), Vec::<std::path::PathBuf>::new());
    // And the whole of it is stored.
    let (status, answer) = upload(&app, Some(&monitor), &sha(small), small.to_vec().leak()).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(evidence_files(&app).len(), 1);
}
