//! `truce import ucdp|acled FILE`: a dataset's rows as reports with their provenance.
//!
//! The whole file is read and every row turned into a report first (`table`, `ucdp`,
//! `acled`); a fatal error (unreadable file, a required column missing) imports nothing.
//! Bad rows are named by line and column and left out. The node is asked which rows are
//! already on the log (`POST /api/v1/reports/provenance`); `--dry-run` stops there and
//! says what would happen. Otherwise the new rows are signed as one chain of the
//! monitor's key and posted in batches (`submit`). The log's admission refuses a row
//! that is on it already, so importing the same file twice adds nothing even when two
//! imports race.

mod acled;
mod submit;
mod table;
mod ucdp;

use std::path::PathBuf;

use truce_core::mechanism::Report;
use truce_core::mechanism::values::{Range, Reliability, Source};
use truce_core::{Day, Timestamp};

use crate::Failure;
use table::{BadRow, Row, Table};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import a UCDP GED CSV file (a second line of HXL tags is skipped).
    Ucdp(Args),
    /// Import an ACLED CSV file.
    Acled(Args),
}

#[derive(clap::Args)]
pub struct Args {
    /// The CSV file.
    file: PathBuf,
    /// The private key file of the monitor (or liaison) who signs the reports.
    #[arg(long, required_unless_present = "dry_run")]
    key: Option<PathBuf>,
    /// The node to import into.
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// Print what would happen (new, already on the log, refused) and submit nothing.
    #[arg(long)]
    dry_run: bool,
    /// The dataset's version, recorded in each report's provenance (e.g. `21.1`).
    #[arg(long)]
    dataset_version: Option<String>,
    /// Entries posted per request, at most (the node's `submit_batch_entries_max`; fewer
    /// when they would not fit in 1 MB).
    #[arg(long, default_value_t = 1_000)]
    batch: usize,
    /// Print the outcome as one JSON object: new, appended indexes, rows already on the
    /// log, refused and adjusted rows (each with its line, field and reason).
    #[arg(long)]
    json: bool,
}

/// A dataset's format: its slug, the columns it must have, and how a row reads.
pub struct Dataset {
    pub slug: &'static str,
    name: &'static str,
    required: &'static [&'static str],
    read: fn(&Row<'_>, Option<&str>) -> Result<Read, BadRow>,
}

const UCDP: Dataset = Dataset {
    slug: truce_core::mechanism::exchange::UCDP_GED,
    name: "UCDP GED",
    required: ucdp::REQUIRED,
    read: ucdp::report,
};

const ACLED: Dataset = Dataset {
    slug: truce_core::mechanism::exchange::ACLED,
    name: "ACLED",
    required: acled::REQUIRED,
    read: acled::report,
};

/// A row ready to import: its line, its id in the dataset, and its report.
pub struct Parsed {
    pub line: u64,
    pub id: String,
    pub report: Report,
}

/// A report read from a row, and what was adjusted to record it (said in its summary too).
pub struct Read {
    pub id: String,
    pub report: Report,
    pub adjusted: Option<BadRow>,
}

/// A whole file, read: the rows that make reports, the bad rows, and the rows recorded
/// with an adjustment.
pub struct File {
    pub rows: Vec<Parsed>,
    pub bad: Vec<BadRow>,
    pub adjusted: Vec<BadRow>,
}

pub async fn run(command: Command) -> Result<(), Failure> {
    let (dataset, args) = match command {
        Command::Ucdp(args) => (&UCDP, args),
        Command::Acled(args) => (&ACLED, args),
    };
    let file =
        read(dataset, &args.file, args.dataset_version.as_deref()).map_err(Failure::usage)?;
    submit::run(dataset, &args, file).await
}

/// Reads and checks the whole file; fails only on a fatal error.
pub fn read(
    dataset: &Dataset,
    path: &std::path::Path,
    version: Option<&str>,
) -> anyhow::Result<File> {
    if let Some(version) = version {
        let probe = truce_core::mechanism::Provenance {
            dataset: dataset.slug.into(),
            row: "1".into(),
            version: Some(version.into()),
        };
        probe
            .validate("provenance")
            .map_err(|e| anyhow::anyhow!("--dataset-version: {}", e.reason))?;
    }
    let table = Table::read(path, dataset.required, dataset.name)?;
    let mut file = File {
        rows: vec![],
        bad: vec![],
        adjusted: vec![],
    };
    let mut seen = std::collections::HashMap::new();
    for row in &table.rows {
        let (line, record) = match row {
            Ok(row) => row,
            Err(bad) => {
                file.bad.push(bad.clone());
                continue;
            }
        };
        match parse_row(dataset, &table.row(*line, record), version, &mut seen) {
            Ok((parsed, adjusted)) => {
                file.rows.push(parsed);
                file.adjusted.extend(adjusted);
            }
            Err(bad) => file.bad.push(bad),
        }
    }
    Ok(file)
}

/// One row as a report that passes the report's own checks (`Report::validate`, the
/// same the log applies), and whose id no earlier row of the file had.
fn parse_row(
    dataset: &Dataset,
    row: &Row<'_>,
    version: Option<&str>,
    seen: &mut std::collections::HashMap<String, u64>,
) -> Result<(Parsed, Option<BadRow>), BadRow> {
    let Read {
        id,
        report,
        adjusted,
    } = (dataset.read)(row, version)?;
    report.validate().map_err(|e| row.bad(&e.field, e.reason))?;
    if let Some(first) = seen.insert(id.clone(), row.line) {
        seen.insert(id.clone(), first);
        let id_column = dataset.required[0];
        return Err(row.bad(id_column, format!("{id} is also the id of line {first}")));
    }
    let parsed = Parsed {
        line: row.line,
        id,
        report,
    };
    Ok((parsed, adjusted))
}

/// The day a cell names: `2021-03-04`, `2021-03-04 00:00:00.000` (UCDP) or `4 March 2021`
/// (ACLED's older files), as midnight UTC.
fn day(row: &Row<'_>, column: &str) -> Result<Timestamp, BadRow> {
    let text = row.required(column)?;
    let parse = |day: Option<String>| day.and_then(|day| Day::parse(day).ok());
    let day = parse(iso_day(text)).or_else(|| parse(named_month_day(text)));
    let day = day.ok_or_else(|| {
        row.bad(
            column,
            format!("{text:?} is not a date (YYYY-MM-DD or 4 March 2021)"),
        )
    })?;
    Timestamp::parse(format!("{}T00:00:00Z", day.as_str())).map_err(|e| row.bad(column, e))
}

fn iso_day(text: &str) -> Option<String> {
    let day = text.get(..10)?;
    let rest = &text[10..];
    let time_follows = rest.is_empty() || rest.starts_with([' ', 'T']);
    time_follows.then(|| day.to_string())
}

fn named_month_day(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut parts = text.split_whitespace();
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let month = month.to_ascii_lowercase();
    let number = MONTHS.iter().position(|m| *m == month || m[..3] == month)? + 1;
    let day: u8 = day.parse().ok()?;
    let year: u16 = year.parse().ok()?;
    Some(format!("{year:04}-{number:02}-{day:02}"))
}

/// Deaths as a range from three columns. A range that does not bracket its best estimate
/// (UCDP GED has such rows: `low` 2, `best` 2, `high` 1) is widened to include it, never
/// narrowed, and the widening is returned to be reported; the best estimate is kept.
fn deaths(
    row: &Row<'_>,
    low: &str,
    best: &str,
    high: &str,
) -> Result<(Range, Option<BadRow>), BadRow> {
    let given = Range {
        low: row.number(low, "a whole number")?,
        best: row.number(best, "a whole number")?,
        high: row.number(high, "a whole number")?,
    };
    let range = Range {
        low: given.low.min(given.best),
        best: given.best,
        high: given.high.max(given.best),
    };
    let note = if given.low > given.best {
        let reason = format!(
            "{} is more than {best} {}: recorded as {}",
            given.low, given.best, range.low
        );
        Some(row.bad(low, reason))
    } else if given.best > given.high {
        let reason = format!(
            "{} is less than {best} {}: recorded as {}",
            given.high, given.best, range.high
        );
        Some(row.bad(high, reason))
    } else {
        None
    };
    Ok((range, note))
}

/// A dataset's citation as a source. Its reliability and credibility cannot be judged
/// by the importer (F, 6): grading is the monitors' work.
fn source(name: &str) -> Source {
    Source {
        credibility: 6,
        name: table::clip(name, 500),
        reliability: Reliability::F,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_in_the_forms_ucdp_and_acled_write() {
        assert_eq!(
            iso_day("1990-10-04 00:00:00.000").as_deref(),
            Some("1990-10-04")
        );
        assert_eq!(iso_day("1990-10-04").as_deref(), Some("1990-10-04"));
        assert_eq!(iso_day("1990-10-04x"), None);
        assert_eq!(
            named_month_day("4 March 2021").as_deref(),
            Some("2021-03-04")
        );
        assert_eq!(
            named_month_day("04 Mar 2021").as_deref(),
            Some("2021-03-04")
        );
        assert_eq!(named_month_day("yesterday"), None);
        assert_eq!(iso_day("14 October 2025").as_deref(), Some("14 October"));
        assert_eq!(
            named_month_day("14 October 2025").as_deref(),
            Some("2025-10-14")
        );
    }
}
