//! RFC 8785 (JSON Canonicalization Scheme) for signed payloads.
//!
//! An entry's text must already be canonical: the log refuses rather than re-encodes, so
//! the bytes an author signed are exactly the bytes everyone hashes.

mod scan;

use serde_json::Value;

pub(crate) use scan::is_plainly_canonical;

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
    if is_plainly_canonical(text) {
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
    fn a_repeated_key_is_refused() {
        let text = r#"{"a":1,"a":1}"#;
        assert!(!is_plainly_canonical(text));
        assert_eq!(
            parse_canonical(text).unwrap_err().code,
            RejectionCode::NotCanonical
        );
    }

    #[test]
    fn the_fast_path_stops_at_serde_jsons_depth_without_exhausting_the_stack() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(is_plainly_canonical(&nested(127)));
        assert!(serde_json::from_str::<Value>(&nested(127)).is_ok());
        assert!(!is_plainly_canonical(&nested(128)));
        assert!(serde_json::from_str::<Value>(&nested(128)).is_err());
        assert!(!is_plainly_canonical(&"[".repeat(1_000_000)));
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
                if is_plainly_canonical(&text) {
                    let parsed: Value = serde_json::from_str(&text).unwrap();
                    proptest::prop_assert_eq!(to_canonical(&parsed), text);
                }
            }
        }

        /// Canonical text with one byte inserted, removed or replaced: the fast path
        /// accepts it only if it is still JSON the full serializer writes identically.
        #[test]
        fn the_fast_path_refuses_near_misses(
            value in json_value(),
            at in 0usize..256,
            edit in 0u8..3,
            byte in proptest::sample::select(b" \t\"\\/{}[]:,.-+eE0159aftnu\x7f".to_vec()),
        ) {
            let mut text = to_canonical(&value).into_bytes();
            let at = at % (text.len() + 1);
            match edit {
                0 => text.insert(at, byte),
                1 if at < text.len() => { text.remove(at); }
                _ if at < text.len() => text[at] = byte,
                _ => text.push(byte),
            }
            if let Ok(text) = String::from_utf8(text)
                && is_plainly_canonical(&text)
            {
                let parsed: Value = serde_json::from_str(&text)
                    .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{text}: {e}")))?;
                proptest::prop_assert_eq!(to_canonical(&parsed), text);
            }
        }

        /// The fast path takes what the log meets every day: serde_json's compact output
        /// of plain values, which RFC 8785 writes identically.
        #[test]
        fn the_fast_path_takes_plain_values(value in plain_value()) {
            let text = to_canonical(&value);
            proptest::prop_assert_eq!(serde_json::to_string(&value).unwrap(), text.clone());
            proptest::prop_assert!(is_plainly_canonical(&text), "{}", text);
        }
    }

    /// Values in the subset the fast path reads: ASCII keys without escapes, integers
    /// within 2^53, non-integral doubles between 1e-5 and 1e16 in magnitude, any string.
    fn plain_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        const EXACT: i64 = 1 << 53;
        let fraction = (1e-5..1e16f64, any::<bool>())
            .prop_filter("non-integral", |(f, _)| f.fract() != 0.0)
            .prop_map(|(f, negative)| Value::from(if negative { -f } else { f }));
        let number = prop_oneof![(-EXACT..=EXACT).prop_map(Value::from), fraction];
        nested(number, "[ !#-\\[\\]-~]{0,6}".boxed())
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
        let key = prop_oneof![any::<String>(), "[a-z\\u{e000}\\u{fb33}\\u{1f600}]{0,3}"];
        nested(number, key.boxed())
    }

    /// Arrays and objects (keys from `key`) of up to three levels over `number`s, null,
    /// booleans and strings (any, and short ones of the characters escaping is about).
    fn nested(
        number: impl proptest::strategy::Strategy<Value = Value> + 'static,
        key: proptest::strategy::BoxedStrategy<String>,
    ) -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            number,
            any::<String>().prop_map(Value::from),
            "[\\\\\"\\u{0}-\\u{1f}\\u{7f}\\u{2028}a]{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(key.clone(), inner, 0..4)
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
            assert!(!is_plainly_canonical(text), "{text}");
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
