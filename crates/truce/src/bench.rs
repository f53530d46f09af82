//! `truce bench ...`: speed measurements, printed with the machine they ran on. Results
//! are recorded in BENCHMARKS.md; nothing here is a pass/fail test.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::json;
use truce_core::LogState;
use truce_demo::Synthetic;
use truce_log::Frontier;
use truce_server::sequencer::{Sequencer, SequencerHandle};
use truce_store::Store;

use crate::Failure;

mod cluster;
mod export;
mod import;
mod load;
mod observations;
mod reports;
mod sitrep;
mod witness;

/// The origin of the synthetic logs `bench append|http` build (and `--grow` continues).
const BENCH_ORIGIN: &str = "truce.example/bench";
/// Receipts awaited at once by one in-process producer.
const IN_FLIGHT_PER_PRODUCER: usize = 16_384;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Append synthetic signed entries through the sequencer, in process (no HTTP):
    /// parsing, signature verification, admission, tree, durable batch commit.
    Append(AppendArgs),
    /// The same entries over HTTP, to a node started in this process, one connection
    /// per author.
    Http(AppendArgs),
    /// This machine's Ed25519 verification rate (ed25519-dalek strict, and openssl).
    Ed25519,
    /// The issue 3 targets: a log of many synthetic reports (built, or reused), served by
    /// a `truce serve` child process and queried over HTTP (filtered lists, compliance),
    /// its memory read from /proc; then a `truce rebuild` of it timed.
    Reports(reports::ReportsArgs),
    /// The issue 6 target: exports of a log of many synthetic reports (built, or reused)
    /// streamed whole from a `truce serve` child, timed, its memory read from /proc.
    Export(export::ExportArgs),
    /// The issue 6 target: a UCDP GED (or ACLED) file imported by `truce import` into a
    /// fresh `truce serve --demo` child, end to end, then again (adding nothing).
    Import(import::ImportArgs),
    /// Issue 7's target: three `truce witness` children on loopback, a node asking them to
    /// cosign while authors append; the time from a checkpoint's signing to the quorum's
    /// cosignatures covering it.
    Witness(witness::WitnessArgs),
    /// Daily situation reports as PDF (the issue 6 target: under 2 s each), against a
    /// running node or a log of many synthetic reports.
    Sitrep(sitrep::SitrepArgs),
    /// Issue 17's load figures: the dashboard, an incident page and the report list read
    /// by many concurrent clients (`wrk`), then the node's memory while many clients hold
    /// slow connections.
    Load(load::LoadArgs),
    /// Issue 19's target: a log of many synthetic observations, served by a `truce serve`
    /// child, asked for the daily counts of random days and areas over HTTP.
    Observations(observations::ObservationsArgs),
    /// Issue 21's reads past one machine: a log of many synthetic reports in PostgreSQL,
    /// read through 1, 2, ... `truce serve` children at once (`wrk`).
    Cluster(cluster::ClusterArgs),
}

#[derive(clap::Args)]
pub struct AppendArgs {
    /// How many entries to append (after the genesis).
    #[arg(long, default_value_t = 200_000)]
    entries: usize,
    /// How many authors write concurrently (each its own chain, in order).
    #[arg(long, default_value_t = 64)]
    authors: usize,
    /// Keep the log in this new directory (to audit or serve it afterwards).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Add the entries to the log an earlier run kept in --data (with the same
    /// --authors), continuing each author's chain: to time an incremental audit.
    #[arg(long, requires = "data")]
    grow: bool,
    /// Sequencer batch size limit.
    #[arg(long, default_value_t = 4_096)]
    batch_entries_max: usize,
    /// Sequencer batch wait limit.
    #[arg(long, default_value_t = 20)]
    batch_wait_ms: u64,
    /// Over HTTP: notes each client sends per request. 1 posts each to
    /// `/api/v1/entries` (a field device); more use `/api/v1/entries/batch`.
    #[arg(long, default_value_t = 1)]
    notes_per_request: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Append(args) => append(args, false).await,
        Command::Http(args) => append(args, true).await,
        Command::Reports(args) => reports::run(args).await,
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(args).await,
        Command::Witness(args) => witness::run(args).await,
        Command::Sitrep(args) => sitrep::run(args).await,
        Command::Load(args) => load::run(args).await,
        Command::Observations(args) => observations::run(args).await,
        Command::Cluster(args) => cluster::run(args).await,
        Command::Ed25519 => {
            print_machine();
            print_verify_limit(None);
            println!("{}", openssl_ed25519());
            Ok(())
        }
    }
}

/// This machine's clock as a timestamp, to the second (for entries dated now).
fn now() -> truce_core::Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    truce_core::Timestamp::from_unix_seconds(i64::try_from(seconds).unwrap_or(i64::MAX))
}

async fn append(args: AppendArgs, over_http: bool) -> Result<(), Failure> {
    if args.grow {
        return grow(args).await;
    }
    let temp = tempfile::tempdir()?;
    let dir = match &args.data {
        Some(dir) if dir.exists() => {
            return Err(Failure::usage(anyhow::anyhow!(
                "--data {}: must not exist yet",
                dir.display()
            )));
        }
        Some(dir) => dir.clone(),
        None => temp.path().join("bench"),
    };
    let authors = args.authors.max(2);
    let per_author = args.entries.div_ceil(authors);
    let synthetic = Synthetic::new(BENCH_ORIGIN, authors, 1);
    std::fs::create_dir_all(&dir)?;
    truce_server::keyfile::write_key(
        &dir.join(truce_server::node::LOG_KEY_FILE),
        &synthetic.log_key,
    )?;
    eprintln!(
        "signing {} entries by {authors} authors (not timed)...",
        per_author * authors
    );
    let chains = tokio::task::block_in_place(|| synthetic.chains(per_author));
    let genesis = synthetic.genesis_note();
    let limit_before = limit_before_run(&args);
    let timed = if over_http {
        append_http(&dir, &args, genesis, chains).await?
    } else {
        let start = (LogState::new(), Frontier::new());
        append_in_process(&dir, &args, &synthetic, start, Some(genesis), chains).await?
    };
    report(&args, over_http, timed, limit_before, &dir);
    Ok(())
}

/// `--grow`: more entries, in process, on the log kept in `--data`.
async fn grow(args: AppendArgs) -> Result<(), Failure> {
    let dir = args.data.clone().expect("--grow requires --data");
    if !dir.join(truce_store::SQLITE_FILE).exists() {
        return Err(Failure::usage(anyhow::anyhow!(
            "--data {}: no log to grow (run without --grow first)",
            dir.display()
        )));
    }
    let (state, frontier) = {
        let store = Store::open(&dir, None).await?;
        truce_server::loader::load(&store).await?
    };
    let delegations = state.genesis().map_or(0, |g| g.delegations.len());
    if delegations != args.authors.max(2) {
        return Err(Failure::usage(anyhow::anyhow!(
            "--authors {}: the log in {} was built with {delegations}",
            args.authors,
            dir.display()
        )));
    }
    let synthetic = Synthetic::new(BENCH_ORIGIN, delegations, 1);
    let per_author = args.entries.div_ceil(delegations);
    eprintln!(
        "signing {} more entries after the {} in {} (not timed)...",
        per_author * delegations,
        state.size(),
        dir.display()
    );
    let chains =
        tokio::task::block_in_place(|| synthetic.chains_after(per_author, |k| state.author(k)));
    let limit_before = limit_before_run(&args);
    let timed = append_in_process(&dir, &args, &synthetic, (state, frontier), None, chains).await?;
    report(&args, false, timed, limit_before, &dir);
    Ok(())
}

fn limits(args: &AppendArgs) -> truce_server::Limits {
    truce_server::Limits {
        batch_entries_max: args.batch_entries_max,
        batch_wait_ms: args.batch_wait_ms,
        ..truce_server::Limits::default()
    }
}

async fn append_in_process(
    dir: &Path,
    args: &AppendArgs,
    synthetic: &Synthetic,
    (state, frontier): (LogState, Frontier),
    genesis: Option<Vec<u8>>,
    chains: Vec<Vec<Vec<u8>>>,
) -> Result<(usize, f64), Failure> {
    let store = Store::open(dir, None).await?;
    let progress = store.clone();
    let (handle, task) = Sequencer::spawn(
        store,
        synthetic.log_key.clone(),
        state,
        frontier,
        limits(args),
        truce_server::geography::AgreedGeometry::new(dir),
    );
    if let Some(genesis) = genesis {
        handle
            .submit(genesis)
            .await
            .map_err(|e| anyhow::anyhow!("genesis: {e}"))?;
    }
    let total: usize = chains.iter().map(Vec::len).sum();
    let started = Instant::now();
    let progress = tokio::spawn(report_progress(progress, started));
    // One producer per core, each owning every other author, so per-author order holds.
    let mut groups: Vec<Vec<Vec<Vec<u8>>>> = vec![vec![], vec![]];
    for (i, chain) in chains.into_iter().enumerate() {
        groups[i % 2].push(chain);
    }
    let producers: Vec<_> = groups
        .into_iter()
        .map(|group| tokio::spawn(produce(handle.clone(), group)))
        .collect();
    for producer in producers {
        producer.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    progress.abort();
    drop(handle);
    task.await?;
    Ok((total, seconds))
}

/// Prints the log's size and the rate since the last line every 10 s (to stderr), so a
/// long run shows whether appending slows as the log grows.
async fn report_progress(store: Store, started: Instant) {
    let mut last = (0u64, 0f64);
    loop {
        tokio::time::sleep(Duration::from_secs(10)).await;
        let Ok(head) = store.head().await else {
            continue;
        };
        let at = started.elapsed().as_secs_f64();
        let rate = (head.size - last.0) as f64 / (at - last.1);
        eprintln!(
            "{at:.0} s: {} entries, {rate:.0} entries/s over the last interval",
            head.size
        );
        last = (head.size, at);
    }
}

/// Enqueues the chains round-robin (entry n of every author, then entry n+1), keeping at
/// most a window of receipts outstanding.
async fn produce(handle: SequencerHandle, chains: Vec<Vec<Vec<u8>>>) -> anyhow::Result<()> {
    let mut pending = FuturesUnordered::new();
    let longest = chains.iter().map(Vec::len).max().unwrap_or(0);
    for n in 0..longest {
        for chain in &chains {
            let Some(note) = chain.get(n) else { continue };
            pending.push(
                handle
                    .enqueue(note.clone())
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            );
            while pending.len() >= IN_FLIGHT_PER_PRODUCER {
                pending
                    .next()
                    .await
                    .expect("non-empty")
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
        }
        tokio::task::yield_now().await;
    }
    while let Some(receipt) = pending.next().await {
        receipt.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

async fn append_http(
    dir: &Path,
    args: &AppendArgs,
    genesis: Vec<u8>,
    chains: Vec<Vec<Vec<u8>>>,
) -> Result<(usize, f64), Failure> {
    let mut config = truce_server::Config {
        data_dir: dir.to_path_buf(),
        listen: "127.0.0.1:0".parse()?,
        ..truce_server::Config::default()
    };
    config.limits = limits(args);
    let node = truce_server::start(config, None).await?;
    let url = format!("http://{}/api/v1/entries", node.addr);
    // Keep-alive: each author's connection is reused for all its requests.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.authors)
        .build()?;
    post(&client, &url, genesis).await?;
    let total: usize = chains.iter().map(Vec::len).sum();
    let per_request = args.notes_per_request.max(1);
    let started = Instant::now();
    let writers: Vec<_> = chains
        .into_iter()
        .map(|chain| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                if per_request == 1 {
                    for note in chain {
                        post(&client, &url, note).await?;
                    }
                } else {
                    for notes in chain.chunks(per_request) {
                        post_batch(&client, &format!("{url}/batch"), notes).await?;
                    }
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for writer in writers {
        writer.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    node.shutdown().await?;
    Ok((total, seconds))
}

async fn post(client: &reqwest::Client, url: &str, note: Vec<u8>) -> anyhow::Result<()> {
    let response = client
        .post(url)
        .header("content-type", "text/plain")
        .body(note)
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == 201,
        "{}: {}",
        response.status(),
        response.text().await?
    );
    Ok(())
}

/// Posts `notes` in one batch request; every one must be appended.
async fn post_batch(client: &reqwest::Client, url: &str, notes: &[Vec<u8>]) -> anyhow::Result<()> {
    let notes: Vec<&str> = notes
        .iter()
        .map(|note| std::str::from_utf8(note))
        .collect::<Result<_, _>>()?;
    let response = client
        .post(url)
        .json(&json!({ "notes": notes }))
        .send()
        .await?;
    let status = response.status();
    let answer: serde_json::Value = response.json().await?;
    let appended = answer["appended"].as_u64().unwrap_or(0);
    anyhow::ensure!(
        status == 200 && appended == notes.len() as u64,
        "{status}: {answer}"
    );
    Ok(())
}

fn report(
    args: &AppendArgs,
    over_http: bool,
    (entries, seconds): (usize, f64),
    limit_before: Option<f64>,
    dir: &Path,
) {
    let rate = entries as f64 / seconds;
    let how = if over_http { "over HTTP" } else { "in process" };
    if args.json {
        let out = json!({"bench": if over_http { "http" } else { "append" }, "entries": entries, "authors": args.authors,
            "seconds": seconds, "entries_per_s": rate, "batch_entries_max": args.batch_entries_max, "batch_wait_ms": args.batch_wait_ms});
        println!("{out}");
        return;
    }
    print_machine();
    let requests = if over_http {
        format!(", {} notes per request", args.notes_per_request.max(1))
    } else {
        String::new()
    };
    println!(
        "appended {entries} signed entries {how} in {seconds:.2} s: {rate:.0} entries/s \
         ({} authors{requests}, batches of at most {} entries or {} ms; SQLite, synchronous=FULL)",
        args.authors, args.batch_entries_max, args.batch_wait_ms
    );
    print_verify_limit(limit_before.map(|before| (rate, before)));
    println!("{}", openssl_ed25519());
    if args.data.is_some() {
        println!("the log is kept in {}", dir.display());
    }
}

fn print_machine() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("unknown CPU", |m| m.trim_start_matches([' ', '\t', ':']));
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kb: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|m| m.trim().trim_end_matches(" kB").parse().ok())
        .unwrap_or(0);
    println!(
        "machine: {model}, {cores} cores, {:.0} GiB",
        memory_kb as f64 / 1_048_576.0
    );
}

/// The all-core verification rate just before a timed run, for [`print_verify_limit`]
/// (not measured for `--json`, which prints no limit).
fn limit_before_run(args: &AppendArgs) -> Option<f64> {
    (!args.json).then(|| dalek_verify_rate(cores()))
}

/// Prints the machine's strict-verification rate on one core and on every core at once:
/// the ceiling for anything that checks every signature. Measured rather than assumed to
/// be one core's rate times the cores: on a virtual machine two busy cores can each run
/// slower than one alone. With a run's `(rate, limit_before)`, also the rate (entries/s)
/// as a share of the mean of the all-core rate measured just before the run and the one
/// measured now, as this machine's speed drifts by the minute.
fn print_verify_limit(run: Option<(f64, f64)>) {
    let cores = cores();
    let one = dalek_verify_rate(1);
    let all = dalek_verify_rate(cores);
    println!(
        "ed25519-dalek verify_strict, one core: {one:.0} verifications/s; \
         {cores} cores at once: {all:.0}/s ({:.2} × one core)",
        all / one
    );
    let Some((rate, before)) = run else { return };
    println!("{cores} cores at once just before the run: {before:.0}/s");
    let limit = f64::midpoint(before, all);
    println!(
        "the rate above is {:.2} of {cores} cores' measured limit ({limit:.0}/s), \
         {:.2} of {cores} × one core",
        rate / limit,
        rate / (one * cores as f64)
    );
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// How long [`dalek_verify_rate`] verifies: long enough to even out this machine's
/// second-to-second noise, short beside a run.
const VERIFY_RATE_TIME: Duration = Duration::from_secs(3);

/// Strict verifications per second on `threads` threads together, each verifying for
/// [`VERIFY_RATE_TIME`], for reading the figures as a ratio to the hardware.
fn dalek_verify_rate(threads: usize) -> f64 {
    use ed25519_dalek::Signer;
    let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let message = [7u8; 400];
    let signature = key.sign(&message);
    let public = key.verifying_key();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let started = Instant::now();
                    let mut count = 0u32;
                    while started.elapsed() < VERIFY_RATE_TIME {
                        for _ in 0..100 {
                            assert!(public.verify_strict(&message, &signature).is_ok());
                        }
                        count += 100;
                    }
                    f64::from(count) / started.elapsed().as_secs_f64()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a verifying thread failed"))
            .sum()
    })
}

fn openssl_ed25519() -> String {
    let output = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "2", "ed25519"])
        .output();
    let Ok(output) = output else {
        return "openssl speed ed25519: openssl not found".into();
    };
    let text = String::from_utf8_lossy(&output.stdout);
    // The last line: " 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  38000.0  13000.0"
    let line = text
        .lines()
        .rev()
        .find(|l| l.contains("Ed25519"))
        .unwrap_or("");
    let numbers: Vec<&str> = line.split_whitespace().rev().take(2).collect();
    match numbers.as_slice() {
        [verify, sign] => {
            format!("openssl speed ed25519, one core: {sign} signs/s, {verify} verifications/s")
        }
        _ => "openssl speed ed25519: no result".into(),
    }
}
