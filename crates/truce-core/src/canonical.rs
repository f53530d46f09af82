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
    if serializes_the_same_plainly(&value, text) {
        return Ok(value);
    }
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

/// A fast path for the common case, which the log meets on every entry it admits and the
/// auditor and a rebuild on every entry they replay: `serde_json`'s compact output is
/// RFC 8785's too when every object key is ASCII (so UTF-8 and UTF-16 orders agree),
/// every integer is within 2^53 (beyond it RFC 8785 prints the nearest double), and every
/// other number is a non-integral double between 1e-5 and 1e16 in magnitude (where both
/// print the shortest round-trip digits in plain notation). Both escape strings alike.
/// Outside these, or if the texts differ, the full serializer decides. This relies on
/// `serde_json`'s maps being sorted (its `preserve_order` feature off, in the whole build):
/// `unsorted_keys_are_refused` fails if a dependency ever turns it on.
fn serializes_the_same_plainly(value: &Value, text: &str) -> bool {
    plain(value) && serde_json::to_string(value).is_ok_and(|plain| plain == text)
}

fn plain(value: &Value) -> bool {
    const EXACT_INTEGERS: u64 = 1 << 53;
    match value {
        Value::Null | Value::Bool(_) | Value::String(_) => true,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.unsigned_abs() <= EXACT_INTEGERS
            } else if let Some(u) = n.as_u64() {
                u <= EXACT_INTEGERS
            } else {
                n.as_f64()
                    .is_some_and(|f| f.fract() != 0.0 && (1e-5..1e16).contains(&f.abs()))
            }
        }
        Value::Array(items) => items.iter().all(plain),
        Value::Object(map) => map.iter().all(|(k, v)| k.is_ascii() && plain(v)),
    }
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

    proptest::proptest! {
        /// Whatever the fast path accepts, the full serializer writes identically.
        #[test]
        fn the_fast_path_accepts_only_canonical_text(value in json_value()) {
            for text in [serde_json::to_string(&value).unwrap(), to_canonical(&value)] {
                let parsed: Value = serde_json::from_str(&text).unwrap();
                if serializes_the_same_plainly(&parsed, &text) {
                    proptest::prop_assert_eq!(to_canonical(&parsed), text);
                }
            }
        }
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let number = prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            (-1e7..1e7f64).prop_map(Value::from),
            (-1e-3..1e-3f64).prop_map(Value::from),
            prop_oneof![
                Just(1e21),
                Just(1e-5),
                Just(1e-6),
                Just(1.5e-5),
                Just(100.0),
                Just(-0.0)
            ]
            .prop_map(Value::from),
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            number,
            any::<String>().prop_map(Value::from),
            "[\\\"\\u{0}-\\u{1f}\\u{7f}\\u{2028}a]{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(
                    prop_oneof![any::<String>(), "[a-z\\u{e000}\\u{fb33}\\u{1f600}]{0,3}"],
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn the_fast_path_declines_what_rfc8785_writes_otherwise() {
        for (text, canonical) in [
            ("[100.0]", "[100]"),
            ("[1e21]", "[1e+21]"),
            ("[9007199254740993]", "[9007199254740992]"),
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            assert!(!serializes_the_same_plainly(&value, text), "{text}");
            assert_eq!(to_canonical(&value), canonical);
            assert!(parse_canonical(text).is_err(), "{text}");
        }
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
