//! The two pieces every part of the API description uses: a reference to a named schema,
//! and a problem answer.

use serde_json::{Value, json};

/// A reference to the schema `name` of the description's components.
pub fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// An answer that is an RFC 9457 problem, described as `description`.
pub fn problem(description: &str) -> Value {
    json!({"description": description, "content": {"application/problem+json": {"schema": reference("Problem")}}})
}
