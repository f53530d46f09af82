//! `truce bench observations`: issue 19's target. A SQLite log of the exercise (its
//! scenario included) and many synthetic observations by the monitors and each party,
//! appended through the sequencer in process; then a `truce serve` child over it, asked for
//! the daily counts of random days and areas over HTTP, one request at a time.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;
use truce_demo::{Random, SPAN_UNIX};

use super::reports::{Filled, Latencies, Server, ensure_log_of};
use crate::Failure;

/// Requests sent before the measured ones, and not counted.
const WARM_UP_QUERIES: usize = 50;
/// Provinces along the border (ISO 3166-2) and sectors (crossings) a query may name.
const PROVINCES: [&str; 6] = ["AF-NAN", "AF-KAN", "AF-KHO", "PK-KP", "PK-BA", "AF-PKA"];
const SECTORS: [&str; 4] = [
    "torkham",
    "chaman-spin-boldak",
    "ghulam-khan",
    "angoor-adda",
];

#[derive(clap::Args)]
pub struct ObservationsArgs {
    /// How many `observation.recorded` entries the log holds (after the exercise).
    #[arg(long, default_value_t = 1_000_000)]
    observations: usize,
    /// Keep the log in this directory; if it already holds a log, reuse it as it is.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Daily counts measured (a random day; everywhere, a province or a sector).
    #[arg(long, default_value_t = 2_000)]
    queries: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: ObservationsArgs) -> Result<(), Failure> {
    let temp = tempfile::tempdir()?;
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| temp.path().join("bench"));
    let log = ensure_log_of(&dir, args.observations, true, Filled::Observations).await?;
    let server = Server::spawn(&dir)?;
    let client = reqwest::Client::new();
    let mut random = Random(19);
    let mut latencies = vec![];
    let mut counted = 0_i64;
    for i in 0..WARM_UP_QUERIES + args.queries {
        let url = format!("{}{}", server.url, daily_path(&mut random));
        let started = Instant::now();
        let response = client.get(&url).send().await?;
        let status = response.status();
        let body: serde_json::Value = response.json().await?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if !status.is_success() {
            return Err(anyhow::anyhow!("GET {url}: {status} {body}").into());
        }
        if i >= WARM_UP_QUERIES {
            latencies.push(ms);
            counted += body["delegations"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| d["total"].as_i64().unwrap_or(0))
                .sum::<i64>();
        }
    }
    server.stop()?;
    let latencies = Latencies::new(latencies);
    let results = json!({
        "entries": log.entries,
        "append_seconds": log.append_seconds,
        "daily": latencies.to_json(),
        "mean_counted": counted as f64 / args.queries.max(1) as f64,
    });
    if args.json {
        println!("{results}");
    } else {
        super::print_machine();
        println!(
            "log: {} entries ({} synthetic observations) in {}",
            log.entries,
            args.observations,
            dir.display()
        );
        if let Some(seconds) = log.append_seconds {
            println!(
                "  appended in {seconds:.1} s ({:.0} entries/s)",
                args.observations as f64 / seconds
            );
        }
        println!(
            "daily counts over HTTP, {} requests one at a time: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms (target: p99 < 50 ms)",
            args.queries,
            latencies.pct(50),
            latencies.pct(95),
            latencies.pct(99),
            latencies.max()
        );
        println!(
            "  mean of everything counted per answer: {:.0}",
            counted as f64 / args.queries.max(1) as f64
        );
    }
    Ok(())
}

/// A random day of the two years, everywhere (a third of the time), in a province or in a
/// border sector.
fn daily_path(random: &mut Random) -> String {
    let days = (SPAN_UNIX.1 - SPAN_UNIX.0) / 86_400;
    let day =
        truce_core::Timestamp::from_unix_seconds(SPAN_UNIX.0 + random.below_i64(days) * 86_400);
    let day = &day.as_str()[..10];
    match random.below(3) {
        0 => format!("/api/v1/observations/daily?day={day}"),
        1 => format!(
            "/api/v1/observations/daily?day={day}&province={}",
            PROVINCES[random.below(PROVINCES.len())]
        ),
        _ => format!(
            "/api/v1/observations/daily?day={day}&sector={}",
            SECTORS[random.below(SECTORS.len())]
        ),
    }
}
