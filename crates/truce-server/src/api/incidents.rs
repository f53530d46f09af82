//! Incidents: the list, and one incident with its reports and the parties' accounts side
//! by side, each with its own figures, never merged.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use truce_store::projection::{Arg, Column};

use super::entries::parse_index;
use super::listing::{Filter, known_parameters, newest_first, page_limit};
use crate::app::AppState;
use crate::problem::Problem;

const SELECT: &str =
    "SELECT idx, opened_by, signed_at, title, summary, accused, status FROM incidents";
const COLUMNS: &[Column] = &[
    Column::Int,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
];
pub(crate) const PARAMETERS: &[&str] = &["cursor", "limit", "party", "status"];

const LINKED_REPORTS: &str = concat!(
    "SELECT r.idx, r.author, r.delegation, r.signed_at, r.status, r.payload, ",
    super::report_places::geography_columns!(),
    " FROM reports r JOIN incident_reports l ON l.report_idx = r.idx WHERE l.incident_idx = $1 ORDER BY r.idx"
);
const STATEMENTS: &str = "SELECT idx, party, author, signed_at, kind, lang, text, payload, finding_idx \
    FROM statements WHERE incident_idx = $1 ORDER BY party, idx";
const STATEMENT_COLUMNS: &[Column] = &[
    Column::Int,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Int,
];

/// `GET /api/v1/incidents`: newest first.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Problem> {
    known_parameters(&query, PARAMETERS)?;
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    let mut filter = Filter::default();
    filter.cursor(&query)?;
    if let Some(party) = query.get("party") {
        // `accused` holds sorted ids joined by commas.
        filter.push(
            "(',' || accused || ',') LIKE ('%,' || $1 || ',%')",
            vec![Arg::Text(party.clone())],
        );
    }
    if let Some(status) = query.get("status") {
        filter.push("status = $1", vec![Arg::Text(status.clone())]);
    }
    let page = newest_first(&state, SELECT, COLUMNS, &filter, limit, incident).await?;
    Ok(Json(page))
}

/// `GET /api/v1/incidents/{index}`: the incident, its reports, and every party's account.
pub async fn get(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<Value>, Problem> {
    let index = parse_index("index", &index)?;
    let args = [super::rows::index_arg(index)];
    let mut found = None;
    state
        .store
        .for_each_row(format!("{SELECT} WHERE idx = $1"), &args, COLUMNS, |row| {
            found = Some(incident(&row));
        })
        .await?;
    let mut incident =
        found.ok_or_else(|| Problem::not_found(format!("entry {index} is not an incident")))?;
    let mut reports = vec![];
    state
        .store
        .for_each_row(
            LINKED_REPORTS.into(),
            &args,
            super::reports::COLUMNS,
            |row| reports.push(super::reports::item(&row)),
        )
        .await?;
    let mut accounts: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for party in incident["accused"].as_array().into_iter().flatten() {
        accounts
            .entry(party.as_str().unwrap_or_default().to_string())
            .or_default();
    }
    state
        .store
        .for_each_row(STATEMENTS.into(), &args, STATEMENT_COLUMNS, |row| {
            let (party, statement) = statement(&row);
            accounts.entry(party).or_default().push(statement);
        })
        .await?;
    incident["reports"] = Value::Array(reports);
    incident["investigations"] =
        super::rows::children(&state, "investigations", "incident_idx", index)
            .await?
            .into();
    let mut findings = super::rows::children(&state, "findings", "incident_idx", index).await?;
    findings
        .iter_mut()
        .for_each(super::workflow::annotate_finding);
    incident["findings"] = findings.into();
    incident["accounts"] = accounts
        .into_iter()
        .map(|(party, statements)| json!({"party": party, "statements": statements}))
        .collect();
    Ok(Json(incident))
}

fn incident(row: &[Arg]) -> Value {
    let accused: Vec<String> = row[5]
        .text()
        .split(',')
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    json!({
        "index": row[0].to_json(),
        "opened_by": row[1].text(),
        "signed_at": row[2].text(),
        "title": row[3].text(),
        "summary": row[4].text(),
        "accused": accused,
        "status": row[6].text(),
    })
}

fn statement(row: &[Arg]) -> (String, Value) {
    let payload: Value = serde_json::from_str(row[7].text()).unwrap_or(Value::Null);
    let value = json!({
        "index": row[0].to_json(),
        "author": row[2].text(),
        "signed_at": row[3].text(),
        "kind": row[4].text(),
        "lang": row[5].text(),
        "text": row[6].text(),
        "figures": payload["figures"],
        "sources": payload["sources"],
        "finding": row[8].to_json(),
    });
    (row[1].text().to_string(), value)
}
