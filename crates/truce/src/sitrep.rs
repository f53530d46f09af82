//! `truce report daily|period` (verbs of the workflow's `report` noun, kept here): a node's
//! situation report, as the page it serves (HTML)
//! or typeset here as PDF from the report's JSON document (`truce-report`), written beside
//! the target and renamed into place once whole.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::ValueEnum;

use crate::Failure;
use crate::client::Node;

/// `truce report daily`.
#[derive(Debug, clap::Args)]
pub struct Daily {
    /// The day, `YYYY-MM-DD`.
    #[arg(long)]
    pub date: String,
    #[command(flatten)]
    pub output: Target,
}

/// `truce report period`.
#[derive(Debug, clap::Args)]
pub struct Period {
    /// The first day, `YYYY-MM-DD`.
    #[arg(long)]
    pub from: String,
    /// The last day, `YYYY-MM-DD` (included).
    #[arg(long)]
    pub to: String,
    #[command(flatten)]
    pub output: Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Typeset here with Typst, fonts embedded.
    Pdf,
    /// The page as the node serves it.
    Html,
}

#[derive(Debug, clap::Args)]
pub struct Target {
    #[arg(long, value_enum, default_value = "pdf")]
    format: Format,
    /// The report's language: en, ps, fa-AF, ur, tr or ar.
    #[arg(long, default_value = "en")]
    lang: String,
    /// The file to write (replaced only once the whole report is made).
    #[arg(short, long)]
    output: PathBuf,
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn daily(args: Daily) -> Result<(), Failure> {
    let page = format!("/reports/daily/{}", args.date);
    let document = format!("{page}.json");
    make(&page, &document, vec![], args.output).await
}

pub async fn period(args: Period) -> Result<(), Failure> {
    let query = vec![("from".to_string(), args.from), ("to".to_string(), args.to)];
    make(
        "/reports/period",
        "/reports/period.json",
        query,
        args.output,
    )
    .await
}

/// Fetches the page (`page`) or the document (`document`) and writes the report.
async fn make(
    page: &str,
    document: &str,
    mut query: Vec<(String, String)>,
    output: Target,
) -> Result<(), Failure> {
    query.push(("lang".to_string(), output.lang.clone()));
    let node = Node::new(&output.server, output.json);
    let started = Instant::now();
    let bytes = match output.format {
        Format::Html => {
            let html = crate::standalone::page(&node, page, &query).await?;
            write_whole(&output.output, html.as_bytes())?
        }
        Format::Pdf => {
            let document = node.get_query(document, &query).await?;
            let pdf = tokio::task::spawn_blocking(move || truce_report::pdf(&document.to_string()))
                .await
                .context("typesetting")?
                .map_err(Failure::check)?;
            write_whole(&output.output, &pdf)?
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let file = output.output.display().to_string();
    if output.json {
        println!(
            "{}",
            serde_json::json!({"file": file, "bytes": bytes, "seconds": seconds})
        );
    } else {
        println!("wrote {file} ({bytes} bytes in {seconds:.2} s)");
    }
    Ok(())
}

/// Writes `bytes` beside `target` and renames the file into place, so a failure leaves
/// nothing half written.
fn write_whole(target: &Path, bytes: &[u8]) -> Result<u64, Failure> {
    let mut file = crate::client::beside(target)?;
    file.write_all(bytes).context("writing the report")?;
    crate::client::into_place(file, target)?;
    Ok(bytes.len() as u64)
}
