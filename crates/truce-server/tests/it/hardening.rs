//! Smaller hardening (issue 17, finding 10): security headers on every answer, the API's
//! included, and a data directory and key files that only the node's user can read.

use crate::support::*;

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_pages_keep_their_own_policy() {
    let app = spawn_demo().await;
    for path in [
        "/api/v1/openapi.json",
        "/api/v1/reports",
        "/healthz",
        "/log/checkpoint",
        "/api/v1/nowhere",
        "/",
    ] {
        let answer = app.get(path).await;
        let headers = answer.headers();
        let header = |name: &str| headers.get(name).map_or("", |v| v.to_str().unwrap());
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        let policy = header("content-security-policy");
        let expected = if path == "/" {
            "script-src 'self'"
        } else {
            "default-src 'none'"
        };
        assert!(policy.contains(expected), "{path}: {policy}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_key_files_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh");
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
    for data_dir in [fresh, open] {
        let node = truce_server::start(config(&data_dir), Some(truce_server::Demo::Constitution))
            .await
            .unwrap();
        assert_eq!(mode(&data_dir), 0o700, "{}", data_dir.display());
        assert_eq!(mode(&data_dir.join("log.key")), 0o600);
        let keys = std::fs::read_dir(data_dir.join("demo-keys")).unwrap();
        for key in keys.map(|entry| entry.unwrap().path()) {
            if key.extension().is_some_and(|e| e == "key") {
                assert_eq!(mode(&key), 0o600, "{}", key.display());
            }
        }
        node.shutdown().await.unwrap();
    }
}
