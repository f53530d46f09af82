//! The log's read path and its evidence files on a real S3-compatible server (`s3s-fs`,
//! started here; `.ci/run` installs it): the node copies its tiles, entry bundles,
//! checkpoint and verifier key to the bucket (`publish`) and stores evidence there
//! (`evidence`); `truce verify` and the Go sumdb client read the log from the bucket alone.
//! Without `s3s-fs` on the `PATH` it says so and passes, unless `TRUCE_S3_TESTS=required`
//! (as `.ci/run` sets).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::c2sp::{go_client_available, go_verify};
use crate::support::*;

const BUCKET: &str = "truce";

/// An `s3s-fs` process serving a directory as S3, without authentication (so a bucket
/// reads like a public one behind a CDN), killed when dropped.
struct S3Server {
    child: Child,
    url: String,
}

impl S3Server {
    fn start(root: &Path) -> Option<Self> {
        let available = Command::new("s3s-fs")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !available {
            let missing = "s3s-fs (cargo install s3s-fs --features binary) is not on the PATH";
            assert!(
                std::env::var("TRUCE_S3_TESTS").as_deref() != Ok("required"),
                "{missing}, and TRUCE_S3_TESTS=required"
            );
            eprintln!("skipped: {missing}");
            return None;
        }
        std::fs::create_dir_all(root).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "s3s-fs did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }

    /// What a node needs to write there: the endpoint, and no request signing (the
    /// server has no credentials; a real bucket's come from `AWS_ACCESS_KEY_ID` etc.).
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT", self.url.clone()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_SKIP_SIGNATURE", "true".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("TRUCE_PUBLISH", format!("s3://{BUCKET}/pk-af")),
            ("TRUCE_EVIDENCE", format!("s3://{BUCKET}/evidence")),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_node(data: &Path, s3: &S3Server) -> Server {
    let env = s3.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Server::start_with_env(data, &[], &env)
}

/// Waits until the bucket's checkpoint is the node's; answers it.
async fn published(client: &reqwest::Client, node: &Server, copy: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let served = get_bytes(client, &format!("{}/log/checkpoint", node.url())).await;
        let copied = client
            .get(format!("{copy}/log/checkpoint"))
            .send()
            .await
            .unwrap();
        if copied.status() == 200 && copied.bytes().await.unwrap() == served {
            return String::from_utf8(served).unwrap();
        }
        assert!(Instant::now() < deadline, "the bucket's checkpoint lags");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn verify(copy: &str) -> String {
    let output = truce().args(["verify", copy]).output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    said
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_is_read_and_verified_from_a_bucket_and_evidence_is_kept_there() {
    let dir = tempfile::tempdir().unwrap();
    let Some(s3) = S3Server::start(&dir.path().join("s3")) else {
        return;
    };
    let client = reqwest::Client::new();
    let made = client
        .put(format!("{}/{BUCKET}", s3.url))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 200, "CreateBucket");
    let data = dir.path().join("data");
    let node = start_node(&data, &s3);
    let copy = format!("{}/{BUCKET}/pk-af", s3.url);

    // Past one full tile of 256 entries, so full and partial tiles are both copied.
    for i in 0..200 {
        let status = submit_registration(&client, &node.url(), &data, "pk", 100 + i).await;
        assert_eq!(status, 201);
    }
    published(&client, &node, &copy).await;
    let size = demo_size() + 200;
    let said = verify(&copy);
    assert!(said.contains(&format!("verified {size} entries")), "{said}");
    let log_key = truce_server::keyfile::read_key(&data.join("log.key")).unwrap();
    let vkey = get_bytes(&client, &format!("{copy}/log/vkey")).await;
    assert_eq!(String::from_utf8(vkey).unwrap().trim(), log_key.vkey());
    if go_client_available() {
        let output = go_verify(&copy, &log_key.vkey());
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{said}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains(&format!("{size} entries")), "{said}");
    }

    // An evidence file uploaded to the node is stored in the bucket, under its hash.
    let token = demo_token(&node.url(), "jmt-monitor-1").await;
    let file = b"a photograph of the crater, EXERCISE".to_vec();
    let sha = hex::encode(Sha256::digest(&file));
    let stored = client
        .put(format!("{}/api/v1/evidence/{sha}", node.url()))
        .bearer_auth(&token)
        .header("content-type", "image/jpeg")
        .body(file.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(stored.status(), 201, "{}", stored.text().await.unwrap());
    let object = format!("{}/{BUCKET}/evidence/{}/{sha}", s3.url, &sha[..2]);
    assert_eq!(get_bytes(&client, &object).await, file);

    // Killed and started again, the node goes on from the bucket's own checkpoint.
    node.kill_9();
    let node = start_node(&data, &s3);
    for i in 0..60 {
        let status = submit_registration(&client, &node.url(), &data, "af", 400 + i).await;
        assert_eq!(status, 201);
    }
    published(&client, &node, &copy).await;
    let said = verify(&copy);
    assert!(
        said.contains(&format!("verified {} entries", size + 60)),
        "{said}"
    );
}
