//! `truce bench load`: issue 17's load figures. A log of the exercise's scenario and many
//! synthetic reports (built, or reused from `--data`) is served by a `truce serve` child
//! process. `wrk`, an HTTP load generator from outside this project (Debian's package
//! `wrk`), reads the dashboard, an incident page and the report list with many concurrent
//! clients for a fixed time each: p50/p99 latency, requests/s and errors. Then many clients
//! hold slow connections open (a header line every second, as slowloris does, reconnecting
//! whenever the node closes one) while the node's memory is read and an ordinary client's
//! reads are timed on fresh connections.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Deserialize;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::reports::{Server, ensure_log_with, status_kb};
use crate::Failure;

/// How often a slow client sends another header line.
const SLOW_LINE_EVERY: Duration = Duration::from_secs(1);
/// How often the ordinary client reads while the slow ones hold their connections.
const PROBE_EVERY: Duration = Duration::from_millis(250);
/// How long the ordinary client waits for an answer before counting it failed.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// `wrk`'s figures, printed by [`WRK_REPORT`] as one JSON line after `TRUCE `.
pub(super) const WRK_REPORT: &str = r#"done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('TRUCE {"requests":%d,"micros":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"#;

#[derive(clap::Args)]
pub struct LoadArgs {
    /// How many `report.submitted` entries the log holds, if it is built now.
    #[arg(long, default_value_t = 1_000_000)]
    reports: usize,
    /// Keep the log in this directory; if it already holds a log, reuse it as it is.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Concurrent clients reading each page (wrk's connections).
    #[arg(long, default_value_t = 200)]
    clients: usize,
    /// How long each page is read under load, in seconds.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Clients holding slow connections.
    #[arg(long, default_value_t = 1_000)]
    slow: usize,
    /// How long the slow connections are held, in seconds.
    #[arg(long, default_value_t = 30)]
    slow_seconds: u64,
    /// The load generator (`wrk`, from Debian's package of that name).
    #[arg(long, default_value = "wrk")]
    wrk: PathBuf,
}

/// What `wrk` measured for one page.
#[derive(Deserialize)]
pub(super) struct Wrk {
    pub(super) requests: u64,
    pub(super) micros: u64,
    pub(super) p50_us: u64,
    pub(super) p99_us: u64,
    pub(super) max_us: u64,
    pub(super) connect: u64,
    pub(super) read: u64,
    pub(super) write: u64,
    pub(super) status: u64,
    pub(super) timeout: u64,
}

impl Wrk {
    pub(super) fn errors(&self) -> u64 {
        self.connect + self.read + self.write + self.status + self.timeout
    }

    pub(super) fn rate(&self) -> f64 {
        self.requests as f64 / (self.micros.max(1) as f64 / 1e6)
    }
}

pub async fn run(args: LoadArgs) -> Result<(), Failure> {
    which_wrk(&args.wrk)?;
    let temp = tempfile::tempdir()?;
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| temp.path().join("bench"));
    let log = ensure_log_with(&dir, args.reports, true).await?;
    let server = Server::spawn(&dir)?;
    let incident = first_incident(&server.url).await?;
    super::print_machine();
    println!("log: {} entries in {}", log.entries, dir.display());
    println!(
        "node memory at start: {} MB",
        status_kb(server.pid(), "VmRSS:")? / 1024
    );
    println!(
        "\n{} clients per page, {} s each (wrk -t2 -c{} -d{}s):\n",
        args.clients, args.seconds, args.clients, args.seconds
    );
    println!("| page | requests/s | p50 | p99 | max | errors | node memory after |");
    println!("|---|---|---|---|---|---|---|");
    let script = temp.path().join("report.lua");
    std::fs::write(&script, WRK_REPORT)?;
    let pages = [
        ("dashboard `/`", "/".to_string()),
        (
            "incident page `/incidents/{i}`",
            format!("/incidents/{incident}"),
        ),
        ("report list `/api/v1/reports`", "/api/v1/reports".into()),
        (
            "report list, filtered",
            "/api/v1/reports?kind=battles&from=2025-06-01T00:00:00Z&limit=50".into(),
        ),
    ];
    for (name, path) in pages {
        let url = format!("{}{path}", server.url);
        let measured = tokio::task::block_in_place(|| wrk(&args, &script, &url))?;
        print_row(name, &measured, status_kb(server.pid(), "VmRSS:")?);
    }
    slow_clients(&args, &server).await?;
    println!(
        "\nnode memory peak (VmHWM): {} MB",
        status_kb(server.pid(), "VmHWM:")? / 1024
    );
    server.stop()?;
    Ok(())
}

/// Fails early, naming the package, if the load generator is not installed.
pub(super) fn which_wrk(wrk: &Path) -> Result<(), Failure> {
    match Command::new(wrk).arg("--version").output() {
        Ok(_) => Ok(()),
        Err(e) => Err(Failure::usage(anyhow::anyhow!(
            "--wrk {}: cannot run it ({e}); install Debian's package `wrk`",
            wrk.display()
        ))),
    }
}

/// An incident of the scenario, to load its page.
async fn first_incident(url: &str) -> anyhow::Result<u64> {
    #[derive(Deserialize)]
    struct Item {
        index: u64,
    }
    #[derive(Deserialize)]
    struct Page {
        items: Vec<Item>,
    }
    let page: Page = reqwest::get(format!("{url}/api/v1/incidents?limit=1"))
        .await?
        .error_for_status()?
        .json()
        .await?;
    let first = page.items.first().context(
        "the log has no incident (reuse only a log this command built, with the scenario)",
    )?;
    Ok(first.index)
}

fn wrk(args: &LoadArgs, script: &Path, url: &str) -> anyhow::Result<Wrk> {
    run_wrk(&args.wrk, 2, args.clients, args.seconds, script, url)
}

/// Runs `wrk` with `threads` threads holding `clients` connections for `seconds`, the
/// Lua `script` (which must print [`WRK_REPORT`]'s line); answers its figures.
pub(super) fn run_wrk(
    wrk: &Path,
    threads: usize,
    clients: usize,
    seconds: u64,
    script: &Path,
    url: &str,
) -> anyhow::Result<Wrk> {
    let output = Command::new(wrk)
        .args([
            format!("-t{threads}"),
            format!("-c{}", clients.max(threads)),
        ])
        .arg(format!("-d{seconds}s"))
        .args(["--timeout", "10s", "-s"])
        .arg(script)
        .arg(url)
        .output()
        .context("running wrk")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("TRUCE "))
        .with_context(|| format!("wrk printed no figures for {url}: {stdout}"))?;
    Ok(serde_json::from_str(line)?)
}

fn print_row(name: &str, w: &Wrk, rss_kb: u64) {
    let (errors, rate) = (w.errors(), w.rate());
    println!(
        "| {name} | {rate:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {errors} (connect {}, read {}, write {}, non-2xx {}, timeout {}) of {} | {} MB |",
        w.p50_us as f64 / 1e3,
        w.p99_us as f64 / 1e3,
        w.max_us as f64 / 1e3,
        w.connect,
        w.read,
        w.write,
        w.status,
        w.timeout,
        w.requests,
        rss_kb / 1024
    );
}

/// Counters shared by the slow clients.
#[derive(Default)]
struct Slow {
    /// Connections opened.
    opened: AtomicU64,
    /// Connections the node closed (or refused) while a client was still sending headers.
    closed: AtomicU64,
    /// Connections open right now.
    open: AtomicU64,
}

/// `args.slow` clients send a request's headers a line a second and never finish them,
/// reconnecting when the node closes them; meanwhile an ordinary client reads `/healthz`
/// on a fresh connection every [`PROBE_EVERY`] and the node's memory is read.
async fn slow_clients(args: &LoadArgs, server: &Server) -> anyhow::Result<()> {
    let address = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let slow = Arc::new(Slow::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::with_capacity(args.slow);
    for _ in 0..args.slow {
        let (address, slow, stop) = (address.clone(), slow.clone(), stop.clone());
        clients.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                hold(&address, &slow, &stop).await;
            }
        }));
    }
    let probe = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(PROBE_TIMEOUT)
        .build()?;
    let health = format!("{}/healthz", server.url);
    let (mut answered, mut failed, mut latencies, mut rss_max_kb, mut open_max) =
        (0u64, 0u64, vec![], 0u64, 0u64);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(args.slow_seconds) {
        tokio::time::sleep(PROBE_EVERY).await;
        let asked = Instant::now();
        match probe.get(&health).send().await {
            Ok(answer) if answer.status().is_success() => {
                answered += 1;
                latencies.push(asked.elapsed().as_secs_f64() * 1e3);
            }
            _ => failed += 1,
        }
        rss_max_kb = rss_max_kb.max(status_kb(server.pid(), "VmRSS:")?);
        open_max = open_max.max(slow.open.load(Ordering::Relaxed));
    }
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.abort();
    }
    latencies.sort_by(f64::total_cmp);
    let p = |q: usize| {
        latencies
            .get((q * latencies.len()).div_ceil(100).saturating_sub(1))
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "\n{} slow clients for {} s (a header line a second, reconnecting when closed):",
        args.slow, args.slow_seconds
    );
    println!(
        "- connections opened {}, closed by the node before their headers ended {}, open at once at most {}",
        slow.opened.load(Ordering::Relaxed),
        slow.closed.load(Ordering::Relaxed),
        open_max
    );
    println!(
        "- an ordinary client meanwhile (GET /healthz, a new connection every {} ms): {answered} answered, {failed} failed or timed out after {} s; p50 {:.1} ms, p99 {:.1} ms",
        PROBE_EVERY.as_millis(),
        PROBE_TIMEOUT.as_secs(),
        p(50),
        p(99)
    );
    println!(
        "- node memory while they held on: at most {} MB",
        rss_max_kb / 1024
    );
    Ok(())
}

/// One slow connection, held until the node closes it or the run stops.
async fn hold(address: &str, slow: &Slow, stop: &AtomicBool) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(address).await else {
        slow.closed.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(SLOW_LINE_EVERY).await;
        return;
    };
    slow.opened.fetch_add(1, Ordering::Relaxed);
    slow.open.fetch_add(1, Ordering::Relaxed);
    let mut request = format!("GET / HTTP/1.1\r\nHost: {address}\r\n").into_bytes();
    let mut line = 0u64;
    let mut buffer = [0u8; 512];
    while !stop.load(Ordering::Relaxed) {
        if stream.write_all(&request).await.is_err() {
            break;
        }
        line += 1;
        request = format!("X-Slow-{line}: still sending\r\n").into_bytes();
        // A read that ends (EOF or an answer) means the node has given up on us.
        match tokio::time::timeout(SLOW_LINE_EVERY, stream.read(&mut buffer)).await {
            Err(_elapsed) => {}
            Ok(_) => break,
        }
    }
    slow.open.fetch_sub(1, Ordering::Relaxed);
    if !stop.load(Ordering::Relaxed) {
        slow.closed.fetch_add(1, Ordering::Relaxed);
    }
}
