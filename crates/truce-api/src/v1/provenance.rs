//! `POST /api/v1/reports/provenance`: which rows of a dataset are already reports on the
//! log, for an importer's dry run and to skip them without submitting. Admission is what
//! keeps a row off the log twice (`LogState::admit`); this only saves the round trips.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use truce_core::mechanism::Provenance;

use crate::problem::Problem;
use crate::state::AppState;

/// The most row ids one request asks about (an importer asks in chunks).
pub const ROWS_MAX: usize = 10_000;

/// The body: a dataset slug and the row ids asked about.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    dataset: String,
    rows: Vec<String>,
}

/// Answers `{dataset, found: [{row, index, author}]}`: the rows asked about that are on the
/// log, each with the index of its report and the key that filed it (an importer reports a
/// row claimed by another key as a conflict), in the order asked.
pub async fn provenance(
    State(state): State<AppState>,
    body: Result<Json<Question>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, Problem> {
    let Json(question) = body.map_err(|e| Problem::bad_request("rows", e.body_text()))?;
    check(&question)?;
    let claims = state
        .store
        .provenance_claims(&question.dataset, &question.rows)
        .await?;
    let mut found: std::collections::HashMap<String, (u64, String)> = claims
        .into_iter()
        .map(|c| (c.row, (c.index, c.author)))
        .collect();
    let found: Vec<Value> = question
        .rows
        .iter()
        .filter_map(|row| {
            found
                .remove(row)
                .map(|(index, author)| json!({"row": row, "index": index, "author": author}))
        })
        .collect();
    Ok(Json(json!({"dataset": question.dataset, "found": found})))
}

/// The dataset and every row id must have the form a report's provenance may have.
fn check(question: &Question) -> Result<(), Problem> {
    if question.rows.len() > ROWS_MAX {
        let detail = format!(
            "at most {ROWS_MAX} rows per request (this one has {})",
            question.rows.len()
        );
        return Err(Problem::bad_request("rows", detail));
    }
    let provenance = |row: &str| Provenance {
        dataset: question.dataset.clone(),
        row: row.to_string(),
        version: None,
    };
    truce_core::mechanism::report::validate_dataset(&question.dataset)
        .map_err(|reason| Problem::bad_request("dataset", format!("dataset: {reason}")))?;
    for (i, row) in question.rows.iter().enumerate() {
        if let Err(truce_core::FieldError { reason, .. }) = provenance(row).validate("") {
            let field = format!("rows[{i}]");
            return Err(Problem::bad_request(&field, format!("{field}: {reason}")));
        }
    }
    Ok(())
}
