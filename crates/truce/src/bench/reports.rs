//! `truce bench reports`: the issue 3 targets. A SQLite log of the exercise's first
//! entries and many synthetic reports, appended through the sequencer in process; then a
//! `truce serve` child process over it, queried over HTTP (filtered report lists and the
//! compliance summary) while its resident memory is read from `/proc/<pid>/status`; then
//! a `truce rebuild` child process over the same data directory.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::{Value, json};
use truce_core::LogState;
use truce_core::Timestamp;
use truce_core::mechanism::report::EVENT_TYPES;
use truce_demo::{DEMO_ORIGIN, Exercise, REGION_LAT, REGION_LON, Random, SPAN_UNIX};
use truce_log::Frontier;
use truce_server::sequencer::Sequencer;
use truce_store::Store;

use crate::Failure;

/// Reports signed, then appended, at a time (so the notes of a million are never all in
/// memory).
const REPORTS_PER_CHUNK: usize = 50_000;
/// Receipts awaited at once while appending.
const IN_FLIGHT: usize = 16_384;
/// List queries sent before the measured ones, and not counted.
const WARM_UP_QUERIES: usize = 50;
/// The server's memory is read after every this many queries.
const QUERIES_PER_MEMORY_SAMPLE: usize = 50;
const SERVER_START_TIMEOUT_S: u64 = 600;

#[derive(clap::Args)]
pub struct ReportsArgs {
    /// How many `report.submitted` entries the log holds (after the exercise's first 9).
    #[arg(long, default_value_t = 1_000_000)]
    reports: usize,
    /// Keep the log in this directory; if it already holds a log, reuse it as it is.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Filtered list queries measured (time range + bbox + kind, limit 50).
    #[arg(long, default_value_t = 2_000)]
    queries: usize,
    /// Compliance summaries measured.
    #[arg(long, default_value_t = 200)]
    compliance: usize,
    /// Do not time a rebuild.
    #[arg(long)]
    no_rebuild: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: ReportsArgs) -> Result<(), Failure> {
    let temp = tempfile::tempdir()?;
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| temp.path().join("bench"));
    let log = ensure_log(&dir, args.reports).await?;
    let mut server = Server::spawn(&dir)?;
    let client = reqwest::Client::new();
    let started_memory = server.memory()?;
    let list = list_queries(&client, &mut server, args.queries).await?;
    let compliance = compliance(&client, &server, args.compliance).await?;
    let by_place = by_place(&client, &server, args.compliance).await?;
    let end_memory = server.memory()?;
    server.stop()?;
    let rebuild = if args.no_rebuild {
        None
    } else {
        Some(rebuild(&dir)?)
    };
    let results = Results {
        log,
        list,
        compliance,
        by_place,
        started_memory,
        end_memory,
        rebuild,
    };
    if args.json {
        println!("{}", results.to_json(&args));
    } else {
        super::print_machine();
        results.print(&args, &dir);
    }
    Ok(())
}

/// The log in the data directory: what it holds, and how long appending took if this
/// run built it.
pub(super) struct Log {
    pub(super) entries: u64,
    pub(super) append_seconds: Option<f64>,
}

/// Reuses the log in `dir` if there is one, or builds it: the exercise's first entries,
/// then `reports` synthetic reports, through the sequencer.
pub(super) async fn ensure_log(dir: &Path, reports: usize) -> Result<Log, Failure> {
    ensure_log_with(dir, reports, false).await
}

/// What the synthetic entries of a bench log are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Filled {
    Reports,
    Observations,
}

/// [`ensure_log`], with the exercise's scenario (incidents, investigations, findings,
/// talks, crossings) before the synthetic reports if `scenario`, so that every page has
/// something to show.
pub(super) async fn ensure_log_with(
    dir: &Path,
    reports: usize,
    scenario: bool,
) -> Result<Log, Failure> {
    ensure_log_of(dir, reports, scenario, Filled::Reports).await
}

/// [`ensure_log_with`], the synthetic entries being `filled`.
pub(super) async fn ensure_log_of(
    dir: &Path,
    reports: usize,
    scenario: bool,
    filled: Filled,
) -> Result<Log, Failure> {
    ensure_log_in(dir, None, reports, scenario, filled).await
}

/// [`ensure_log_of`], the log kept in the PostgreSQL `database` if one is named.
pub(super) async fn ensure_log_in(
    dir: &Path,
    database: Option<&str>,
    reports: usize,
    scenario: bool,
    filled: Filled,
) -> Result<Log, Failure> {
    std::fs::create_dir_all(dir)?;
    let store = Store::open(dir, database).await?;
    let size = store.head().await?.size;
    if size > 0 {
        eprintln!("reusing the log in {} ({size} entries)", dir.display());
        store.close().await;
        return Ok(Log {
            entries: size,
            append_seconds: None,
        });
    }
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    truce_server::keyfile::write_key(
        &dir.join(truce_server::node::LOG_KEY_FILE),
        &exercise.log_key,
    )?;
    let (handle, task) = Sequencer::spawn(
        store.clone(),
        exercise.log_key.clone(),
        LogState::new(),
        Frontier::new(),
        truce_server::Limits::default(),
        truce_server::geography::AgreedGeometry::new(dir),
    );
    let mut notes = exercise.entries();
    let mut written = std::collections::HashMap::new();
    if scenario {
        let (more, authors) = exercise.scenario_and_authors(&super::now());
        notes.extend(more);
        written = authors;
    }
    for note in notes {
        handle
            .submit(note)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let mut synthetic = truce_demo::SyntheticReports::after(&exercise, 1, written);
    if filled == Filled::Observations {
        synthetic = synthetic.observations();
    }
    let started = Instant::now();
    let mut done = 0;
    while done < reports {
        let count = REPORTS_PER_CHUNK.min(reports - done);
        let notes = tokio::task::block_in_place(|| synthetic.next_notes(count));
        // Each chunk's rate without its signing: whether appending slows as the log grows.
        let appending = Instant::now();
        append(&handle, notes).await?;
        let rate = count as f64 / appending.elapsed().as_secs_f64();
        done += count;
        eprintln!(
            "appended {done} of {reports} synthetic entries (this chunk: {rate:.0}/s, signing not included)"
        );
    }
    let append_seconds = Some(started.elapsed().as_secs_f64());
    drop(handle);
    task.await?;
    let entries = store.head().await?.size;
    store.close().await;
    Ok(Log {
        entries,
        append_seconds,
    })
}

/// Enqueues `notes` in order, keeping at most a window of receipts outstanding.
async fn append(
    handle: &truce_server::sequencer::SequencerHandle,
    notes: Vec<Vec<u8>>,
) -> anyhow::Result<()> {
    let mut pending = FuturesUnordered::new();
    for note in notes {
        pending.push(handle.enqueue(note).map_err(|e| anyhow::anyhow!("{e}"))?);
        while pending.len() >= IN_FLIGHT {
            let receipt = pending.next().await.expect("non-empty");
            receipt.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    while let Some(receipt) = pending.next().await {
        receipt.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

/// A memory figure of process `pid` from `/proc/<pid>/status` (`VmRSS:`, `VmHWM:`), in kB.
pub(super) fn status_kb(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no {field} in /proc/{pid}/status"))
}

/// A `truce serve` child process over the data directory.
pub(super) struct Server {
    child: Child,
    pub(super) url: String,
    /// The highest resident memory read while serving, in kB.
    rss_max_kb: u64,
}

/// Resident memory of the server process, in kB: now, and its peak since it started.
#[derive(Clone, Copy)]
struct Memory {
    rss_kb: u64,
    hwm_kb: u64,
}

impl Server {
    pub(super) fn spawn(dir: &Path) -> anyhow::Result<Self> {
        Self::spawn_with(dir, &[])
    }

    /// `truce serve` with `extra` arguments (`--demo`, say).
    pub(super) fn spawn_with(dir: &Path, extra: &[&str]) -> anyhow::Result<Self> {
        let started = Instant::now();
        let mut child = Command::new(std::env::current_exe()?)
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().expect("piped");
        let mut line = String::new();
        // The line `truce listening on http://...` is printed once the log is restored.
        let read =
            tokio::task::block_in_place(|| std::io::BufReader::new(stdout).read_line(&mut line));
        if read.is_err() || !line.starts_with("truce listening on ") {
            let _ = child.kill();
            anyhow::bail!("truce serve did not start: {line:?}");
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(SERVER_START_TIMEOUT_S),
            "truce serve took too long to start"
        );
        eprintln!(
            "truce serve (pid {}) started in {:.1} s",
            child.id(),
            started.elapsed().as_secs_f64()
        );
        let url = line["truce listening on ".len()..].trim().to_string();
        Ok(Self {
            child,
            url,
            rss_max_kb: 0,
        })
    }

    fn memory(&self) -> anyhow::Result<Memory> {
        Ok(Memory {
            rss_kb: status_kb(self.child.id(), "VmRSS:")?,
            hwm_kb: status_kb(self.child.id(), "VmHWM:")?,
        })
    }

    fn sample_memory(&mut self) -> anyhow::Result<()> {
        self.rss_max_kb = self.rss_max_kb.max(self.memory()?.rss_kb);
        Ok(())
    }

    pub(super) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server as an operator would (SIGTERM), and waits for it.
    pub(super) fn stop(mut self) -> anyhow::Result<()> {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status()?;
        anyhow::ensure!(status.success(), "kill -TERM {pid} failed");
        self.child.wait()?;
        Ok(())
    }
}

/// A child left running when a bench fails is stopped with it.
impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Latencies in milliseconds, sorted.
pub(super) struct Latencies(Vec<f64>);

impl Latencies {
    pub(super) fn new(mut ms: Vec<f64>) -> Self {
        ms.sort_by(f64::total_cmp);
        Self(ms)
    }

    /// The nearest-rank percentile.
    pub(super) fn pct(&self, p: usize) -> f64 {
        let rank = (p * self.0.len()).div_ceil(100);
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    pub(super) fn max(&self) -> f64 {
        *self.0.last().unwrap_or(&0.0)
    }

    pub(super) fn to_json(&self) -> Value {
        json!({"count": self.0.len(), "p50_ms": self.pct(50), "p95_ms": self.pct(95),
            "p99_ms": self.pct(99), "max_ms": self.max()})
    }
}

struct ListResults {
    latencies: Latencies,
    items_mean: f64,
    full_pages: usize,
    rss_max_kb: u64,
}

/// A random filter: a time window of 1 to 90 days within the two years, a box of 0.5° to
/// 3° a side within the region, and one ACLED event type.
fn list_url(base: &str, random: &mut Random) -> String {
    let day = 86_400;
    let window = (1 + random.below_i64(90)) * day;
    let latest_start = SPAN_UNIX.1 - window - SPAN_UNIX.0;
    let from = SPAN_UNIX.0 + random.below_i64(latest_start);
    let side = |random: &mut Random| 0.5 + random.unit() * 2.5;
    let (width, height) = (side(random), side(random));
    let min_lon = REGION_LON.0 + random.unit() * (REGION_LON.1 - REGION_LON.0 - width);
    let min_lat = REGION_LAT.0 + random.unit() * (REGION_LAT.1 - REGION_LAT.0 - height);
    let kind = EVENT_TYPES[random.below(EVENT_TYPES.len())].0;
    format!(
        "{base}/api/v1/reports?limit=50&kind={kind}&from={}&to={}&bbox={min_lon:.4},{min_lat:.4},{:.4},{:.4}",
        Timestamp::from_unix_seconds(from).as_str(),
        Timestamp::from_unix_seconds(from + window).as_str(),
        min_lon + width,
        min_lat + height,
    )
}

async fn get_json(client: &reqwest::Client, url: &str) -> anyhow::Result<Value> {
    let response = client.get(url).send().await?;
    let status = response.status();
    let body = response.text().await?;
    anyhow::ensure!(status == 200, "{url}: {status}: {body}");
    Ok(serde_json::from_str(&body)?)
}

async fn list_queries(
    client: &reqwest::Client,
    server: &mut Server,
    queries: usize,
) -> anyhow::Result<ListResults> {
    let mut random = Random(42);
    for _ in 0..WARM_UP_QUERIES {
        get_json(client, &list_url(&server.url, &mut random)).await?;
    }
    let (mut ms, mut items, mut full_pages) = (Vec::with_capacity(queries), 0, 0);
    for i in 0..queries {
        let url = list_url(&server.url, &mut random);
        let started = Instant::now();
        let page = get_json(client, &url).await?;
        ms.push(started.elapsed().as_secs_f64() * 1e3);
        let count = page["items"].as_array().map_or(0, Vec::len);
        items += count;
        full_pages += usize::from(count == 50);
        if i % QUERIES_PER_MEMORY_SAMPLE == 0 {
            server.sample_memory()?;
        }
    }
    server.sample_memory()?;
    Ok(ListResults {
        latencies: Latencies::new(ms),
        items_mean: items as f64 / queries.max(1) as f64,
        full_pages,
        rss_max_kb: server.rss_max_kb,
    })
}

async fn compliance(
    client: &reqwest::Client,
    server: &Server,
    requests: usize,
) -> anyhow::Result<Latencies> {
    let url = format!("{}/api/v1/compliance", server.url);
    get_json(client, &url).await?;
    let mut ms = Vec::with_capacity(requests);
    for _ in 0..requests {
        let started = Instant::now();
        get_json(client, &url).await?;
        ms.push(started.elapsed().as_secs_f64() * 1e3);
    }
    Ok(Latencies::new(ms))
}

/// Provinces the synthetic reports fall in (they cluster along the line).
const PROVINCES: [&str; 12] = [
    "AF-KAN", "AF-KHO", "AF-PKA", "AF-NAN", "AF-KNR", "AF-PIA", "AF-ZAB", "AF-LOG", "PK-KP",
    "PK-BA", "PK-PB", "AF-HEL",
];

/// The list by where reports lie: a province and a distance band from the line, or a
/// province's cross-border fire.
async fn by_place(
    client: &reqwest::Client,
    server: &Server,
    requests: usize,
) -> anyhow::Result<Latencies> {
    let mut random = Random(7);
    let mut ms = Vec::with_capacity(requests);
    for i in 0..requests + WARM_UP_QUERIES {
        let province = PROVINCES[random.below(PROVINCES.len())];
        let band = if random.below(3) == 0 {
            "cross_border=true".to_string()
        } else {
            format!("border_km_max={}", 5 + random.below(45))
        };
        let url = format!(
            "{}/api/v1/reports?limit=50&province={province}&{band}",
            server.url
        );
        let started = Instant::now();
        get_json(client, &url).await?;
        if i >= WARM_UP_QUERIES {
            ms.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    Ok(Latencies::new(ms))
}

/// `truce rebuild --data DIR --json` as a child process: its wall time, and its answer.
fn rebuild(dir: &Path) -> anyhow::Result<(f64, Value)> {
    eprintln!("timing truce rebuild...");
    let started = Instant::now();
    let output = Command::new(std::env::current_exe()?)
        .args(["rebuild", "--json", "--data"])
        .arg(dir)
        .stderr(Stdio::inherit())
        .output()?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(output.status.success(), "truce rebuild failed");
    Ok((seconds, serde_json::from_slice(&output.stdout)?))
}

struct Results {
    log: Log,
    list: ListResults,
    compliance: Latencies,
    by_place: Latencies,
    started_memory: Memory,
    end_memory: Memory,
    rebuild: Option<(f64, Value)>,
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

impl Results {
    fn to_json(&self, args: &ReportsArgs) -> Value {
        json!({
            "bench": "reports",
            "entries": self.log.entries,
            "append_seconds": self.log.append_seconds,
            "list": self.list.latencies.to_json(),
            "list_items_mean": self.list.items_mean,
            "list_full_pages": self.list.full_pages,
            "compliance": self.compliance.to_json(),
            "list_by_place": self.by_place.to_json(),
            "server_rss_after_start_kb": self.started_memory.rss_kb,
            "server_rss_max_while_serving_kb": self.list.rss_max_kb.max(self.end_memory.rss_kb),
            "server_vm_hwm_kb": self.end_memory.hwm_kb,
            "rebuild_seconds": self.rebuild.as_ref().map(|r| r.0),
            "rebuild": self.rebuild.as_ref().map(|r| r.1.clone()),
            "queries": args.queries,
        })
    }

    fn print(&self, args: &ReportsArgs, dir: &Path) {
        let how = match self.log.append_seconds {
            Some(s) => format!("built now: reports appended through the sequencer in {s:.1} s"),
            None => "reused".into(),
        };
        println!(
            "log: {} entries in {} ({how})",
            self.log.entries,
            dir.display()
        );
        let l = &self.list.latencies;
        println!("| measurement | result | target |");
        println!("|---|---|---|");
        println!(
            "| {} list queries (time range + bbox + kind, limit=50; {:.1} items a page on average, {} full pages) | p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms | p50 < 20 ms, p99 < 100 ms |",
            args.queries,
            self.list.items_mean,
            self.list.full_pages,
            l.pct(50),
            l.pct(95),
            l.pct(99),
            l.max()
        );
        let c = &self.compliance;
        println!(
            "| {} compliance summaries | p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms | < 50 ms |",
            args.compliance,
            c.pct(50),
            c.pct(99),
            c.max()
        );
        let p = &self.by_place;
        println!(
            "| {} list queries by place (province + distance band or cross-border, limit=50) | p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms | as the list: p50 < 20 ms, p99 < 100 ms |",
            p.0.len(),
            p.pct(50),
            p.pct(99),
            p.max()
        );
        println!(
            "| server resident memory (truce serve child, /proc/<pid>/status) | {:.0} MB after start, {:.0} MB at most while serving, {:.0} MB peak since start (VmHWM) | < 150 MB |",
            mb(self.started_memory.rss_kb),
            mb(self.list.rss_max_kb.max(self.end_memory.rss_kb)),
            mb(self.end_memory.hwm_kb)
        );
        if let Some((seconds, answer)) = &self.rebuild {
            println!(
                "| truce rebuild (child process, wall) | {seconds:.1} s ({} s replaying) | < 60 s |",
                answer["replay_seconds"]
            );
        }
    }
}
