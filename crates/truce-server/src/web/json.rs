//! Reading the API's JSON answers into page fields: a missing or mistyped value reads as
//! empty, since the pages show what the API answered and never fail on a field.

use serde_json::Value;

use super::lang::Lang;

/// The items of a JSON array (none if it is not one).
pub fn items(list: &Value) -> impl Iterator<Item = &Value> {
    list.as_array().into_iter().flatten()
}

/// A JSON string's text ("" if it is not one).
pub fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

/// An RFC 3339 time to the minute, in UTC, in the page's language.
pub fn minute(lang: Lang, value: &Value) -> String {
    super::dates::minute(lang, value.as_str().unwrap_or_default())
}
