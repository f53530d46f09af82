//! Asking the node which rows are on the log, then signing the new ones as one chain and
//! posting them in batches, with a progress bar. A refused entry breaks the chain after
//! it (the log expects the next sequence number from the last entry it admitted), so
//! after a refusal the signer is positioned again where the log says and the rest of the
//! batch is signed anew.

use std::collections::{HashMap, VecDeque};

use serde_json::{Value, json};
use truce_core::kinds::REPORT_SUBMITTED;

use super::table::BadRow;
use super::{Args, Dataset, File, Parsed};
use crate::Failure;
use crate::client::{Node, Signer, entry_time};

/// Row ids asked about per request (the node's `provenance::ROWS_MAX`).
const ROWS_PER_QUESTION: usize = 10_000;

/// What became of the file's rows.
#[derive(Default)]
struct Outcome {
    /// Rows already on the log, with their reports' indexes.
    on_log: Vec<(u64, String, u64)>,
    /// Rows already on the log, filed by another key than this import's: (line, row id,
    /// index, that key). Skipped like the others, and reported: the other report may not
    /// say what the row says.
    conflicts: Vec<(u64, String, u64, String)>,
    /// Indexes of the reports this import appended.
    appended: Vec<u64>,
    /// Rows the log refused, by line.
    refused: Vec<BadRow>,
}

pub async fn run(dataset: &Dataset, args: &Args, file: File) -> Result<(), Failure> {
    let node = Node::new(&args.server, args.json);
    let mut known = on_log(&node, dataset.slug, &file.rows).await?;
    // The import's own key, read once: its name tells the rows another key claimed.
    let signer = match &args.key {
        Some(key) => Some(node.signer(key).await?),
        None => None,
    };
    let importer = signer.as_ref().map(|s| s.name().to_string());
    let mut outcome = Outcome::default();
    let mut new = vec![];
    for row in file.rows {
        match known.remove(&row.id) {
            Some((index, author)) if importer.as_ref().is_some_and(|me| *me != author) => {
                outcome.conflicts.push((row.line, row.id, index, author));
            }
            Some((index, _)) => outcome.on_log.push((row.line, row.id, index)),
            None => new.push(row),
        }
    }
    let new_rows = new.len();
    if !args.dry_run {
        let signer = signer.expect("clap requires --key without --dry-run");
        append(&node, signer, new, args.batch, &mut outcome).await?;
    }
    outcome.refused.extend(file.bad);
    outcome.refused.sort_by_key(|bad| bad.line);
    if args.json {
        print_json(dataset, args, new_rows, &outcome, &file.adjusted);
    } else {
        print_text(args, new_rows, &outcome, &file.adjusted);
    }
    verdict(&outcome.refused)
}

fn print_text(args: &Args, new_rows: usize, outcome: &Outcome, adjusted: &[BadRow]) {
    let name = args.file.display();
    let on_log = outcome.on_log.len() + outcome.conflicts.len();
    let refused = outcome.refused.len();
    if args.dry_run {
        println!(
            "{name}: {new_rows} rows would be imported as new reports ({} with a range adjusted); {on_log} are already on the log; {refused} refused",
            adjusted.len(),
        );
    } else {
        let span = match (outcome.appended.first(), outcome.appended.last()) {
            (Some(first), Some(last)) => format!(" (log indexes {first} to {last})"),
            _ => String::new(),
        };
        println!(
            "{name}: imported {} new reports{span}; {on_log} rows were already on the log; {refused} refused; {} read with a range adjusted",
            outcome.appended.len(),
            adjusted.len(),
        );
    }
    for (line, id, index) in &outcome.on_log {
        println!("line {line}: row {id} is already on the log at index {index}");
    }
    for (line, id, index, author) in &outcome.conflicts {
        println!(
            "line {line}: row {id} is claimed at index {index} by {author}, not by this import's key (conflict: compare the two)"
        );
    }
    for note in adjusted {
        println!("{note} (adjusted)");
    }
    for bad in &outcome.refused {
        println!("{bad} (refused)");
    }
}

fn print_json(
    dataset: &Dataset,
    args: &Args,
    new_rows: usize,
    outcome: &Outcome,
    adjusted: &[BadRow],
) {
    let rows = |rows: &[BadRow]| -> Vec<Value> {
        let row = |r: &BadRow| json!({"line": r.line, "field": r.field, "reason": r.reason});
        rows.iter().map(row).collect()
    };
    let on_log: Vec<Value> = outcome
        .on_log
        .iter()
        .map(|(line, id, index)| json!({"line": line, "row": id, "index": index}))
        .collect();
    let conflicts: Vec<Value> = outcome
        .conflicts
        .iter()
        .map(|(line, id, index, author)| {
            json!({"line": line, "row": id, "index": index, "author": author})
        })
        .collect();
    let out = json!({
        "file": args.file.display().to_string(),
        "dataset": dataset.slug,
        "dry_run": args.dry_run,
        "new": new_rows,
        "appended": outcome.appended,
        "on_log": on_log,
        "conflicts": conflicts,
        "refused": rows(&outcome.refused),
        "adjusted": rows(adjusted),
    });
    println!("{out}");
}

/// Which of the rows' ids the log holds, with their reports' indexes and authors.
async fn on_log(
    node: &Node,
    dataset: &str,
    rows: &[Parsed],
) -> Result<HashMap<String, (u64, String)>, Failure> {
    let mut found = HashMap::new();
    for chunk in rows.chunks(ROWS_PER_QUESTION) {
        let ids: Vec<&str> = chunk.iter().map(|row| row.id.as_str()).collect();
        let answer = node
            .post_json(
                "/api/v1/reports/provenance",
                &json!({"dataset": dataset, "rows": ids}),
            )
            .await?;
        for item in answer["found"].as_array().into_iter().flatten() {
            let author = item["author"].as_str().unwrap_or_default().to_string();
            if let (Some(row), Some(index)) = (item["row"].as_str(), item["index"].as_u64()) {
                found.insert(row.to_string(), (index, author));
            }
        }
    }
    Ok(found)
}

/// Signs and posts the new rows, `batch` at a time (or fewer, to fit a request), in file order. The next batch is
/// signed while the node appends the one in flight (signing a chain is serial: each entry
/// names the hash of the one before), and posted only once that one is durable, so the
/// node receives the chain in order.
async fn append(
    node: &Node,
    mut signer: Signer,
    rows: Vec<Parsed>,
    batch: usize,
    outcome: &mut Outcome,
) -> Result<(), Failure> {
    let progress = indicatif::ProgressBar::new(rows.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} reports ({per_sec}, {eta})")
            .expect("a valid template"),
    );
    let time = entry_time(None)?;
    let mut pending: VecDeque<Parsed> = rows.into();
    let mut in_flight: Option<(InFlight, Vec<Parsed>)> = None;
    loop {
        let next = sign_next(&mut signer, &mut pending, batch, &time);
        if let Some((request, chunk)) = in_flight.take() {
            let answer = request.await??;
            let results = answer["results"].as_array().cloned().unwrap_or_default();
            let broken = settle(chunk, &results, outcome, &progress);
            if !broken.is_empty() {
                // The chain broke at a refusal: what followed it, and the batch signed
                // after it, are signed again from where the log says the chain stands.
                signer = node.resync(&signer).await?;
                let unsent = next.map(|(_, rows)| rows).unwrap_or_default();
                for row in broken.into_iter().chain(unsent).rev() {
                    pending.push_front(row);
                }
                continue;
            }
        }
        let Some((notes, chunk)) = next else { break };
        let node = node.clone();
        let request = tokio::spawn(async move { node.append_batch(notes).await });
        in_flight = Some((request, chunk));
    }
    progress.finish_and_clear();
    Ok(())
}

type InFlight = tokio::task::JoinHandle<Result<Value, Failure>>;

/// A request's body is kept under this many bytes: the node's default
/// `request_bytes_max` is 1 MiB.
const REQUEST_BYTES_MAX: usize = 1_000_000;
/// What an entry adds to a request beyond its payload as escaped JSON: the envelope's
/// other fields, the signature line, the quotes and commas around it (about 600 bytes).
const ENTRY_OVERHEAD_BYTES: usize = 1_000;

/// Signs the next pending rows, at most `batch` of them and as many as fit in one
/// request, as the following entries of the chain.
fn sign_next(
    signer: &mut Signer,
    pending: &mut VecDeque<Parsed>,
    batch: usize,
    time: &truce_core::Timestamp,
) -> Option<(Vec<Vec<u8>>, Vec<Parsed>)> {
    let (mut notes, mut chunk, mut bytes) = (vec![], vec![], 0);
    while chunk.len() < batch.max(1) {
        let Some(row) = pending.front() else { break };
        let payload = serde_json::to_value(&row.report).expect("reports serialize");
        // The payload as it travels: a JSON string inside the request's JSON.
        let text = serde_json::to_string(&payload.to_string()).expect("a string serializes");
        bytes += text.len() + ENTRY_OVERHEAD_BYTES;
        if bytes > REQUEST_BYTES_MAX && !chunk.is_empty() {
            break;
        }
        notes.push(signer.sign(REPORT_SUBMITTED, payload, time.clone()));
        chunk.push(pending.pop_front().expect("a front row"));
    }
    (!chunk.is_empty()).then_some((notes, chunk))
}

/// Records each row's result; returns the rows after the first refusal, which were
/// refused only because the chain broke there.
fn settle(
    chunk: Vec<Parsed>,
    results: &[Value],
    outcome: &mut Outcome,
    progress: &indicatif::ProgressBar,
) -> Vec<Parsed> {
    let mut rows = chunk.into_iter();
    for (row, result) in rows.by_ref().zip(results) {
        if let Some(index) = result["index"].as_u64() {
            outcome.appended.push(index);
            progress.inc(1);
            continue;
        }
        let problem = &result["problem"];
        let field = problem["field"].as_str().unwrap_or("entry").to_string();
        let detail = problem["detail"].as_str().unwrap_or("refused");
        let reason = detail.strip_prefix(&format!("{field}: ")).unwrap_or(detail);
        outcome.refused.push(BadRow {
            line: row.line,
            field,
            reason: format!("the log refused row {}: {reason}", row.id),
        });
        progress.inc(1);
        return rows.collect();
    }
    rows.collect()
}

/// Success only if no row was refused.
fn verdict(refused: &[BadRow]) -> Result<(), Failure> {
    if refused.is_empty() {
        return Ok(());
    }
    Err(Failure::usage(anyhow::anyhow!(
        "{} rows were refused (named above by line); the others were dealt with",
        refused.len()
    )))
}
