//! `POST /add-checkpoint` over HTTP on loopback: each of tlog-witness's answers, the
//! cosignature's validity, split views kept as evidence, and no two conflicting
//! cosignatures under concurrent requests.

use crate::support::{History, ORIGIN, log_key, post, request, serve, witness_key};
use truce_log::KeyPair;
use truce_log::cosignature::{CosignedNote, CosignerKey};
use truce_witness::store::origin_hash;

/// The cosignature's time, checked to be a valid cosignature/v1 on `note` by `vkey`.
fn cosigned_at(line: &str, note: &[u8], vkey: &str) -> u64 {
    let mut cosigned = note.to_vec();
    cosigned.extend_from_slice(line.as_bytes());
    let parsed = CosignedNote::parse(&cosigned).unwrap();
    let key = CosignerKey::parse(vkey).unwrap();
    key.cosignature_on(&parsed)
        .expect("a valid cosignature")
        .timestamp
}

fn forks(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let forks = dir.join("logs").join(origin_hash(ORIGIN)).join("forks");
    let Ok(entries) = std::fs::read_dir(forks) else {
        return vec![];
    };
    entries.map(|e| e.unwrap().path()).collect()
}

#[tokio::test]
async fn a_log_growing_consistently_is_cosigned_at_every_step() {
    let (dir, log, witness) = (tempfile::tempdir().unwrap(), log_key(), witness_key());
    let vkey = witness.vkey();
    let addr = serve(witness, &log, dir.path()).await;
    let history = History::new(&log, "main", 40);
    let mut old = 0;
    for size in [1, 2, 7, 8, 9, 33, 33, 40] {
        let (status, _, body) = post(addr, history.request(old, size)).await;
        assert_eq!(status, 200, "{old} -> {size}: {body}");
        assert!(body.starts_with("— witness.example/w1 ") && body.ends_with('\n'));
        let time = cosigned_at(&body, &history.checkpoint(size), &vkey);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        assert!(time.abs_diff(now.as_secs()) < 60, "{time}");
        old = size;
    }
    // The monitoring endpoint serves the latest, with the log's and the witness's lines.
    let url = format!("http://{addr}/{}/checkpoint", origin_hash(ORIGIN));
    let latest = reqwest::get(url).await.unwrap().text().await.unwrap();
    assert!(latest.starts_with(&format!("{ORIGIN}\n40\n")), "{latest}");
    assert_eq!(latest.matches("\n— ").count(), 2, "{latest}");
}

#[tokio::test]
async fn a_stale_old_size_gets_409_with_the_witness_size() {
    let (dir, log) = (tempfile::tempdir().unwrap(), log_key());
    let addr = serve(witness_key(), &log, dir.path()).await;
    let history = History::new(&log, "main", 20);
    assert_eq!(post(addr, history.request(0, 10)).await.0, 200);
    let (status, content_type, body) = post(addr, history.request(0, 20)).await;
    assert_eq!(
        (status, content_type.as_str(), body.as_str()),
        (409, "text/x.tlog.size", "10\n")
    );
    let (status, _, body) = post(addr, history.request(5, 20)).await;
    assert_eq!((status, body.as_str()), (409, "10\n"));
    assert_eq!(post(addr, history.request(10, 20)).await.0, 200);
}

#[tokio::test]
async fn bad_requests_get_the_spec_status_codes() {
    let (dir, log) = (tempfile::tempdir().unwrap(), log_key());
    let addr = serve(witness_key(), &log, dir.path()).await;
    let history = History::new(&log, "main", 20);
    assert_eq!(post(addr, history.request(0, 10)).await.0, 200);
    // Malformed bodies: 400.
    assert_eq!(post(addr, b"old 10\n".to_vec()).await.0, 400);
    let note = history.checkpoint(20);
    assert_eq!(post(addr, request(10, &[], b"not a note")).await.0, 400);
    let mut leading_zero = b"old 010\n\n".to_vec();
    leading_zero.extend_from_slice(&note);
    assert_eq!(post(addr, leading_zero).await.0, 400);
    // An old size above the checkpoint's: 400.
    assert_eq!(post(addr, request(30, &[], &note)).await.0, 400);
    // Unknown origin: 404 (tlog-witness).
    let stranger = History::new(&KeyPair::generate("truce.example/other").unwrap(), "x", 3);
    assert_eq!(post(addr, stranger.request(0, 3)).await.0, 404);
    // The right origin signed by another key: 403.
    let impostor = History::new(&KeyPair::generate(ORIGIN).unwrap(), "main", 20);
    let (status, _, body) = post(addr, impostor.request(10, 20)).await;
    assert_eq!(status, 403, "{body}");
    // A signature line of the log's key that does not verify: 403.
    // A character inside the signature's base64, not its last one before the padding:
    // that one carries padding bits, and changing it may make the base64 non-canonical
    // (400) rather than the signature wrong (403), depending on the random key.
    let mut forged = note.clone();
    let inside = forged.len() - 10;
    forged[inside] = if forged[inside] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        post(addr, request(10, &history.proof(10, 20), &forged))
            .await
            .0,
        403
    );
    // A wrong proof: 422. A non-empty proof from 0 is 409 here (the witness is at 10).
    let wrong = history.proof(9, 20);
    assert_eq!(post(addr, request(10, &wrong, &note)).await.0, 422);
    // Nothing above changed the witness's state.
    assert_eq!(post(addr, history.request(10, 20)).await.0, 200);
}

#[tokio::test]
async fn a_split_view_is_refused_and_kept_as_evidence() {
    let (dir, log) = (tempfile::tempdir().unwrap(), log_key());
    let addr = serve(witness_key(), &log, dir.path()).await;
    let honest = History::forked(&log, "honest", 8, 12);
    let fork = History::forked(&log, "fork", 8, 12);
    assert_eq!(post(addr, honest.request(0, 12)).await.0, 200);
    // The same size with another root, presented as an extension of what it saw: 422.
    let (status, _, body) = post(addr, request(12, &[], &fork.checkpoint(12))).await;
    assert_eq!(status, 422, "{body}");
    // The same, presented as a first sight (old 0): 409, and the same evidence, kept once.
    assert_eq!(post(addr, fork.request(0, 12)).await.0, 409);
    let kept = forks(dir.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    for evidence in kept {
        let refused = std::fs::read(evidence.join("refused")).unwrap();
        let cosigned = std::fs::read(evidence.join("cosigned")).unwrap();
        assert!(refused.ends_with(&fork.checkpoint(12)));
        assert!(cosigned.starts_with(&honest.checkpoint(12)[..40]));
    }
    // A later checkpoint of the fork, with a proof from the honest root, does not verify.
    let (status, _, _) = post(addr, request(12, &fork.proof(12, 12), &fork.checkpoint(12))).await;
    assert_eq!(status, 422);
    assert_eq!(post(addr, honest.request(12, 12)).await.0, 200);
}

/// A real checkpoint sent with a bad proof proves nothing about the log: refused, and
/// nothing kept however often it is sent (it used to fill `forks/`, five fsyncs each).
#[tokio::test]
async fn a_bad_proof_is_refused_and_keeps_nothing() {
    let (dir, log) = (tempfile::tempdir().unwrap(), log_key());
    let addr = serve(witness_key(), &log, dir.path()).await;
    let history = History::new(&log, "main", 40);
    assert_eq!(post(addr, history.request(0, 10)).await.0, 200);
    for wrong_from in 0..30 {
        let wrong = history.proof(wrong_from % 9 + 1, 40);
        let (status, _, body) = post(addr, request(10, &wrong, &history.checkpoint(40))).await;
        assert_eq!(status, 422, "{body}");
    }
    assert_eq!(forks(dir.path()), Vec::<std::path::PathBuf>::new());
    assert_eq!(post(addr, history.request(10, 40)).await.0, 200);
}

#[tokio::test]
async fn concurrent_conflicting_checkpoints_get_one_cosignature() {
    let (dir, log) = (tempfile::tempdir().unwrap(), log_key());
    let addr = serve(witness_key(), &log, dir.path()).await;
    let base = History::forked(&log, "base", 5, 5);
    assert_eq!(post(addr, base.request(0, 5)).await.0, 200);
    // Sixteen forks of size 6 from the same size-5 tree, each with a valid proof from 5.
    let forks: Vec<History> = (0..16)
        .map(|i| History::forked(&log, &format!("fork {i}"), 5, 6))
        .collect();
    let answers = futures_join(forks.iter().map(|f| post(addr, f.request(5, 6)))).await;
    let cosigned = answers.iter().filter(|a| a.0 == 200).count();
    assert_eq!(cosigned, 1, "{answers:?}");
    assert!(
        answers.iter().all(|a| a.0 == 200 || a.0 == 409),
        "{answers:?}"
    );
}

async fn futures_join<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = vec![];
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}
