//! An independent client of the standards Truce implements: `tests/c2sp/verify.go`, built on
//! the Go team's sumdb `note` and `tlog` packages (Debian's `golang-golang-x-mod-dev`), reads
//! a node's checkpoint, hash tiles and entry bundles, checks the log's signature, the root
//! from the tiles and every entry's leaf, over a log with a full tile and a partial one.
//! Without Go and those packages it says so and passes, unless `TRUCE_GO_TESTS=required`
//! (as `.ci/run` sets).

use std::path::Path;
use std::process::{Command, Output};

use crate::support::*;

/// Where Debian's package puts the Go sources of golang.org/x/mod (a GOPATH).
const GOPATH: &str = "/usr/share/gocode";

pub(crate) fn go_client_available() -> bool {
    let packages = Path::new(GOPATH).join("src/golang.org/x/mod/sumdb/tlog");
    let go = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if go && packages.exists() {
        return true;
    }
    let missing = "Go (golang-go) or golang.org/x/mod (golang-golang-x-mod-dev) is missing";
    assert!(
        std::env::var("TRUCE_GO_TESTS").as_deref() != Ok("required"),
        "{missing}, and TRUCE_GO_TESTS=required"
    );
    eprintln!("skipped: {missing}");
    false
}

pub(crate) fn go_verify(url: &str, vkey: &str) -> Output {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c2sp/verify.go");
    Command::new("go")
        .arg("run")
        .arg(source)
        .args([url, vkey])
        .env("GO111MODULE", "off")
        .env("GOPATH", GOPATH)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_go_sumdb_packages_accept_the_log_and_refuse_another_key() {
    if !go_client_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(&data, &[]);
    // Past one full tile of 256 entries, so both full and partial tiles are read.
    let client = reqwest::Client::new();
    for i in 0..200 {
        let status = submit_registration(&client, &server.url(), &data, "pk", 100 + i).await;
        assert_eq!(status, 201);
    }
    let log_key = truce_server::keyfile::read_key(&data.join("log.key")).unwrap();
    let output = go_verify(&server.url(), &log_key.vkey());
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let size = demo_size() + 200;
    assert!(said.contains(&format!("{size} entries")), "{said}");

    let impostor = truce_log::KeyPair::generate(log_key.name().as_str()).unwrap();
    let output = go_verify(&server.url(), &impostor.vkey());
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("the checkpoint's signature"), "{said}");
}
