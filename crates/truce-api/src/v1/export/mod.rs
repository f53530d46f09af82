//! `GET /api/v1/exports/reports.{csv,hxl.csv,acled.csv,ucdp.csv,geojson}`: every report matching the report list's filters, oldest
//! first, as one file (`formats`), streamed a page of rows at a time so that
//! neither the server's memory nor the client's wait grows with the log.

pub(crate) mod formats;
pub(crate) mod observations;

use std::collections::HashMap;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use truce_store::read::reports::{Order, ReportFilter, ReportRow};

use super::listing::known_parameters;
use crate::problem::Problem;
use crate::state::AppState;
use formats::{Format, Row};

/// Rows read per query: enough that the queries cost little (1,000,000 rows as CSV in
/// about 11 s), few enough that a page's rows and text stay about a megabyte.
pub(crate) const ROWS_PER_PAGE: usize = 500;

/// The report list's filters; an export has no page size or cursor.
pub const PARAMETERS: &[&str] = super::reports::FILTERS;

type Filters = Query<HashMap<String, String>>;

/// `GET /api/v1/exports/reports.csv`.
pub async fn csv(state: State<AppState>, query: Filters) -> Result<Response, Problem> {
    reports(state, Format::Csv, query).await
}

/// `GET /api/v1/exports/reports.hxl.csv`.
pub async fn hxl(state: State<AppState>, query: Filters) -> Result<Response, Problem> {
    reports(state, Format::Hxl, query).await
}

/// `GET /api/v1/exports/reports.acled.csv`.
pub async fn acled(state: State<AppState>, query: Filters) -> Result<Response, Problem> {
    reports(state, Format::Acled, query).await
}

/// `GET /api/v1/exports/reports.ucdp.csv`.
pub async fn ucdp(state: State<AppState>, query: Filters) -> Result<Response, Problem> {
    reports(state, Format::Ucdp, query).await
}

/// `GET /api/v1/exports/reports.geojson`.
pub async fn geojson(state: State<AppState>, query: Filters) -> Result<Response, Problem> {
    reports(state, Format::GeoJson, query).await
}

async fn reports(
    State(state): State<AppState>,
    format: Format,
    Query(query): Filters,
) -> Result<Response, Problem> {
    let file = format.file();
    // The whole export, not only its first answer, ends at the request timeout.
    let timeout = Duration::from_millis(state.config.limits.request_timeout_ms);
    let deadline = tokio::time::Instant::now() + timeout;
    known_parameters(&query, PARAMETERS)?;
    let filter = super::reports::filter(&state, &query).await?;
    let parties = parties(&state).await?;
    let pages = Pages {
        state,
        filter,
        format,
        parties,
        after: None,
        first: true,
        done: false,
    };
    // Fused: the compression layer polls a body once more after its end, which a bare
    // `unfold` answers with a panic.
    let stream = futures::stream::unfold(pages, |mut pages| async move {
        let chunk = pages.next().await?;
        Some((chunk, pages))
    });
    let stream = futures::StreamExt::fuse(until(stream, deadline));
    let disposition = format!("attachment; filename=\"{file}\"");
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Ends `chunks` with an error once `deadline` passes, between chunks or while one is made:
/// an export cut short must not look like a whole file, so the body fails (the client
/// sees a truncated transfer) rather than ending cleanly. Before this, an export streamed
/// on past the request timeout for as long as it had pages (issue 17, finding 10).
pub(crate) fn until<S>(
    chunks: S,
    deadline: tokio::time::Instant,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>>
where
    S: futures::Stream<Item = Result<Bytes, std::io::Error>> + Send,
{
    let state = (Box::pin(chunks), false);
    futures::stream::unfold(state, move |(mut chunks, ended)| async move {
        if ended {
            return None;
        }
        match tokio::time::timeout_at(deadline, futures::StreamExt::next(&mut chunks)).await {
            Ok(Some(chunk)) => Some((chunk, (chunks, false))),
            Ok(None) => None,
            Err(_) => {
                tracing::warn!("an export reached the request timeout and was cut short");
                let cut = std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the export took longer than request_timeout_ms",
                );
                Some((Err(cut), (chunks, true)))
            }
        }
    })
}

/// Party names by delegation id, as the genesis gives them.
async fn parties(state: &AppState) -> Result<HashMap<String, String>, Problem> {
    let genesis = state.genesis().await?;
    let delegations = genesis.iter().flat_map(|g| g.delegations.iter());
    Ok(delegations
        .map(|d| (d.id.as_str().to_string(), d.name.clone()))
        .collect())
}

/// The export's state between pages.
struct Pages {
    state: AppState,
    filter: ReportFilter,
    format: Format,
    parties: HashMap<String, String>,
    /// The index of the last report written.
    after: Option<u64>,
    first: bool,
    done: bool,
}

impl Pages {
    /// The next chunk of the file: the header with the first page, the closing bracket
    /// of a GeoJSON collection after the last; `None` once it is all written.
    async fn next(&mut self) -> Option<Result<Bytes, std::io::Error>> {
        if self.done {
            return None;
        }
        let rows = match self.page().await {
            Ok(rows) => rows,
            Err(problem) => {
                tracing::error!(?problem, "an export stopped partway");
                self.done = true;
                return Some(Err(std::io::Error::other("the export stopped partway")));
            }
        };
        self.done = rows.len() < ROWS_PER_PAGE;
        let mut out = Vec::with_capacity(rows.len() * 400);
        self.write(&rows, &mut out);
        self.first = false;
        Some(Ok(Bytes::from(out)))
    }

    async fn page(&mut self) -> Result<Vec<ReportRow>, Problem> {
        let order = Order::OldestAfter(self.after);
        let rows = self
            .state
            .store
            .reports(&self.filter, order, ROWS_PER_PAGE)
            .await?;
        if let Some(last) = rows.last() {
            self.after = Some(last.index);
        }
        Ok(rows)
    }

    fn write(&self, rows: &[ReportRow], out: &mut Vec<u8>) {
        let parsed = rows.iter().map(|row| Row::new(row, &self.parties));
        if self.format == Format::GeoJson {
            write_features(parsed, self.first, self.done, out);
            return;
        }
        let mut csv = csv::Writer::from_writer(out);
        if self.first {
            for line in self.format.header() {
                let _ = csv.write_record(line);
            }
        }
        let render = match self.format {
            Format::Acled => formats::acled,
            Format::Ucdp => formats::ucdp,
            _ => formats::own,
        };
        for row in parsed {
            let cells = render(&row);
            let safe: Vec<_> = cells.iter().map(|cell| spreadsheet_safe(cell)).collect();
            let _ = csv.write_record(safe.iter().map(|cell| cell.as_bytes()));
        }
        let _ = csv.flush();
    }
}

/// A cell as a spreadsheet will show it, never run it: one that starts with what makes a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return: OWASP's "CSV injection") gets a
/// leading `'`, which spreadsheets take as "text follows"; a plain number (a negative
/// longitude, a signed count) stays as it is, so it stays numeric.
#[must_use]
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Digits, sign, point and exponent only, and a finite number: `-71.5`, `+3`, `-1e-3`.
fn is_plain_number(cell: &str) -> bool {
    cell.bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && cell.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Features separated by commas across pages, inside one `FeatureCollection`.
fn write_features<'a>(
    rows: impl Iterator<Item = Row<'a>>,
    first: bool,
    last: bool,
    out: &mut Vec<u8>,
) {
    let mut separator = !first;
    if first {
        out.extend_from_slice(br#"{"type":"FeatureCollection","features":["#);
    }
    for row in rows {
        if separator {
            out.push(b',');
        }
        separator = true;
        let _ = serde_json::to_writer(&mut *out, &formats::feature(&row));
    }
    if last {
        out.extend_from_slice(b"]}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk that would come after the deadline is not waited for: the body ends in an
    /// error, after what came in time. (Paused time: the clock is the runtime's.)
    #[tokio::test(start_paused = true)]
    async fn an_export_past_its_deadline_ends_in_an_error() {
        use futures::StreamExt as _;
        let start = tokio::time::Instant::now();
        let chunks = futures::stream::iter(0..3).then(|i| async move {
            tokio::time::sleep(Duration::from_secs(10 * i)).await;
            Ok(Bytes::from(format!("page {i}\n")))
        });
        let got: Vec<_> = until(chunks, start + Duration::from_secs(15))
            .collect()
            .await;
        assert_eq!(got.len(), 3, "two pages in time, then the error: {got:?}");
        assert_eq!(got[0].as_ref().unwrap(), "page 0\n");
        assert_eq!(got[1].as_ref().unwrap(), "page 1\n");
        let error = got[2].as_ref().unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    }

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-inf", "'-inf"),
            ("-71.5", "-71.5"),
            ("+3", "+3"),
            ("-1e-3", "-1e-3"),
            ("Kabul", "Kabul"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), written, "{cell:?}");
        }
    }
}
