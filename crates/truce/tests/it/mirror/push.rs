//! tlog-mirror's push endpoints on a `truce mirror` process that follows no log: request
//! bodies built here by hand (independently of the push client) get each status the spec
//! names, a forged entry is refused with nothing of its package stored, a gzip body is
//! taken, and after a `kill -9` mid-upload `truce mirror-push` resumes from the next entry
//! the mirror advertises and completes a copy `truce verify` accepts.

use std::io::Write as _;
use std::path::Path;

use truce_log::cosignature::{CosignedNote, Cosigner, CosignerKey};
use truce_log::proof::FetchedHashes;
use truce_log::tiles::{TilePath, decode_bundle};
use truce_log::{Frontier, Hash, LogSigner, record_hash, subtree};

use super::{MirrorProcess, get, node_size, size_of, verify};
use crate::support::{self, Server, run, submit_registration};

/// The node's log as read over HTTP, with every stored hash (for proofs).
struct Log {
    note: Vec<u8>,
    size: u64,
    entries: Vec<Vec<u8>>,
    hashes: FetchedHashes,
}

async fn read_log(node: &str) -> Log {
    let note = get(&format!("{node}/log/checkpoint")).await.1;
    let size = size_of(&note);
    let mut entries = vec![];
    for index in 0..size.div_ceil(256) {
        let width = u32::try_from((size - index * 256).min(256)).unwrap();
        let path = TilePath::entries(index, width).path();
        let (status, bundle) = get(&format!("{node}/log/{path}")).await;
        assert_eq!(status, 200, "{path}");
        entries.extend(
            decode_bundle(&bundle)
                .unwrap()
                .into_iter()
                .map(<[u8]>::to_vec),
        );
    }
    let mut frontier = Frontier::new();
    let mut stored = std::collections::HashMap::new();
    for entry in &entries {
        stored.extend(frontier.append(record_hash(entry)));
    }
    let root = String::from_utf8_lossy(&note)
        .lines()
        .nth(2)
        .unwrap()
        .to_string();
    assert_eq!(
        frontier.root().to_string(),
        root,
        "the entries hash to the root"
    );
    Log {
        note,
        size,
        entries,
        hashes: FetchedHashes(stored),
    }
}

/// An add-entries header: origin, `upload_start`, `upload_end`, an empty ticket.
fn header(origin: &str, start: u64, end: u64) -> Vec<u8> {
    let mut body = u16::try_from(origin.len()).unwrap().to_be_bytes().to_vec();
    body.extend_from_slice(origin.as_bytes());
    body.extend_from_slice(&start.to_be_bytes());
    body.extend_from_slice(&end.to_be_bytes());
    body.extend_from_slice(&0u16.to_be_bytes());
    body
}

/// The package `[start, end)` against the checkpoint of `log.size`, entries as given.
fn package(log: &Log, start: u64, end: u64, entries: &[Vec<u8>]) -> Vec<u8> {
    let mut body = vec![];
    for entry in entries {
        body.extend_from_slice(&u16::try_from(entry.len()).unwrap().to_be_bytes());
        body.extend_from_slice(entry);
    }
    let proof = subtree::prove(start / 256 * 256, end, log.size, &log.hashes).unwrap();
    body.push(u8::try_from(proof.len()).unwrap());
    for hash in proof {
        body.extend_from_slice(&hash.0);
    }
    body
}

/// The canonical packages of `[start, end)`, as many as `count`.
fn packages(log: &Log, start: u64, end: u64, count: usize) -> Vec<u8> {
    let mut body = vec![];
    let mut at = start;
    for _ in 0..count {
        let to = end.min((at / 256 + 1) * 256);
        let (from, upto) = (usize::try_from(at).unwrap(), usize::try_from(to).unwrap());
        body.extend(package(log, at, to, &log.entries[from..upto]));
        at = to;
    }
    body
}

/// Posts an add-entries body; the status, content type and text.
async fn add_entries(mirror: &str, body: Vec<u8>, gzip: bool) -> (u16, String, String) {
    let mut request = reqwest::Client::new().post(format!("{mirror}/add-entries"));
    let body = if gzip {
        request = request.header("content-encoding", "gzip");
        let mut encoder = flate2::write::GzEncoder::new(vec![], flate2::Compression::default());
        encoder.write_all(&body).unwrap();
        encoder.finish().unwrap()
    } else {
        body
    };
    let response = request.body(body).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

/// A `text/x.tlog.mirror-info` answer: pending size, next entry, ticket (base64).
fn mirror_info((status, kind, text): (u16, String, String), expected: u16) -> (u64, u64) {
    assert_eq!(
        (status, kind.as_str()),
        (expected, "text/x.tlog.mirror-info"),
        "{text}"
    );
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines.len(), 4, "{text:?}");
    assert_eq!((lines[2], lines[3]), ("", ""), "an empty ticket");
    (lines[0].parse().unwrap(), lines[1].parse().unwrap())
}

async fn add_checkpoint(mirror: &str, old: u64, proof: &[Hash], note: &[u8]) -> (u16, String) {
    let mut body = format!("old {old}\n");
    for hash in proof {
        body.push_str(&hash.to_string());
        body.push('\n');
    }
    body.push('\n');
    let mut body = body.into_bytes();
    body.extend_from_slice(note);
    let response = reqwest::Client::new()
        .post(format!("{mirror}/add-checkpoint"))
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn grow(node: &Server, node_dir: &Path, to: u64, delegation: &str) {
    let client = reqwest::Client::new();
    let start = node_size(node).await;
    for i in 0..usize::try_from(to.saturating_sub(start)).unwrap() {
        let status = submit_registration(&client, &node.url(), node_dir, delegation, i).await;
        assert_eq!(status, 201);
    }
}

/// The mirror's cosignature on the checkpoint `note`, from its answer's lines.
fn assert_cosigned(note: &[u8], lines: &str, key: &Cosigner) {
    assert!(lines.starts_with("— mirror.example/m1 "), "{lines:?}");
    let mut cosigned = note.to_vec();
    cosigned.extend_from_slice(lines.as_bytes());
    let parsed = CosignedNote::parse(&cosigned).unwrap();
    let mirror_key = CosignerKey::parse(&key.vkey()).unwrap();
    assert!(mirror_key.cosignature_on(&parsed).is_some(), "{lines:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_mirror_checks_every_package_and_survives_a_kill_mid_upload() {
    let dir = tempfile::tempdir().unwrap();
    let node_dir = dir.path().join("node");
    let node = Server::start(&node_dir, &[]);
    let log_vkey = String::from_utf8(get(&format!("{}/log/vkey", node.url())).await.1).unwrap();
    let log_vkey = log_vkey.trim().to_string();
    let mirror_dir = dir.path().join("mirror");
    std::fs::create_dir_all(&mirror_dir).unwrap();
    let key = Cosigner::generate("mirror.example/m1").unwrap();
    std::fs::write(mirror_dir.join("mirror.key"), key.to_skey()).unwrap();
    grow(&node, &node_dir, 2 * 256 + 50, "pk").await;
    let mirror = MirrorProcess::start_with(&mirror_dir, None, &log_vkey);

    let log = read_log(&node.url()).await;
    each_status(&mirror, &mirror_dir, &log, &key).await;
    split_view(&mirror, &mirror_dir, &node_dir, &log).await;
    sent_again(&mirror, &log, &key).await;
    verify(&mirror.url, &log_vkey);

    grow(&node, &node_dir, log.size + 600, "af").await;
    let grown = read_log(&node.url()).await;
    let mirror = kill_mid_upload(mirror, &mirror_dir, &log, &grown, &log_vkey).await;
    push_all(&node, &mirror, &grown, &key);
    let out = verify(&mirror.url, &log_vkey);
    assert!(
        out.contains(&format!("verified {} entries", grown.size)),
        "{out}"
    );

    // A second mirror, empty, caught up by the client alone across four tile boundaries.
    let empty_dir = dir.path().join("mirror2");
    std::fs::create_dir_all(&empty_dir).unwrap();
    std::fs::write(empty_dir.join("mirror.key"), key.to_skey()).unwrap();
    let empty = MirrorProcess::start_with(&empty_dir, None, &log_vkey);
    committed_behind(&empty, &node_dir, &grown, &key, &log_vkey).await;
    push_all(&node, &empty, &grown, &key);
    let out = verify(&empty.url, &log_vkey);
    assert!(
        out.contains(&format!("verified {} entries", grown.size)),
        "{out}"
    );
}

/// The log's first `size` entries, under a checkpoint of that size signed by its key.
fn prefix(log: &Log, size: u64, node_dir: &Path) -> Log {
    let entries = log.entries[..usize::try_from(size).unwrap()].to_vec();
    let mut frontier = Frontier::new();
    let mut stored = std::collections::HashMap::new();
    for entry in &entries {
        stored.extend(frontier.append(record_hash(entry)));
    }
    let key = truce_server::keyfile::read_key(&node_dir.join("log.key")).unwrap();
    Log {
        note: LogSigner::new(key).sign(size, frontier.root()).note,
        size,
        entries,
        hashes: FetchedHashes(stored),
    }
}

/// Two pending checkpoints, 900 then the log's; entries pushed up to 1024 towards the
/// second; then an upload to the first (its entries all held already) commits it behind
/// the held tree, and the copy at 900 verifies.
async fn committed_behind(
    mirror: &MirrorProcess,
    node_dir: &Path,
    log: &Log,
    key: &Cosigner,
    log_vkey: &str,
) {
    let (url, origin, n) = (&mirror.url, support::ORIGIN, log.size);
    let older = prefix(log, 900, node_dir);
    assert_eq!(add_checkpoint(url, 0, &[], &older.note).await.0, 200);
    let proof = truce_log::consistency::prove(900, n, &log.hashes).unwrap();
    assert_eq!(add_checkpoint(url, 900, &proof, &log.note).await.0, 200);
    let four = [header(origin, 0, n), packages(log, 0, n, 4)].concat();
    assert_eq!(
        mirror_info(add_entries(url, four, true).await, 202),
        (n, 1024)
    );
    let behind = [header(origin, 768, 900), packages(&older, 768, 900, 1)].concat();
    let (status, _, lines) = add_entries(url, behind, false).await;
    assert_eq!(status, 200, "{lines}");
    assert_cosigned(&older.note, &lines, key);
    let out = verify(url, log_vkey);
    assert!(out.contains("verified 900 entries"), "{out}");
}

/// `truce mirror-push` from the node to `mirror`: the log's size and a cosignature.
fn push_all(node: &Server, mirror: &MirrorProcess, log: &Log, key: &Cosigner) {
    let output = run(&["mirror-push", "--log", &node.url(), "--mirror", &mirror.url]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (first, lines) = stdout.split_once('\n').unwrap();
    assert_eq!(first, format!("mirrored {} entries", log.size));
    assert_cosigned(&log.note, lines, key);
}

/// 404, 422, add-checkpoint (never signed by the mirror), 409, 400, 202, a forged
/// package refused, then the rest gzip-compressed: 200 with the mirror's cosignature.
async fn each_status(mirror: &MirrorProcess, mirror_dir: &Path, log: &Log, key: &Cosigner) {
    let (url, origin, n) = (&mirror.url, support::ORIGIN, log.size);
    let whole = || [header(origin, 0, n), packages(log, 0, n, 3)].concat();
    let unknown = [
        header("example.com/another-log", 0, n),
        packages(log, 0, n, 3),
    ]
    .concat();
    assert_eq!(add_entries(url, unknown, false).await.0, 404);
    let (status, _, text) = add_entries(url, whole(), false).await;
    assert_eq!(status, 422, "no pending checkpoint yet: {text}");

    // A line in the mirror's own name pushed with the checkpoint is not kept.
    let impostor = Cosigner::generate("mirror.example/m1").unwrap();
    let body_end = log.note.windows(2).position(|w| w == b"\n\n").unwrap() + 1;
    let mut note = log.note.clone();
    note.extend_from_slice(impostor.cosign_line(&log.note[..body_end], 1).as_bytes());
    assert_eq!(
        add_checkpoint(url, 0, &[], &note).await,
        (200, String::new())
    );
    let hash = truce_witness::store::origin_hash(origin);
    assert_eq!(
        get(&format!("{url}/{hash}/checkpoint")).await.0,
        404,
        "not cosigned"
    );
    let (status, text) = add_checkpoint(url, 0, &[], &log.note).await;
    assert_eq!((status, text.as_str()), (409, format!("{n}\n").as_str()));

    let stale = [header(origin, 0, n + 5), packages(log, 0, n, 1)].concat();
    assert_eq!(
        mirror_info(add_entries(url, stale, false).await, 409),
        (n, 0)
    );
    let ahead = [header(origin, 300, n), packages(log, 300, n, 1)].concat();
    assert_eq!(
        mirror_info(add_entries(url, ahead, false).await, 409),
        (n, 0)
    );
    let truncated = whole()[..header(origin, 0, n).len() + 1000].to_vec();
    assert_eq!(add_entries(url, truncated, false).await.0, 400);
    let prefix = [header(origin, 0, n), packages(log, 0, n, 1)].concat();
    assert_eq!(
        mirror_info(add_entries(url, prefix, false).await, 202),
        (n, 256)
    );

    let mut forged_entries = log.entries[256..512].to_vec();
    forged_entries[10][40] ^= 1;
    let forged = [
        header(origin, 256, n),
        package(log, 256, 512, &forged_entries),
    ]
    .concat();
    let (status, _, text) = add_entries(url, forged, false).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("[256, 512)"), "{text}");
    let tiles = mirror_dir.join("data").join(&hash).join("tile");
    assert!(
        !tiles.join("entries/001").exists(),
        "nothing of the forged package stored"
    );
    let again = [header(origin, 300, n), packages(log, 300, n, 1)].concat();
    assert_eq!(
        mirror_info(add_entries(url, again, false).await, 409),
        (n, 256)
    );

    let rest = [header(origin, 256, n), packages(log, 256, n, 2)].concat();
    let (status, _, lines) = add_entries(url, rest, true).await;
    assert_eq!(status, 200, "{lines}");
    assert_cosigned(&log.note, &lines, key);
    let (status, served) = get(&format!("{url}/{hash}/checkpoint")).await;
    assert_eq!((status, size_of(&served)), (200, n));
    let served = String::from_utf8(served).unwrap();
    assert_eq!(
        served.matches("— mirror.example/m1 ").count(),
        1,
        "{served}"
    );
}

/// Entries the mirror holds, sent again from inside a stored full bundle (at most a
/// bundle's worth below the next entry): still checked (a forged one is refused), not
/// written again, and the answer is the mirror's cosignature; more than that is a 409.
async fn sent_again(mirror: &MirrorProcess, log: &Log, key: &Cosigner) {
    let (url, origin, n) = (&mirror.url, support::ORIGIN, log.size);
    let again = [header(origin, 312, n), packages(log, 312, n, 2)].concat();
    let (status, _, lines) = add_entries(url, again, false).await;
    assert_eq!(status, 200, "{lines}");
    assert_cosigned(&log.note, &lines, key);
    let mut forged_entries = log.entries[312..512].to_vec();
    forged_entries[0][40] ^= 1;
    let forged = [
        header(origin, 312, n),
        package(log, 312, 512, &forged_entries),
    ]
    .concat();
    assert_eq!(add_entries(url, forged, false).await.0, 422);
    let too_many = [header(origin, 300, n), packages(log, 300, n, 2)].concat();
    assert_eq!(
        mirror_info(add_entries(url, too_many, false).await, 409),
        (n, n)
    );
}

/// A checkpoint of the pending size with another root, signed by the log's key: refused
/// (422 when sent as consistent, 409 otherwise) and kept as evidence, once.
async fn split_view(mirror: &MirrorProcess, mirror_dir: &Path, node_dir: &Path, log: &Log) {
    let key = truce_server::keyfile::read_key(&node_dir.join("log.key")).unwrap();
    let forged = LogSigner::new(key).sign(log.size, Hash([7; 32]));
    let (status, text) = add_checkpoint(&mirror.url, log.size, &[], &forged.note).await;
    assert_eq!(status, 422, "{text}");
    let (status, text) = add_checkpoint(&mirror.url, 0, &[], &forged.note).await;
    assert_eq!((status, text), (409, format!("{}\n", log.size)));
    let hash = truce_witness::store::origin_hash(support::ORIGIN);
    let forks = mirror_dir.join("data").join(hash).join("forks");
    let kept: Vec<_> = std::fs::read_dir(forks)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    for evidence in kept {
        let refused = std::fs::read(evidence.join("refused")).unwrap();
        assert!(
            String::from_utf8_lossy(&refused).contains("BwcHBwcH"),
            "the forged root"
        );
    }
}

/// Pending checkpoint pushed, then an upload of all packages whose request is still
/// open after two of them when the mirror is killed with `kill -9`: restarted, the mirror
/// still has both packages (each is stored before the next is read) and advertises the
/// next entry after them.
async fn kill_mid_upload(
    mirror: MirrorProcess,
    mirror_dir: &Path,
    old: &Log,
    log: &Log,
    log_vkey: &str,
) -> MirrorProcess {
    let (url, origin, n) = (&mirror.url, support::ORIGIN, log.size);
    let proof = truce_log::consistency::prove(old.size, n, &log.hashes).unwrap();
    let (status, _) = add_checkpoint(url, old.size, &proof, &log.note).await;
    assert_eq!(status, 200);
    let whole = [header(origin, old.size, n), packages(log, old.size, n, 3)].concat();
    let two = header(origin, old.size, n).len() + packages(log, old.size, n, 2).len();
    let in_flight = start_upload(url, &whole[..two], whole.len()).await;
    let next = (old.size / 256 + 2) * 256;
    let hash = truce_witness::store::origin_hash(origin);
    let recorded = mirror_dir.join("data").join(hash).join("next-entry");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::read_to_string(&recorded).ok() != Some(format!("{next}\n")) {
        assert!(
            std::time::Instant::now() < deadline,
            "the two packages were not stored"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    mirror.kill_9();
    drop(in_flight);
    let mirror = MirrorProcess::start_with(mirror_dir, None, log_vkey);
    let beyond = header(origin, n, n);
    let answer = add_entries(&mirror.url, beyond, false).await;
    assert_eq!(mirror_info(answer, 409), (n, next));
    mirror
}

/// Sends the first bytes of an add-entries request of `length` body bytes and keeps the
/// connection open, as a client still uploading does.
async fn start_upload(url: &str, body: &[u8], length: usize) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt as _;
    let addr = url.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /add-entries HTTP/1.1\r\nHost: {addr}\r\ncontent-type: application/octet-stream\r\ncontent-length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    stream.flush().await.unwrap();
    stream
}
