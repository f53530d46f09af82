//! RFC 8785 (JSON Canonicalization Scheme) for signed payloads.
//!
//! An entry's text must already be canonical: the log refuses rather than re-encodes, so
//! the bytes an author signed are exactly the bytes everyone hashes.

use serde_json::Value;

use crate::rejection::{Rejection, RejectionCode, reject};

/// Serializes a JSON value in RFC 8785 canonical form.
#[must_use]
pub fn to_canonical(value: &Value) -> String {
    // Serializing a serde_json::Value cannot fail: it has no non-string map keys and no
    // non-finite numbers.
    serde_json_canonicalizer::to_string(value).expect("a JSON value always canonicalizes")
}

/// Parses `text` as JSON and checks that it is byte-for-byte in canonical form.
pub fn parse_canonical(text: &str) -> Result<Value, Rejection> {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return reject(RejectionCode::Malformed, "text", format!("not JSON: {e}")),
    };
    let canonical = to_canonical(&value);
    if canonical != text {
        let at = first_difference(&canonical, text);
        return reject(
            RejectionCode::NotCanonical,
            "text",
            format!("JSON is not in RFC 8785 canonical form (first difference at byte {at})"),
        );
    }
    Ok(value)
}

fn first_difference(a: &str, b: &str) -> usize {
    a.bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.len().min(b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_is_accepted() {
        assert!(parse_canonical(r#"{"a":1,"b":[true,null,"x"]}"#).is_ok());
    }

    #[test]
    fn unsorted_keys_are_refused() {
        let err = parse_canonical(r#"{"b":1,"a":2}"#).unwrap_err();
        assert_eq!(err.code, RejectionCode::NotCanonical);
        assert!(err.reason.contains("byte 2"), "{err}");
    }

    #[test]
    fn whitespace_is_refused() {
        let err = parse_canonical(r#"{"a": 1}"#).unwrap_err();
        assert_eq!(err.code, RejectionCode::NotCanonical);
    }

    #[test]
    fn numbers_must_be_in_shortest_form() {
        assert_eq!(
            parse_canonical(r#"{"a":1.0}"#).unwrap_err().code,
            RejectionCode::NotCanonical
        );
        assert_eq!(
            parse_canonical(r#"{"a":1e3}"#).unwrap_err().code,
            RejectionCode::NotCanonical
        );
    }

    #[test]
    fn non_json_is_malformed() {
        assert_eq!(
            parse_canonical("{").unwrap_err().code,
            RejectionCode::Malformed
        );
    }

    #[test]
    fn rfc8785_sorts_keys_by_utf16_code_units() {
        // U+FB33 is 0xFB33 in UTF-16 but U+1F600 is the surrogate pair 0xD83D 0xDE00, so
        // RFC 8785 (which compares UTF-16 code units) puts the emoji first, although its
        // UTF-8 bytes (F0 ..) sort after those of U+FB33 (EF ..).
        let value: Value = serde_json::from_str("{\"\u{fb33}\":1,\"\u{1f600}\":2}").unwrap();
        assert_eq!(to_canonical(&value), "{\"\u{1f600}\":2,\"\u{fb33}\":1}");
    }
}
