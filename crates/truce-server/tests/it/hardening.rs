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

/// Issue 17, finding 10 (slowloris): a client that sends its headers a line at a time is
/// disconnected after `header_read_timeout_ms`, however steadily it sends; and beyond
/// `connections_max` a connection waits, unanswered, until one of them closes.
#[tokio::test]
async fn slow_headers_are_cut_off_and_connections_beyond_the_cap_wait() {
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.limits.header_read_timeout_ms = 500;
    config.limits.connections_max = 2;
    let app = TestApp::start(config, dir).await;
    let mut slow = Vec::new();
    for _ in 0..2 {
        let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\n")
            .await
            .unwrap();
        slow.push(stream);
    }
    let mut third = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let request = b"GET /healthz HTTP/1.1\r\nhost: truce\r\nconnection: close\r\n\r\n";
    third.write_all(request).await.unwrap();
    let mut buf = [0u8; 256];
    let early = tokio::time::timeout(Duration::from_millis(250), third.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "the third connection waits while two are open"
    );

    for (i, stream) in slow.iter_mut().enumerate() {
        let mut dropped = false;
        for _ in 0..30 {
            // A header line every 100 ms: never idle, never done.
            let _ = stream.write_all(b"x-slow: yes\r\n").await;
            let read = tokio::time::timeout(Duration::from_millis(100), stream.read(&mut buf));
            if let Ok(Ok(0) | Err(_)) = read.await {
                dropped = true;
                break;
            }
        }
        assert!(dropped, "slow connection {i} is still open after 3 s");
    }
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), third.read_to_end(&mut answer));
    read.await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Issue 17, finding 10: a node the public reaches over TLS (`public_url` with https)
/// marks every cookie `Secure` and tells browsers to keep to HTTPS; one without it does not
/// (a plain-HTTP test node would lose its cookies).
#[tokio::test]
async fn over_tls_every_cookie_is_secure_and_answers_carry_hsts() {
    for url in [None, Some("https://truce.example.org")] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path());
        config.public_url = url.map(String::from);
        let app = TestApp::start(config, dir).await;
        let answer = app.get("/report?lang=ps").await;
        let cookies: Vec<&str> = answer
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert_eq!(
            cookies.len(),
            2,
            "the form's and the language's: {cookies:?}"
        );
        let hsts = answer.headers().get("strict-transport-security");
        if url.is_some() {
            assert!(
                cookies.iter().all(|c| c.ends_with("; Secure")),
                "{cookies:?}"
            );
            assert_eq!(hsts.unwrap(), "max-age=31536000");
            assert!(
                app.get("/healthz")
                    .await
                    .headers()
                    .contains_key("strict-transport-security")
            );
        } else {
            assert!(cookies.iter().all(|c| !c.contains("Secure")), "{cookies:?}");
            assert!(hsts.is_none());
        }
    }
}

/// Issue 17, finding 10: a tile index so large that its first position (index × 256) does
/// not fit in 64 bits wrapped around to tile 0 (served under the wrong name) or, in a
/// debug build, panicked. It is not part of the log: 404.
#[tokio::test]
async fn a_tile_index_past_64_bits_is_not_found_rather_than_wrapped() {
    let app = spawn_demo().await;
    // 2^56: × 256 is 2^64, which wraps to 0.
    for path in [
        "/log/tile/entries/x072/x057/x594/x037/x927/936",
        "/log/tile/0/x072/x057/x594/x037/x927/936",
        "/log/tile/1/x072/x057/x594/x037/x927/936.p/3",
    ] {
        let answer = app.get(path).await;
        assert_eq!(answer.status(), 404, "{path}");
    }
    assert_eq!(app.get("/log/tile/entries/000.p/1").await.status(), 200);
}
