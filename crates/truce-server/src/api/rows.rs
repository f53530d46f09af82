//! Projection rows as JSON objects, named by the table's own column list, so a new
//! column needs no hand-written mapping: `idx` becomes `index`, comma-joined delegation
//! lists become arrays, JSON columns are parsed.

use serde_json::{Map, Value};
use truce_store::projection::{Arg, Column, TABLES, Table};

use super::listing::Filter;
use crate::app::AppState;
use crate::problem::Problem;

/// Columns holding comma-joined ids, answered as arrays.
pub(crate) const LIST_COLUMNS: &[&str] = &[
    "awaiting",
    "concur",
    "dissent",
    "monitors",
    "participants",
    "signatures",
];
/// Columns holding JSON, answered parsed.
pub(crate) const JSON_COLUMNS: &[&str] = &["aliases", "measures", "provisions", "tasks"];

pub(crate) fn table(name: &str) -> &'static Table {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .expect("a projection table")
}

/// Rows of `table` matching `filter`, in `order` (an SQL ORDER BY and LIMIT tail).
pub(crate) async fn select(
    state: &AppState,
    table: &Table,
    filter: &Filter,
    order: &str,
) -> Result<Vec<Value>, Problem> {
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let types: Vec<Column> = table.columns.iter().map(|(_, column)| *column).collect();
    let sql = format!(
        "SELECT {} FROM {}{} {order}",
        names.join(", "),
        table.name,
        filter.where_clause()
    );
    let mut items = vec![];
    state
        .store
        .for_each_row(sql, &filter.args, &types, |row| {
            items.push(object(&names, &row));
        })
        .await?;
    Ok(items)
}

/// The rows of `table` whose `column` equals `index`, oldest first.
pub(crate) async fn children(
    state: &AppState,
    table: &str,
    column: &str,
    index: u64,
) -> Result<Vec<Value>, Problem> {
    let mut filter = Filter::default();
    filter.push(&format!("{column} = $1"), vec![index_arg(index)]);
    select(state, self::table(table), &filter, "ORDER BY idx").await
}

/// The one row of `table` at `index`, or 404 naming what was expected.
pub(crate) async fn one(
    state: &AppState,
    table: &str,
    index: u64,
    what: &str,
) -> Result<Value, Problem> {
    let mut filter = Filter::default();
    filter.push("idx = $1", vec![index_arg(index)]);
    select(state, self::table(table), &filter, "")
        .await?
        .pop()
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not {what}")))
}

pub(crate) fn index_arg(index: u64) -> Arg {
    Arg::Int(i64::try_from(index).unwrap_or(i64::MAX))
}

fn object(names: &[&str], row: &[Arg]) -> Value {
    let mut object = Map::new();
    for (name, value) in names.iter().zip(row) {
        let key = if *name == "idx" { "index" } else { name };
        object.insert(key.to_string(), field(name, value));
    }
    Value::Object(object)
}

fn field(name: &str, value: &Arg) -> Value {
    match value {
        Arg::Text(text) if LIST_COLUMNS.contains(&name) => text
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect(),
        Arg::Text(text) if JSON_COLUMNS.contains(&name) => {
            serde_json::from_str(text).unwrap_or(Value::Null)
        }
        Arg::Text(text) if name == "replied" => text
            .split(',')
            .filter_map(|pair| pair.split_once(':'))
            .map(|(party, at)| serde_json::json!({"party": party, "index": at.parse::<u64>().ok()}))
            .collect(),
        other => other.to_json(),
    }
}

/// The JSON Schema of `table`'s rows as [`select`] answers them: the API description is
/// derived from the same column list as the answers, so the two cannot drift apart.
pub(crate) fn schema(table: &Table) -> Value {
    let mut properties = Map::new();
    for (name, column) in table.columns {
        let key = if *name == "idx" { "index" } else { name };
        let schema = if LIST_COLUMNS.contains(name) {
            serde_json::json!({"type": "array", "items": {"type": "string"}})
        } else if JSON_COLUMNS.contains(name) {
            serde_json::json!({})
        } else if *name == "replied" {
            serde_json::json!({"type": "array", "items": {"type": "object",
                "properties": {"party": {"type": "string"}, "index": {"type": ["integer", "null"]}}}})
        } else if *name == "idx" {
            serde_json::json!({"type": "integer", "minimum": 0})
        } else {
            // Columns may be NULL where the record leaves them out.
            let kind = match column {
                Column::Int => "integer",
                Column::Real => "number",
                Column::Text => "string",
            };
            serde_json::json!({"type": [kind, "null"]})
        };
        properties.insert(key.to_string(), schema);
    }
    let required: Vec<&str> = table
        .columns
        .iter()
        .map(|(name, _)| if *name == "idx" { "index" } else { name })
        .collect();
    serde_json::json!({"type": "object", "properties": properties, "required": required})
}
