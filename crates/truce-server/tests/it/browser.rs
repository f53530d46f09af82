//! The web pages in headless Chromium: `tests/browser/run.mjs` (Playwright driving Debian's
//! `chromium`, axe-core for accessibility) against a real node on port 0 serving the whole
//! exercise. It checks languages and direction, page weights, the incident page and the
//! in-browser verification of every step, and a forged log key being refused.
//!
//! It needs `node`, `/usr/bin/chromium` (or `CHROMIUM`) and `npm ci` run in `tests/browser`.
//! Without them this test says what is missing and passes, unless `TRUCE_BROWSER_TESTS=required`
//! (as `.ci/run` sets), when their absence is a failure. Set `TRUCE_SCREENSHOTS=DIR` to keep
//! a screenshot of every page in every language checked.

use crate::support;
use std::path::{Path, PathBuf};

fn missing_prerequisite(dir: &Path) -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!("{chromium} (apt-get install chromium)"));
    }
    if !dir.join("node_modules/playwright-core").exists()
        || !dir.join("node_modules/axe-core").exists()
    {
        return Some(format!(
            "{}/node_modules (run `npm ci` there)",
            dir.display()
        ));
    }
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node (apt-get install nodejs)".into());
    }
    None
}

/// The folder of the browser checks, or None (said on standard error) when a prerequisite
/// is missing; a failure instead when `TRUCE_BROWSER_TESTS=required`.
fn browser_dir(what: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let Some(missing) = missing_prerequisite(&dir) else {
        return Some(dir);
    };
    let required = std::env::var("TRUCE_BROWSER_TESTS").is_ok_and(|v| v == "required");
    assert!(
        !required,
        "browser tests are required but {missing} is missing"
    );
    eprintln!("SKIPPED {what}: {missing} is missing");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_work_in_headless_chromium() {
    let Some(dir) = browser_dir("the browser tests") else {
        return;
    };
    let app = support::spawn_exercise().await;
    let mut command = tokio::process::Command::new("node");
    command.current_dir(&dir).arg("run.mjs").arg(app.url(""));
    if let Ok(shots) = std::env::var("TRUCE_SCREENSHOTS") {
        command.arg(shots);
    }
    let output = tokio::time::timeout(std::time::Duration::from_mins(5), command.output())
        .await
        .expect("the browser checks finish within 5 minutes")
        .expect("node runs");
    let said = String::from_utf8_lossy(&output.stdout);
    let complained = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser checks failed:\n{said}\n{complained}"
    );
    assert!(said.contains("all browser checks passed"), "{said}");
}

/// The browser's witness check (`cosignedBy` in `static/verify.js`, run by node) counts a
/// witness only for a valid cosignature/v1 by its key on this very checkpoint: not a
/// witness that did not cosign, not a cosignature on another checkpoint, not a line that
/// claims a witness's name with another key.
#[test]
fn the_browser_counts_only_valid_witness_cosignatures() {
    use truce_log::cosignature::Cosigner;
    let Some(dir) = browser_dir("the browser's cosignature check") else {
        return;
    };
    let body = "example.org/log\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    let other = "example.org/log\n13\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    let [good, absent, elsewhere] =
        ["w.pk", "w.af", "w.tr"].map(|n| Cosigner::generate(n).unwrap());
    let impostor = Cosigner::generate("w.af").unwrap();
    let note = format!(
        "{body}\n{}{}{}",
        good.cosign_line(body.as_bytes(), 1_700_000_000),
        elsewhere.cosign_line(other.as_bytes(), 1_700_000_000),
        impostor.cosign_line(body.as_bytes(), 1_700_000_000),
    );
    let witnesses = [good.vkey(), absent.vkey(), elsewhere.vkey()];
    let vector = tempfile::NamedTempFile::new().unwrap();
    let json = serde_json::json!({"note": note, "witnesses": witnesses});
    std::fs::write(vector.path(), json.to_string()).unwrap();
    let output = std::process::Command::new("node")
        .current_dir(&dir)
        .arg("cosign.mjs")
        .arg(vector.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_str(said.trim()).unwrap();
    assert_eq!(answer["found"], serde_json::json!([good.vkey()]));
}
