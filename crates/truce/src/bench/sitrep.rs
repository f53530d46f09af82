//! `truce bench sitrep`: daily situation reports as PDF, timed end to end the way
//! `truce report daily --format pdf` makes them: the node gathers the day and answers its
//! JSON document (`/reports/daily/D.json`), then Typst typesets it here. Against a running
//! node (`--server`, e.g. `truce serve --demo`), or against a log of many synthetic
//! reports (`--reports`, built as `truce bench reports` builds it, or reused from `--data`)
//! served by a `truce serve` child.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::{Value, json};
use time::{Date, Duration};

use super::reports::{Server, ensure_log};
use crate::Failure;

#[derive(clap::Args)]
pub struct SitrepArgs {
    /// Measure against this running node instead of building a log.
    #[arg(long)]
    server: Option<String>,
    /// How many synthetic reports the built log holds (without `--server`).
    #[arg(long, default_value_t = 100_000)]
    reports: usize,
    /// Keep the built log in this directory; if it already holds a log, reuse it.
    #[arg(long)]
    data: Option<PathBuf>,
    /// The first day reported, `YYYY-MM-DD`.
    #[arg(long, default_value = "2025-10-01")]
    from: String,
    /// How many consecutive days are reported, each in every language asked.
    #[arg(long, default_value_t = 15)]
    days: u32,
    /// The languages, repeated (`--lang en --lang ur`).
    #[arg(long = "lang", default_values_t = ["en".to_string(), "ps".to_string(), "ur".to_string()])]
    langs: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// One day's report in one language: milliseconds to the document, to the PDF, and its size.
struct Timing {
    fetch_ms: f64,
    typeset_ms: f64,
    bytes: usize,
    reports: i64,
}

pub async fn run(args: SitrepArgs) -> Result<(), Failure> {
    let from = Date::parse(
        &args.from,
        &time::format_description::well_known::Iso8601::DATE,
    )
    .map_err(|e| Failure::usage(anyhow::anyhow!("--from {}: {e}", args.from)))?;
    let temp = tempfile::tempdir()?;
    let (url, server, entries) = if let Some(url) = &args.server {
        (url.trim_end_matches('/').to_string(), None, None)
    } else {
        let dir = args
            .data
            .clone()
            .unwrap_or_else(|| temp.path().join("bench"));
        let log = ensure_log(&dir, args.reports).await?;
        let server = Server::spawn(&dir)?;
        (server.url.clone(), Some(server), Some(log.entries))
    };
    let client = reqwest::Client::new();
    let mut timings = vec![];
    for lang in &args.langs {
        // One report before the measured ones: the fonts and template are parsed once.
        let _ = timed(&client, &url, from, lang).await?;
        for day in 0..args.days {
            timings.push(timed(&client, &url, from + Duration::days(day.into()), lang).await?);
        }
    }
    if let Some(server) = server {
        server.stop()?;
    }
    let summary = summarise(&timings, entries);
    if args.json {
        println!("{summary}");
    } else {
        super::print_machine();
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
    }
    Ok(())
}

async fn timed(
    client: &reqwest::Client,
    url: &str,
    day: Date,
    lang: &str,
) -> anyhow::Result<Timing> {
    let started = Instant::now();
    let response = client
        .get(format!("{url}/reports/daily/{day}.json?lang={lang}"))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "{day}: {}",
        response.status()
    );
    let document = response.text().await?;
    let fetch_ms = started.elapsed().as_secs_f64() * 1e3;
    let parsed: Value = serde_json::from_str(&document)?;
    let reports = parsed["data"]["allegations_total"]["current"]
        .as_i64()
        .unwrap_or(0);
    let typesetting = Instant::now();
    let pdf = tokio::task::block_in_place(|| truce_report::pdf(&document))?;
    Ok(Timing {
        fetch_ms,
        typeset_ms: typesetting.elapsed().as_secs_f64() * 1e3,
        bytes: pdf.len(),
        reports,
    })
}

fn summarise(timings: &[Timing], entries: Option<u64>) -> Value {
    let stats = |values: Vec<f64>| {
        let mut values = values;
        values.sort_by(f64::total_cmp);
        let at =
            |p: usize| values.get((values.len() * p / 100).min(values.len().saturating_sub(1)));
        json!({"p50": at(50), "max": values.last()})
    };
    json!({
        "bench": "sitrep",
        "log_entries": entries,
        "pdfs": timings.len(),
        "reports_per_day_max": timings.iter().map(|t| t.reports).max(),
        "document_ms": stats(timings.iter().map(|t| t.fetch_ms).collect()),
        "typeset_ms": stats(timings.iter().map(|t| t.typeset_ms).collect()),
        "total_ms": stats(timings.iter().map(|t| t.fetch_ms + t.typeset_ms).collect()),
        "pdf_bytes_max": timings.iter().map(|t| t.bytes).max(),
    })
}
