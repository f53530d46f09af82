//! Two `truce serve` processes on one PostgreSQL database: one sequences, the other waits
//! and takes over when the first dies; the log never forks.

use std::time::Duration;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_never_fork_the_log() {
    let Some(url) = truce_store::testing::postgres_url_in_fresh_schema().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (dir.path().join("a"), dir.path().join("b"));
    let a = Server::start(&dir_a, &["--database", &url]);
    // Both processes serve one log, so they hold the same log key.
    std::fs::create_dir_all(&dir_b).unwrap();
    std::fs::copy(dir_a.join("log.key"), dir_b.join("log.key")).unwrap();
    // B waits at most a second to become the sequencer before answering 503.
    let b = Server::start_with_env(
        &dir_b,
        &["--database", &url],
        &[("TRUCE_LIMITS__REQUEST_TIMEOUT_MS", "1000")],
    );
    let client = reqwest::Client::new();

    // A leads: its submissions land. B reads the same log.
    for i in 0..5 {
        assert_eq!(
            submit_registration(&client, &a.url(), &dir_a, "pk", i).await,
            201
        );
    }
    let checkpoint = |server: String| {
        let client = client.clone();
        async move {
            client
                .get(format!("{server}/log/checkpoint"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    assert_eq!(checkpoint(a.url()).await, checkpoint(b.url()).await);
    // While A leads, a write sent to B is refused, not sequenced a second time.
    assert_eq!(
        submit_registration(&client, &b.url(), &dir_a, "af", 1).await,
        503
    );
    let size = demo_size() + 5;
    assert!(
        checkpoint(a.url()).await.contains(&format!("\n{size}\n")),
        "the log still has {size} entries"
    );

    // A dies; B takes over the sequencing and continues the same log.
    let b_url = b.url();
    a.kill_9();
    let mut landed = false;
    for _ in 0..40 {
        if submit_registration(&client, &b_url, &dir_a, "pk", 100).await == 201 {
            landed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(landed, "B took over the sequencing");
    let output = run(&["verify", &b_url]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!("verified {} entries", size + 1)),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
