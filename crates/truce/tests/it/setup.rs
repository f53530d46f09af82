//! `docs/setup.md` ("Setting up your own mechanism") run as written: every `sh` block, in
//! order, in one shell, with the real `truce` binary on `PATH`. Only the ports change, so
//! that tests running side by side do not collide.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest the whole walk-through may take before the test gives up on it.
const WALKTHROUGH_S_MAX: u64 = 240;

#[test]
fn the_setup_guide_runs_as_written_from_keys_to_a_witnessed_log() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/setup.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    let script = with_free_ports(&shell_blocks(&text).join("\n"));
    assert!(
        script.contains("truce genesis assemble"),
        "the guide's blocks were found"
    );
    let dir = tempfile::tempdir().unwrap();
    let output = run_to_end(dir.path(), &script);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the guide failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}\n--- node log\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        std::fs::read_to_string(dir.path().join("operator/node.log")).unwrap_or_default()
    );
    // What the reader is told to expect: a signed genesis, an account on the desk, a
    // verified log carrying both witnesses' cosignatures.
    assert!(
        stdout.contains("the genesis signed by all 3 delegations"),
        "{stdout}"
    );
    assert!(
        stdout.contains("account north-liaison-1 created"),
        "{stdout}"
    );
    assert!(stdout.contains("verified 3 entries"), "{stdout}");
    assert!(
        stdout.contains("witness.north.example") && stdout.contains("witness.south.example"),
        "{stdout}"
    );
}

/// The fenced blocks marked `sh`, in order.
fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = vec![];
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(_), "```") => blocks.push(current.take().expect("in a block")),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// The guide's ports (8080 for the node, 7381 and 7382 for the witnesses) swapped for free
/// ones.
fn with_free_ports(script: &str) -> String {
    ["127.0.0.1:8080", "127.0.0.1:7381", "127.0.0.1:7382"]
        .iter()
        .fold(script.to_string(), |script, written| {
            let free = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap();
            script.replace(written, &free.to_string())
        })
}

/// Runs the script in its own process group under bash's strict mode, then stops whatever
/// it left running in the background (the node and the witnesses).
fn run_to_end(dir: &Path, script: &str) -> std::process::Output {
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let child = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("RUST_LOG", "warn")
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let group = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    let deadline = Instant::now() + Duration::from_secs(WALKTHROUGH_S_MAX);
    loop {
        match finished.recv_timeout(Duration::from_millis(200)) {
            Ok(output) => {
                kill_group(group);
                return output.unwrap();
            }
            // Stopped, the script's output so far is what the assertion shows.
            Err(_) if Instant::now() > deadline => kill_group(group),
            Err(_) => {}
        }
    }
}

fn kill_group(group: u32) {
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{group}")])
        .status();
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_truce"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The ceremony's commands refuse bad input naming the field or the delegation, exit 2,
/// and write nothing.
#[test]
fn the_ceremony_refuses_a_bad_agreement_and_a_missing_signature_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    let agreement = truce_demo::AGREEMENT.replacen("kind = \"party\"", "kind = \"belligerent\"", 1);
    std::fs::write(at("bad.toml"), agreement).unwrap();
    let refused = crate::support::truce()
        .args(["genesis", "draft"])
        .arg(at("bad.toml"))
        .arg("-o")
        .arg(at("bad.json"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("delegations[0].kind"), "{stderr}");
    assert!(!at("bad.json").exists(), "nothing written");

    // The shipped agreement drafts as it stands; one delegation's signature missing is
    // named at assembly.
    std::fs::write(at("agreement.toml"), truce_demo::AGREEMENT).unwrap();
    let drafted = crate::support::truce()
        .args(["genesis", "draft"])
        .arg(at("agreement.toml"))
        .arg("-o")
        .arg(at("genesis.json"))
        .output()
        .unwrap();
    assert!(
        drafted.status.success(),
        "{}",
        String::from_utf8_lossy(&drafted.stderr)
    );
    let exercise = truce_demo::Exercise::from_seed(truce_demo::DEMO_ORIGIN, 0);
    let mut signatures = vec![];
    for (id, _, _, key) in exercise.delegations.iter().take(4) {
        let key_file = at(&format!("{id}.key"));
        truce_server::keyfile::write_key(&key_file, key).unwrap();
        let sig = at(&format!("{id}.sig"));
        let signed = crate::support::truce()
            .args(["genesis", "sign"])
            .arg(at("genesis.json"))
            .arg("--key")
            .arg(&key_file)
            .arg("-o")
            .arg(&sig)
            .output()
            .unwrap();
        assert!(
            signed.status.success(),
            "{}",
            String::from_utf8_lossy(&signed.stderr)
        );
        signatures.push(sig);
    }
    let assembled = crate::support::truce()
        .args(["genesis", "assemble"])
        .arg(at("genesis.json"))
        .args(&signatures)
        .arg("-o")
        .arg(at("genesis.note"))
        .output()
        .unwrap();
    assert_eq!(assembled.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&assembled.stderr);
    assert!(
        stderr.contains("signatures: delegation jmt has not signed"),
        "{stderr}"
    );
    assert!(!at("genesis.note").exists(), "nothing written");
}
