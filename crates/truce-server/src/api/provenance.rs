//! `POST /api/v1/reports/provenance`: which rows of a dataset are already reports on the
//! log, for an importer's dry run and to skip them without submitting. Admission is what
//! keeps a row off the log twice (`LogState::admit`); this only saves the round trips.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use truce_core::mechanism::Provenance;
use truce_store::projection::{Arg, Column};

use crate::app::AppState;
use crate::problem::Problem;

/// The most row ids one request asks about (an importer asks in chunks).
pub const ROWS_MAX: usize = 10_000;
/// Row ids bound per query: well under both backends' limits on parameters.
const ROWS_PER_QUERY: usize = 500;

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
    let mut found = std::collections::HashMap::new();
    for chunk in question.rows.chunks(ROWS_PER_QUERY) {
        let placeholders: Vec<String> = (2..=chunk.len() + 1).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT provenance_row, idx, author FROM reports WHERE provenance_dataset = $1 \
             AND provenance_row IN ({})",
            placeholders.join(", ")
        );
        let mut args = vec![Arg::Text(question.dataset.clone())];
        args.extend(chunk.iter().map(|row| Arg::Text(row.clone())));
        let columns = [Column::Text, Column::Int, Column::Text];
        state
            .store
            .for_each_row(sql, &args, &columns, |row| {
                let claim = (row[1].to_json(), row[2].text().to_string());
                found.insert(row[0].text().to_string(), claim);
            })
            .await?;
    }
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
        if let Err((_, reason)) = provenance(row).validate("") {
            let field = format!("rows[{i}]");
            return Err(Problem::bad_request(&field, format!("{field}: {reason}")));
        }
    }
    Ok(())
}
