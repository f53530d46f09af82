//! `truce report publish` and `truce report check`: a situation report's file entered on
//! the log by its SHA-256 (`report.published`), and any copy checked against the log.
//! The file is hashed here, a chunk at a time; only its hash goes to the node.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::Value;
use sha2::{Digest, Sha256};
use truce_core::Day;
use truce_core::kinds::REPORT_PUBLISHED;
use truce_core::mechanism::ReportFormat;

use super::fields::{Fields, day, named};
use super::read::Read;
use super::{Write, write};
use crate::Failure;

/// `truce report publish`.
#[derive(clap::Args)]
pub struct Publish {
    #[command(flatten)]
    write: Write,
    /// The report's file (as `truce report daily|period` wrote it).
    file: PathBuf,
    /// A daily report's day (`YYYY-MM-DD`); or give `--from` and `--to`.
    #[arg(long, value_parser = day, conflicts_with_all = ["from", "to"])]
    date: Option<Day>,
    /// The first day of a period report.
    #[arg(long, value_parser = day, requires = "to")]
    from: Option<Day>,
    /// The last day of a period report (included).
    #[arg(long, value_parser = day, requires = "from")]
    to: Option<Day>,
    /// `pdf`, `html` or `json`; from the file's extension if left out.
    #[arg(long, value_parser = named::<ReportFormat>)]
    format: Option<ReportFormat>,
    /// The report's language: en, ps, fa-AF, ur, tr or ar.
    #[arg(long, required_unless_present = "payload")]
    lang: Option<String>,
    /// A title for the publication.
    #[arg(long)]
    title: Option<String>,
    /// Where the file is published (https://...).
    #[arg(long)]
    url: Option<String>,
}

/// `truce report check`.
#[derive(clap::Args)]
pub struct Check {
    /// The file to look for on the log.
    file: PathBuf,
    /// The log's verifier key, as you got it from someone you trust (the genesis's); if
    /// left out, the key the node serves at /log/vkey, which proves less.
    #[arg(long)]
    log_key: Option<String>,
    #[command(flatten)]
    read: Read,
}

pub async fn publish(args: Publish) -> Result<(), Failure> {
    let sha256 = sha256_of(&args.file)?;
    let format = args.format.or_else(|| format_of(&args.file));
    let (from, to) = match (&args.date, &args.from, &args.to) {
        (Some(day), _, _) => (Some(day), Some(day)),
        (None, from, to) => (from.as_ref(), to.as_ref()),
    };
    if from.is_none() && args.write.payload.is_none() {
        return Err(Failure::usage(anyhow::anyhow!(
            "give --date for a daily report, or --from and --to for a period"
        )));
    }
    write(&args.write, REPORT_PUBLISHED, |f: &mut Fields, _| {
        f.some("period.from", from);
        f.some("period.to", to);
        f.some("format", format);
        f.some("language", args.lang.as_ref());
        f.set("sha256", &sha256);
        f.some("title", args.title.as_ref());
        f.some("url", args.url.as_ref());
    })
    .await
}

/// `truce report check`: the node says where the file's hash was published; each answer
/// is then proved from the log itself ([`super::publication_proof`]), so a node that
/// lies fails the check.
pub async fn check(args: Check) -> Result<(), Failure> {
    let sha256 = sha256_of(&args.file)?;
    let answer = args
        .read
        .get("/api/v1/publications", &[format!("sha256={sha256}")])
        .await?;
    let items = answer["items"].as_array().cloned().unwrap_or_default();
    let node = args.read.node();
    let log_vkey = super::publication_proof::log_vkey(&node, args.log_key.as_deref()).await?;
    let mut proved = Vec::new();
    for item in &items {
        let index = item["index"].as_u64().unwrap_or(u64::MAX);
        proved.push(super::publication_proof::prove(&node, index, &sha256, &log_vkey).await?);
    }
    if args.read.json() {
        let proofs: Vec<Value> = proved
            .iter()
            .map(|p| serde_json::json!({"checkpoint_size": p.size, "cosigned": p.cosigned, "quorum": p.quorum}))
            .collect();
        println!(
            "{}",
            serde_json::json!({"sha256": sha256, "publications": items, "proofs": proofs, "log_key": log_vkey})
        );
    } else if items.is_empty() {
        println!(
            "{}: SHA-256 {sha256} is not on the log",
            args.file.display()
        );
    } else {
        for (item, p) in items.iter().zip(&proved) {
            println!(
                "{}: {}; proved in the checkpoint of size {} with {} witness cosignatures (quorum {})",
                args.file.display(),
                line(item),
                p.size,
                p.cosigned,
                p.quorum
            );
        }
        if args.log_key.is_none() {
            println!(
                "(against the log key the node serves; give --log-key to check it against the one you trust)"
            );
        }
    }
    if items.is_empty() {
        return Err(Failure::check(anyhow::anyhow!(
            "{} was not published on this log",
            args.file.display()
        )));
    }
    Ok(())
}

/// `on the log at entry 42: the report of 2025-10-12 (pdf, en), published by ...`.
fn line(item: &Value) -> String {
    let text = |name: &str| super::read::text(item, name);
    let (from, to) = (text("period_from"), text("period_to"));
    let period = if from == to {
        format!("the daily report of {from}")
    } else {
        format!("the report of {from} to {to}")
    };
    format!(
        "on the log at entry {}: {period} ({}, {}), published by {} ({}) at {}",
        item["index"],
        text("format"),
        text("language"),
        text("published_by"),
        text("author"),
        text("signed_at"),
    )
}

/// The file's SHA-256 as 64 lowercase hex digits, read a chunk at a time.
fn sha256_of(path: &Path) -> Result<String, Failure> {
    let mut file = std::fs::File::open(path)
        .with_context(|| format!("FILE {}: cannot open", path.display()))
        .map_err(Failure::usage)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file
            .read(&mut buffer)
            .with_context(|| format!("FILE {}: cannot read", path.display()))
            .map_err(Failure::usage)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The format a file's extension names, if any.
fn format_of(path: &Path) -> Option<ReportFormat> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("pdf") => Some(ReportFormat::Pdf),
        Some("html" | "htm") => Some(ReportFormat::Html),
        Some("json") => Some(ReportFormat::Json),
        _ => None,
    }
}
