//! `truce ... | head`: a reader that stops early ends truce quietly (status 141, as a
//! process killed by SIGPIPE), not with a panic and a backtrace.

use crate::support;
use std::process::Stdio;

#[test]
fn a_closed_stdout_ends_truce_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.key");
    let mut child = support::truce()
        .args(["keys", "generate", "--name", "truce.example/x/pipe", "-o"])
        .arg(&key)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The only read end of the pipe closes before truce prints the verifier key.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(141), "{stderr}");
}
