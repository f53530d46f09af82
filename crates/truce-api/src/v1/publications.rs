//! `GET /api/v1/publications?sha256=&from=&to=&language=&format=`: the situation reports
//! entered on the log by their SHA-256 (`report.published`), newest first. With `sha256`,
//! it answers whether a downloaded file is the one published, where and by whom
//! (`truce report check`); with `from` and `to`, which files were published for a period
//! (the situation report's page).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use truce_store::read::publications::PublicationRow;

use super::listing::Page;
use super::workflow::{Listing, page_of};
use crate::problem::Problem;
use crate::state::AppState;
use crate::v1::sitrep::Period;

pub const PUBLICATIONS: Listing = Listing {
    table: "report_publications",
    filters: &[
        ("sha256", "sha256"),
        ("from", "period_from"),
        ("to", "period_to"),
        ("language", "language"),
        ("format", "format"),
    ],
};

/// The most publications one situation report's page lists.
const PAGE_PUBLICATIONS_MAX: usize = 100;

/// `GET /api/v1/publications`.
pub async fn list_publications(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Page<PublicationRow>>, Problem> {
    if let Some(sha256) = query.get("sha256")
        && !truce_core::envelope::is_sha256_hex(sha256)
    {
        return Err(Problem::bad_request(
            "sha256",
            format!("sha256 must be 64 lowercase hex digits (got {sha256:?})"),
        ));
    }
    for field in ["from", "to"] {
        if let Some(day) = query.get(field) {
            Period::day(field, day)?;
        }
    }
    let languages = truce_core::mechanism::publication::REPORT_LANGUAGES;
    one_of(&query, "language", languages)?;
    one_of(&query, "format", FORMATS)?;
    Ok(Json(page_of(&state, &PUBLICATIONS, &query).await?))
}

/// The formats a situation report is published in.
pub const FORMATS: &[&str] = &["pdf", "html", "json"];

/// Refuses a parameter `field` whose value is not one of `values`.
fn one_of(query: &HashMap<String, String>, field: &str, values: &[&str]) -> Result<(), Problem> {
    match query.get(field) {
        Some(value) if !values.contains(&value.as_str()) => Err(Problem::bad_request(
            field,
            format!(
                "{field} must be one of {} (got {value:?})",
                values.join(", ")
            ),
        )),
        _ => Ok(()),
    }
}

/// The publications of exactly `period` (every language and format), oldest first.
pub async fn of_period(state: &AppState, period: Period) -> Result<Vec<PublicationRow>, Problem> {
    let (from, to) = (period.from.to_string(), period.to.to_string());
    Ok(state
        .store
        .publications_of(&from, &to, PAGE_PUBLICATIONS_MAX)
        .await?)
}
