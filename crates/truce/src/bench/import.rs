//! `truce bench import FILE`: the issue 6 target, a dataset file imported end to end in
//! under 2 s. Each run starts a fresh `truce serve --demo` child and times a `truce import`
//! child process as a user would run it (read and check the file, ask which rows are on
//! the log, sign, post in batches, wait until every entry is durable); then the same file
//! again, which must add nothing. The machine is shared, so each run also reports the CPU
//! time the import and the server spent (from /proc) and the load average it ran under.

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
    let mut cpu = vec![];
    let mut summary = String::new();
    for _ in 0..args.runs.max(1) {
        let dir = tempfile::tempdir()?;
        let server = Server::spawn_with(dir.path(), &["--demo"])?;
        let key = dir.path().join("demo-keys/jmt-monitor-1.key");
        let before = (
            cpu_seconds(&format!("/proc/{}/stat", server.pid()), 13),
            children_cpu_seconds(),
        );
        let (seconds, out) = import(args, &server.url, &key)?;
        let server_cpu = cpu_seconds(&format!("/proc/{}/stat", server.pid()), 13) - before.0;
        cpu.push((
            server_cpu,
            children_cpu_seconds() - before.1,
            load_average(),
        ));
        first.push(seconds);
        summary = out.lines().next().unwrap_or_default().to_string();
        again.push(import(args, &server.url, &key)?.0);
        server.stop()?;
    }
    let best = |times: &[f64]| times.iter().copied().fold(f64::INFINITY, f64::min);
    if args.json {
        let cpu: Vec<_> = cpu.iter().map(|(server, client, load)| {
            json!({"server_cpu_s": server, "import_cpu_s": client, "load_average_1m": load})
        }).collect();
        let out = json!({"bench": "import", "file": args.file.display().to_string(),
            "dataset": args.dataset, "first_s": first, "again_s": again, "cpu": cpu});
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
    for (i, (server, client, load)) in cpu.iter().enumerate() {
        println!(
            "run {}: CPU {server:.2} s in truce serve + {client:.2} s in truce import; load average {load:.1} on {} cores",
            i + 1,
            std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
        );
    }
    Ok(())
}

/// User and system time in a /proc `stat` file from field `at` on (0-based, after the
/// command's name), in seconds at 100 ticks a second (Linux's `USER_HZ`).
fn cpu_seconds(path: &str, at: usize) -> f64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the command, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let tick = |i: usize| {
        fields
            .get(i - 2)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(at) + tick(at + 1)) / 100.0
}

/// CPU time of this process's waited-for children (`cutime`, `cstime`).
fn children_cpu_seconds() -> f64 {
    cpu_seconds("/proc/self/stat", 15)
}

fn load_average() -> f64 {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace()
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or(0.0)
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
