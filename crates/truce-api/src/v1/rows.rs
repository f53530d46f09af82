//! The JSON Schemas of projection rows, derived from the table's own column list as the
//! read model's rows answer them: `idx` becomes `index`, comma-joined delegation lists
//! become arrays, JSON columns are parsed.

use serde_json::{Map, Value};
use truce_store::projection::{Arg, Column, TABLES, Table};

/// Columns holding comma-joined ids, answered as arrays.
pub const LIST_COLUMNS: &[&str] = &[
    "awaiting",
    "concur",
    "corroborating",
    "dissent",
    "monitors",
    "participants",
    "signatures",
];
/// Columns holding JSON, answered parsed.
pub const JSON_COLUMNS: &[&str] = &["aliases", "measures", "provisions", "tasks"];

pub fn table(name: &str) -> &'static Table {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .expect("a projection table")
}

pub fn index_arg(index: u64) -> Arg {
    Arg::Int(i64::try_from(index).unwrap_or(i64::MAX))
}

/// The JSON Schema of `table`'s rows as the read model (`truce_store::read`) answers them: the API description is
/// derived from the same column list as the answers, so the two cannot drift apart.
pub fn schema(table: &Table) -> Value {
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
