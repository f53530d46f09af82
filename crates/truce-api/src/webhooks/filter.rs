//! What a webhook asks for beyond the kinds: conditions on the entry, each a JSON Pointer
//! (RFC 6901) into the entry as the API shows it (`/kind`, `/author`, `/payload/...`) and
//! one test. An entry matches when every condition holds, so a commissioner can ask, say,
//! for reports that accuse one party and count at least one death:
//!
//! ```json
//! [{"path": "/payload/accused", "equals": "pk"},
//!  {"path": "/payload/casualties/killed/best", "at_least": 1}]
//! ```

use serde_json::{Value, json};

/// The most conditions one webhook may carry.
pub const CONDITIONS_MAX: usize = 16;
/// The longest pointer accepted.
const PATH_CHARS_MAX: usize = 200;

/// One condition on an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub path: String,
    pub test: Test,
}

/// What the value at a condition's path must be.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Equals(Value),
    OneOf(Vec<Value>),
    AtLeast(f64),
    AtMost(f64),
    StartsWith(String),
}

const TESTS: &str = "equals, one_of, at_least, at_most or starts_with";

impl Condition {
    /// Whether `entry` meets the condition. A path the entry lacks does not match.
    #[must_use]
    pub fn holds(&self, entry: &Value) -> bool {
        let Some(value) = entry.pointer(&self.path) else {
            return false;
        };
        match &self.test {
            Test::Equals(expected) => value == expected,
            Test::OneOf(options) => options.contains(value),
            Test::AtLeast(bound) => value.as_f64().is_some_and(|v| v >= *bound),
            Test::AtMost(bound) => value.as_f64().is_some_and(|v| v <= *bound),
            Test::StartsWith(prefix) => value.as_str().is_some_and(|v| v.starts_with(prefix)),
        }
    }

    /// The condition as the API shows it (and as it is stored).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let (name, value) = match &self.test {
            Test::Equals(v) => ("equals", v.clone()),
            Test::OneOf(vs) => ("one_of", Value::Array(vs.clone())),
            Test::AtLeast(n) => ("at_least", number(*n)),
            Test::AtMost(n) => ("at_most", number(*n)),
            Test::StartsWith(s) => ("starts_with", json!(s)),
        };
        json!({"path": self.path, name: value})
    }
}

/// A bound as it was most likely written: 1 rather than 1.0.
fn number(n: f64) -> Value {
    // Whole numbers this small convert exactly.
    #[allow(clippy::cast_possible_truncation)]
    if n.fract() == 0.0 && n.abs() < 1e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

/// Whether `entry` meets every condition.
#[must_use]
pub fn matches(conditions: &[Condition], entry: &Value) -> bool {
    conditions.iter().all(|c| c.holds(entry))
}

/// Reads the `filter` field: absent or null means no condition. Errors name the
/// condition's place, e.g. `filter[1].at_least: must be a number`.
pub fn parse(value: Option<&Value>) -> Result<Vec<Condition>, String> {
    let items = match value {
        None | Some(Value::Null) => return Ok(vec![]),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("filter: must be a list of conditions".into()),
    };
    if items.len() > CONDITIONS_MAX {
        return Err(format!(
            "filter: at most {CONDITIONS_MAX} conditions (got {})",
            items.len()
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| condition(item).map_err(|e| format!("filter[{i}]{e}")))
        .collect()
}

fn condition(item: &Value) -> Result<Condition, String> {
    let Value::Object(fields) = item else {
        return Err(": must be an object with a path and one test".into());
    };
    let path = match fields.get("path") {
        Some(Value::String(p)) if p.starts_with('/') && p.chars().count() <= PATH_CHARS_MAX => {
            p.clone()
        }
        _ => {
            return Err(format!(
                ".path: must be a JSON Pointer such as \"/payload/accused\" (at most {PATH_CHARS_MAX} characters)"
            ));
        }
    };
    let tests: Vec<(&String, &Value)> = fields.iter().filter(|(k, _)| *k != "path").collect();
    let [(name, value)] = tests.as_slice() else {
        return Err(format!(": must have exactly one test: {TESTS}"));
    };
    Ok(Condition {
        path,
        test: test(name, value)?,
    })
}

fn test(name: &str, value: &Value) -> Result<Test, String> {
    let number = |value: &Value| {
        value
            .as_f64()
            .ok_or_else(|| format!(".{name}: must be a number"))
    };
    match name {
        "equals" => Ok(Test::Equals(value.clone())),
        "one_of" => match value {
            Value::Array(options) if !options.is_empty() => Ok(Test::OneOf(options.clone())),
            _ => Err(".one_of: must be a non-empty list".into()),
        },
        "at_least" => Ok(Test::AtLeast(number(value)?)),
        "at_most" => Ok(Test::AtMost(number(value)?)),
        "starts_with" => value
            .as_str()
            .map(|s| Test::StartsWith(s.to_string()))
            .ok_or_else(|| ".starts_with: must be text".into()),
        other => Err(format!(".{other}: is not a test; use {TESTS}")),
    }
}

/// The conditions as stored and shown.
#[must_use]
pub fn to_json(conditions: &[Condition]) -> Value {
    Value::Array(conditions.iter().map(Condition::to_json).collect())
}

/// Reads conditions back from storage (written by [`to_json`], so they parse).
#[must_use]
pub fn from_stored(text: &str) -> Vec<Condition> {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| parse(Some(&v)).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Value {
        json!({"kind": "report.submitted", "author": "pk/liaison",
               "payload": {"accused": "af", "casualties": {"killed": {"best": 3}}}})
    }

    fn parsed(filter: &Value) -> Vec<Condition> {
        parse(Some(filter)).unwrap()
    }

    #[test]
    fn every_condition_must_hold() {
        let both = parsed(&json!([
            {"path": "/payload/accused", "equals": "af"},
            {"path": "/payload/casualties/killed/best", "at_least": 1}
        ]));
        assert!(matches(&both, &report()));
        let more = parsed(&json!([
            {"path": "/payload/accused", "equals": "af"},
            {"path": "/payload/casualties/killed/best", "at_least": 4}
        ]));
        assert!(!matches(&more, &report()));
        assert!(matches(&[], &report()));
    }

    #[test]
    fn each_test_decides() {
        let holds = |filter: Value| matches(&parsed(&filter), &report());
        assert!(holds(json!([{"path": "/author", "starts_with": "pk/"}])));
        assert!(!holds(json!([{"path": "/author", "starts_with": "af/"}])));
        assert!(holds(
            json!([{"path": "/payload/accused", "one_of": ["pk", "af"]}])
        ));
        assert!(!holds(
            json!([{"path": "/payload/accused", "one_of": ["pk"]}])
        ));
        assert!(holds(
            json!([{"path": "/payload/casualties/killed/best", "at_most": 3}])
        ));
        assert!(!holds(
            json!([{"path": "/payload/casualties/killed/best", "at_most": 2}])
        ));
        // A missing path, or a number test on text, does not match.
        assert!(!holds(
            json!([{"path": "/payload/nothing", "equals": null}])
        ));
        assert!(!holds(json!([{"path": "/payload/accused", "at_least": 0}])));
    }

    #[test]
    fn bad_conditions_are_named() {
        let error = |filter: Value| parse(Some(&filter)).unwrap_err();
        assert_eq!(error(json!({})), "filter: must be a list of conditions");
        assert!(error(json!([{"path": "payload", "equals": 1}])).starts_with("filter[0].path:"));
        assert!(
            error(json!([{"path": "/a", "equals": 1}, {"path": "/b"}]))
                .starts_with("filter[1]: must have exactly one test")
        );
        assert!(
            error(json!([{"path": "/a", "equals": 1, "at_most": 2}]))
                .starts_with("filter[0]: must have exactly one test")
        );
        assert_eq!(
            error(json!([{"path": "/a", "at_least": "1"}])),
            "filter[0].at_least: must be a number"
        );
        assert!(
            error(json!([{"path": "/a", "like": "x"}]))
                .starts_with("filter[0].like: is not a test")
        );
        assert!(error(json!([{"path": "/a", "one_of": []}])).starts_with("filter[0].one_of:"));
        let many = Value::Array(vec![json!({"path": "/a", "equals": 1}); CONDITIONS_MAX + 1]);
        assert!(error(many).starts_with("filter: at most 16 conditions"));
    }

    #[test]
    fn stored_conditions_read_back() {
        let conditions = parsed(&json!([
            {"path": "/payload/accused", "one_of": ["pk", "af"]},
            {"path": "/payload/casualties/killed/best", "at_least": 1}
        ]));
        let stored = to_json(&conditions).to_string();
        assert_eq!(from_stored(&stored), conditions);
        assert!(stored.contains(r#""at_least":1,"#), "{stored}");
    }
}
