//! Reading a dataset's CSV file whole before anything is submitted: the header is checked
//! (a missing required column is fatal: nothing is imported), an HXL tag line after it is
//! skipped, and each row is handed on with its line number, so that every bad row can be
//! named by its line and the column at fault.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, bail};
use csv::StringRecord;

/// A row that cannot be imported: its line in the file, the column (or report field) at
/// fault, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: u64,
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.reason)
    }
}

/// A file's data rows, with the column names of its header.
pub struct Table {
    columns: HashMap<String, usize>,
    pub rows: Vec<Result<(u64, StringRecord), BadRow>>,
}

impl Table {
    /// Reads `path`; fails (fatal) if it cannot be read as CSV or its header lacks one of
    /// `required`. `what` names the dataset for the message.
    pub fn read(path: &Path, required: &[&str], what: &str) -> anyhow::Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_path(path)
            .with_context(|| format!("reading {}", path.display()))?;
        let header = reader
            .headers()
            .with_context(|| format!("{}: line 1 (the header)", path.display()))?
            .clone();
        let columns: HashMap<String, usize> = header
            .iter()
            .enumerate()
            .map(|(i, name)| (name.trim().trim_start_matches('\u{feff}').to_string(), i))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .filter(|name| !columns.contains_key(**name))
            .copied()
            .collect();
        if !missing.is_empty() {
            bail!(
                "{}: the header lacks the {what} column(s) {}: is this file from {what}? Nothing was imported",
                path.display(),
                missing.join(", ")
            );
        }
        let mut rows = vec![];
        for (n, record) in reader.records().enumerate() {
            match record {
                Ok(record) if n == 0 && is_hxl(&record) => {}
                Ok(record) => {
                    let line = record.position().map_or(0, csv::Position::line);
                    rows.push(Ok((line, record)));
                }
                Err(e) => rows.push(Err(unreadable(&e))),
            }
        }
        Ok(Self { columns, rows })
    }

    /// A row's cells by column name.
    pub fn row<'a>(&'a self, line: u64, record: &'a StringRecord) -> Row<'a> {
        Row {
            line,
            record,
            columns: &self.columns,
        }
    }
}

/// A line of HXL hashtags (`#date+year`, `#geo+lat`) under the header: every cell with
/// text holds a tag.
fn is_hxl(record: &StringRecord) -> bool {
    let mut cells = record.iter().map(str::trim).filter(|c| !c.is_empty());
    let first = cells.next();
    first.is_some_and(|c| c.starts_with('#')) && cells.all(|c| c.starts_with('#'))
}

fn unreadable(error: &csv::Error) -> BadRow {
    let line = error.position().map_or(0, csv::Position::line);
    let reason = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields; the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_string(),
        _ => error.to_string(),
    };
    BadRow {
        line,
        field: "row".into(),
        reason,
    }
}

/// One data row: its cells by column name, and errors that name the line and column.
pub struct Row<'a> {
    pub line: u64,
    record: &'a StringRecord,
    columns: &'a HashMap<String, usize>,
}

impl Row<'_> {
    /// The cell of `column`, trimmed (empty if the file has no such column).
    pub fn text(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    /// The cell of `column`, which must not be empty.
    pub fn required(&self, column: &str) -> Result<&str, BadRow> {
        match self.text(column) {
            "" => Err(self.bad(column, "is empty")),
            text => Ok(text),
        }
    }

    /// The cell of `column` as a number of type `T`.
    pub fn number<T: FromStr>(&self, column: &str, what: &str) -> Result<T, BadRow> {
        let text = self.required(column)?;
        text.parse()
            .map_err(|_| self.bad(column, format!("{text:?} is not {what}")))
    }

    /// The cell of `column` as a number, if it has one.
    pub fn optional_number<T: FromStr>(
        &self,
        column: &str,
        what: &str,
    ) -> Result<Option<T>, BadRow> {
        if self.text(column).is_empty() {
            return Ok(None);
        }
        self.number(column, what).map(Some)
    }

    /// A coordinate in `column`, within `-limit..=limit` degrees.
    pub fn degrees(&self, column: &str, limit: f64) -> Result<f64, BadRow> {
        let value: f64 = self.number(column, "a number of degrees")?;
        if !value.is_finite() || value.abs() > limit {
            return Err(self.bad(
                column,
                format!("{value} is not between -{limit} and {limit}"),
            ));
        }
        Ok(value)
    }

    pub fn bad(&self, column: &str, reason: impl Into<String>) -> BadRow {
        BadRow {
            line: self.line,
            field: column.to_string(),
            reason: reason.into(),
        }
    }
}

/// `text` cut to at most `max` characters (an ellipsis marks the cut), for report fields
/// with a length limit that a dataset's free text may exceed.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(max - 1).collect();
    clipped.push('…');
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hxl_line_is_recognised_and_a_data_line_is_not() {
        let hxl = StringRecord::from(vec!["", "#date+year", "", "#geo+lat"]);
        assert!(is_hxl(&hxl));
        let data = StringRecord::from(vec!["59553", "#1", "1990"]);
        assert!(!is_hxl(&data));
        assert!(!is_hxl(&StringRecord::from(vec!["", ""])));
    }

    #[test]
    fn clipping_keeps_short_text_and_marks_a_cut() {
        assert_eq!(clip("Kel", 200), "Kel");
        let long = "x".repeat(300);
        assert_eq!(clip(&long, 200).chars().count(), 200);
        assert!(clip(&long, 200).ends_with('…'));
    }
}
