//! `GET /api/v1/exports/observations.csv?province=&sector=`: every observation, newest
//! first, one row each with its window, place and totals, streamed a page at a time and
//! cut at the request timeout like the report exports. The daily counts per delegation
//! are the API's (`/api/v1/observations/daily`); this file is for analysts' own tools.

use std::collections::HashMap;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use truce_store::read::observations::ObservationRow;

use super::{ROWS_PER_PAGE, until};
use crate::problem::Problem;
use crate::state::AppState;
use crate::v1::listing::known_parameters;

/// The area filters; an export has no page size or cursor.
pub const PARAMETERS: &[&str] = &["province", "sector"];

const HEADER: [&str; 17] = [
    "index",
    "day",
    "start_at",
    "end_at",
    "platform",
    "sensor",
    "place",
    "lat",
    "lon",
    "country",
    "province_code",
    "sector",
    "total",
    "explosions",
    "reported_by",
    "author",
    "signed_at",
];

/// `GET /api/v1/exports/observations.csv`.
pub async fn csv(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Problem> {
    known_parameters(&query, PARAMETERS)?;
    let area = crate::v1::observations::area(&state, &query).await?;
    let timeout = Duration::from_millis(state.config.limits.request_timeout_ms);
    let deadline = tokio::time::Instant::now() + timeout;
    let pages = (state, area, None::<u64>, true, false);
    let stream = futures::stream::unfold(pages, |(state, area, before, first, done)| async move {
        if done {
            return None;
        }
        let rows = match state
            .store
            .observations(None, &area, before, ROWS_PER_PAGE)
            .await
        {
            Ok(rows) => rows,
            Err(e) => {
                return Some((
                    Err(std::io::Error::other(e.to_string())),
                    (state, area, before, first, true),
                ));
            }
        };
        let last = rows.len() < ROWS_PER_PAGE;
        let next = rows.last().map(|r| r.index);
        let chunk = written(&rows, first);
        Some((Ok(chunk), (state, area, next, false, last)))
    });
    let stream = futures::StreamExt::fuse(until(stream, deadline));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"observations.csv\"".to_string(),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// One page of rows as CSV, after the header on the first.
fn written(rows: &[ObservationRow], first: bool) -> Bytes {
    let mut out = csv::Writer::from_writer(vec![]);
    if first {
        let _ = out.write_record(HEADER);
    }
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    for r in rows {
        let _ = out.write_record([
            r.index.to_string(),
            r.day.clone(),
            r.start_at.clone(),
            r.end_at.clone(),
            r.platform.clone(),
            opt(&r.sensor),
            r.place.clone(),
            r.lat.to_string(),
            r.lon.to_string(),
            opt(&r.country),
            opt(&r.province_code),
            opt(&r.sector),
            r.total.to_string(),
            r.explosions.to_string(),
            r.reported_by.clone(),
            r.author.clone(),
            r.signed_at.clone(),
        ]);
    }
    Bytes::from(out.into_inner().unwrap_or_default())
}
