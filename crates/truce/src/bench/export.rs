//! `truce bench export`: the issue 6 target, an export of 1,000,000 reports as CSV in
//! under 20 s with the server's memory under 100 MB. The log of `truce bench reports`
//! (built, or reused from `--data`) served by a `truce serve` child; each export fetched
//! whole over HTTP as a client would, its bytes counted and dropped, while the server's
//! resident memory is read from `/proc/<pid>/status` every few milliseconds.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::reports::{Server, ensure_log, status_kb};
use crate::Failure;

/// How often the server's memory is read while an export streams.
const SAMPLE_EVERY: Duration = Duration::from_millis(20);

#[derive(clap::Args)]
pub struct ExportArgs {
    /// How many `report.submitted` entries the log holds, if it is built now.
    #[arg(long, default_value_t = 1_000_000)]
    reports: usize,
    /// Keep the log in this directory; if it already holds a log, reuse it as it is.
    #[arg(long)]
    data: Option<PathBuf>,
    /// The exports fetched, in turn: csv, hxl, acled, ucdp, geojson.
    #[arg(long, value_delimiter = ',', default_value = "csv,acled,geojson")]
    formats: Vec<String>,
}

pub async fn run(args: ExportArgs) -> Result<(), Failure> {
    let temp = tempfile::tempdir()?;
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| temp.path().join("bench"));
    let log = ensure_log(&dir, args.reports).await?;
    let server = Server::spawn(&dir)?;
    let client = reqwest::Client::new();
    super::print_machine();
    println!("log: {} entries in {}", log.entries, dir.display());
    println!("| export | size | rows | time | server memory before | peak while streaming |");
    println!("|---|---|---|---|---|---|");
    for format in &args.formats {
        let file = match format.as_str() {
            "csv" => "reports.csv",
            "hxl" => "reports.hxl.csv",
            "acled" => "reports.acled.csv",
            "ucdp" => "reports.ucdp.csv",
            "geojson" => "reports.geojson",
            other => {
                return Err(Failure::usage(anyhow::anyhow!(
                    "--formats: no export {other:?}"
                )));
            }
        };
        let url = format!("{}/api/v1/exports/{file}", server.url);
        let measured = fetch(&client, &url, server.pid()).await?;
        // A CSV's lines are its header and rows; a GeoJSON collection is one line.
        let rows = if format == "geojson" {
            "—".to_string()
        } else {
            measured.lines.saturating_sub(1).to_string()
        };
        println!(
            "| `{file}` | {:.0} MB | {rows} | {:.1} s | {:.0} MB | {:.0} MB |",
            measured.bytes as f64 / 1e6,
            measured.seconds,
            kb_to_mb(measured.rss_before_kb),
            kb_to_mb(measured.rss_peak_kb),
        );
    }
    server.stop()?;
    Ok(())
}

fn kb_to_mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

struct Measured {
    bytes: u64,
    /// Newlines in the file.
    lines: u64,
    seconds: f64,
    rss_before_kb: u64,
    rss_peak_kb: u64,
}

/// Fetches `url` whole, reading the server's memory meanwhile.
async fn fetch(client: &reqwest::Client, url: &str, pid: u32) -> anyhow::Result<Measured> {
    let rss_before_kb = status_kb(pid, "VmRSS:")?;
    let peak = Arc::new(AtomicU64::new(rss_before_kb));
    let streaming = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, streaming) = (peak.clone(), streaming.clone());
        tokio::spawn(async move {
            while streaming.load(Ordering::Relaxed) {
                if let Ok(kb) = status_kb(pid, "VmRSS:") {
                    peak.fetch_max(kb, Ordering::Relaxed);
                }
                tokio::time::sleep(SAMPLE_EVERY).await;
            }
        })
    };
    let started = Instant::now();
    let mut response = client.get(url).send().await?.error_for_status()?;
    let (mut bytes, mut lines) = (0u64, 0u64);
    while let Some(chunk) = response
        .chunk()
        .await
        .with_context(|| format!("reading {url}"))?
    {
        bytes += chunk.len() as u64;
        #[allow(clippy::naive_bytecount)] // a benchmark's tally, not worth a crate
        let newlines = chunk.iter().filter(|b| **b == b'\n').count();
        lines += newlines as u64;
    }
    let seconds = started.elapsed().as_secs_f64();
    streaming.store(false, Ordering::Relaxed);
    sampler.await?;
    Ok(Measured {
        bytes,
        lines,
        seconds,
        rss_before_kb,
        rss_peak_kb: peak.load(Ordering::Relaxed).max(status_kb(pid, "VmRSS:")?),
    })
}
