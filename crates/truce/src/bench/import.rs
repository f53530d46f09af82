//! `truce bench import FILE`: the issue 6 target, a dataset file imported end to end in
//! under 2 s. Each run starts a fresh `truce serve --demo` child and times a `truce import`
//! child process as a user would run it (read and check the file, ask which rows are on
//! the log, sign, post in batches, wait until every entry is durable); then the same file
//! again, which must add nothing.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use serde_json::json;

use super::reports::Server;
use crate::Failure;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The dataset file (e.g. UCDP GED's `ged-pakistan.csv`).
    file: PathBuf,
    /// `ucdp` or `acled`.
    #[arg(long, default_value = "ucdp")]
    dataset: String,
    /// Fresh nodes to import into, one after another.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &ImportArgs) -> Result<(), Failure> {
    let mut first = vec![];
    let mut again = vec![];
    let mut summary = String::new();
    for _ in 0..args.runs.max(1) {
        let dir = tempfile::tempdir()?;
        let server = Server::spawn_with(dir.path(), &["--demo"])?;
        let key = dir.path().join("demo-keys/jmt-monitor-1.key");
        let (seconds, out) = import(args, &server.url, &key)?;
        first.push(seconds);
        summary = out.lines().next().unwrap_or_default().to_string();
        again.push(import(args, &server.url, &key)?.0);
        server.stop()?;
    }
    let best = |times: &[f64]| times.iter().copied().fold(f64::INFINITY, f64::min);
    if args.json {
        let out = json!({"bench": "import", "file": args.file.display().to_string(),
            "dataset": args.dataset, "first_s": first, "again_s": again});
        println!("{out}");
        return Ok(());
    }
    super::print_machine();
    println!("{summary}");
    println!(
        "import into a fresh node: best {:.2} s of {} runs ({})",
        best(&first),
        first.len(),
        seconds_list(&first)
    );
    println!(
        "the same file again (adds nothing): best {:.2} s ({})",
        best(&again),
        seconds_list(&again)
    );
    Ok(())
}

/// Runs `truce import` as a child process; its wall time and standard output.
fn import(
    args: &ImportArgs,
    server: &str,
    key: &std::path::Path,
) -> Result<(f64, String), Failure> {
    let started = Instant::now();
    let output = Command::new(std::env::current_exe()?)
        .args(["import", &args.dataset])
        .arg(&args.file)
        .arg("--key")
        .arg(key)
        .args(["--server", server])
        .env("RUST_LOG", "warn")
        .output()?;
    let seconds = started.elapsed().as_secs_f64();
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(Failure::check(anyhow::anyhow!(
            "truce import failed ({}): {out}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok((seconds, out))
}

fn seconds_list(times: &[f64]) -> String {
    let each: Vec<String> = times.iter().map(|s| format!("{s:.2} s")).collect();
    each.join(", ")
}
