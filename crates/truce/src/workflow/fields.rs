//! A payload under construction, and the parsers of the flags that fill it.
//!
//! The parsers only turn text into the shapes the payloads use (a casualty range, a graded
//! source, an enum's name); whether the values are acceptable is for the log to say.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use truce_core::mechanism::values::{Range, Source};
use truce_core::{Day, Timestamp};

use crate::Failure;

/// A JSON object payload, set field by field with dotted paths (`location.point.lat`).
pub struct Fields(Map<String, Value>);

impl Fields {
    /// Starts from `--payload` (which must be a JSON object), or from nothing.
    pub fn from_payload(arg: Option<&str>) -> Result<Self, Failure> {
        let Some(arg) = arg else {
            return Ok(Self(Map::new()));
        };
        match crate::submit::read_payload(arg)? {
            Value::Object(map) => Ok(Self(map)),
            _ => Err(Failure::usage(anyhow::anyhow!(
                "--payload: must be a JSON object"
            ))),
        }
    }

    /// Sets the field at `path`, creating the objects on the way.
    pub fn set(&mut self, path: &str, value: impl Serialize) {
        let value = serde_json::to_value(value).expect("flag values serialize to JSON");
        let (parents, name) = path.rsplit_once('.').unwrap_or(("", path));
        let mut object = &mut self.0;
        for part in parents.split('.').filter(|p| !p.is_empty()) {
            let child = object
                .entry(part)
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            object = child.as_object_mut().expect("made an object above");
        }
        object.insert(name.to_string(), value);
    }

    /// Sets the field if a flag gave it.
    pub fn some(&mut self, path: &str, value: Option<impl Serialize>) {
        if let Some(value) = value {
            self.set(path, value);
        }
    }

    /// Sets a list field if its flag was given at least once.
    pub fn list<T: Serialize>(&mut self, path: &str, values: &[T]) {
        if !values.is_empty() {
            self.set(path, values);
        }
    }

    /// Sets the field to `value` unless the payload or a flag already gave it.
    pub fn or(&mut self, path: &str, value: impl Serialize) {
        if self.get(path).is_none() {
            self.set(path, value);
        }
    }

    fn get(&self, path: &str) -> Option<&Value> {
        let mut parts = path.split('.');
        let first = self.0.get(parts.next()?)?;
        parts.try_fold(first, |value, part| value.get(part))
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// A casualty range: `N` (known exactly) or `LOW,BEST,HIGH`.
pub fn range(text: &str) -> Result<Range, String> {
    let numbers: Vec<u32> = text
        .split(',')
        .map(|n| n.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{e}; give N or LOW,BEST,HIGH"))?;
    match numbers[..] {
        [n] => Ok(Range {
            low: n,
            best: n,
            high: n,
        }),
        [low, best, high] => Ok(Range { low, best, high }),
        _ => Err("give N or LOW,BEST,HIGH".into()),
    }
}

/// A source graded on the Admiralty scale: `B2:name` (reliability A-F, credibility 1-6).
pub fn source(text: &str) -> Result<Source, String> {
    let shape = "give GRADE:NAME, e.g. B2:JMT field team";
    let (grade, name) = text.split_once(':').ok_or(shape)?;
    let mut chars = grade.chars();
    let reliability = chars.next().ok_or(shape)?.to_string();
    let credibility = chars.as_str().parse::<u8>().map_err(|_| shape)?;
    Ok(Source {
        credibility,
        name: name.trim().to_string(),
        reliability: named(&reliability)?,
    })
}

/// One of an enum's names as the payloads spell it (`access_denied`, `concur`, `B`).
pub fn named<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(Value::String(text.to_string())).map_err(|e| e.to_string())
}

/// An RFC 3339 time in UTC.
pub fn time(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text)
}

/// A whole day, `YYYY-MM-DD`.
pub fn day(text: &str) -> Result<Day, String> {
    Day::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_replace_the_payloads_fields_and_defaults_fill_only_gaps() {
        let mut fields =
            Fields::from_payload(Some(r#"{"title":"a","location":{"place":"x"}}"#)).unwrap();
        fields.set("title", "b");
        fields.set("location.point.lat", 1.5);
        fields.or("location.place", "default");
        fields.or("summary", "");
        assert_eq!(
            fields.into_value(),
            json!({"title":"b","summary":"","location":{"place":"x","point":{"lat":1.5}}})
        );
    }

    #[test]
    fn a_range_is_one_number_or_three() {
        assert_eq!(
            range("46").map(|r| (r.low, r.best, r.high)),
            Ok((46, 46, 46))
        );
        assert_eq!(
            range("40, 46,70").map(|r| (r.low, r.best, r.high)),
            Ok((40, 46, 70))
        );
        assert!(range("1,2").is_err());
        assert!(range("many").is_err());
    }

    #[test]
    fn a_source_is_its_admiralty_grade_and_name() {
        let parsed = source("B2:Exercise: JMT field team").unwrap();
        assert_eq!(
            serde_json::to_value(parsed).unwrap(),
            json!({"credibility":2,"name":"Exercise: JMT field team","reliability":"B"})
        );
        assert!(source("JMT field team").is_err());
        assert!(source("Z2:x").is_err());
    }
}
