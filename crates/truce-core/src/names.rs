//! Names that appear on the record: key names and delegation ids.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest key name accepted, in bytes.
pub const KEY_NAME_BYTES_MAX: usize = 128;

/// The name of a signing key, as it appears in signature lines and verifier keys.
///
/// C2SP signed-note only forbids spaces and `+`; Truce also keeps names to printable ASCII
/// letters, digits and `._:/-` so that two names that look alike are alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KeyName(String);

impl KeyName {
    pub fn parse(name: impl Into<String>) -> Result<Self, String> {
        let name = name.into();
        if name.is_empty() {
            return Err("a key name must not be empty".into());
        }
        if name.len() > KEY_NAME_BYTES_MAX {
            return Err(format!(
                "a key name must be at most {KEY_NAME_BYTES_MAX} bytes"
            ));
        }
        if let Some(c) = name.chars().find(|c| !is_key_name_char(*c)) {
            return Err(format!(
                "a key name may hold only ASCII letters, digits and ._:/- (found {c:?})"
            ));
        }
        Ok(Self(name))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_key_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '-')
}

impl TryFrom<String> for KeyName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<KeyName> for String {
    fn from(value: KeyName) -> Self {
        value.0
    }
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The short id of a delegation (`pk`, `af`, `tr`, `qa`, `jmt`): lowercase letters, digits
/// and `-`, at most 32 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DelegationId(String);

impl DelegationId {
    pub fn parse(id: impl Into<String>) -> Result<Self, String> {
        let id = id.into();
        let valid_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if id.is_empty() || id.len() > 32 || !id.chars().all(valid_char) {
            return Err(format!(
                "a delegation id is 1 to 32 lowercase letters, digits or '-' (got {id:?})"
            ));
        }
        Ok(Self(id))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DelegationId {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<DelegationId> for String {
    fn from(value: DelegationId) -> Self {
        value.0
    }
}

impl fmt::Display for DelegationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_key_names_parse() {
        assert!(KeyName::parse("pk-af-2025/pk/liaison-1").is_ok());
    }

    #[test]
    fn key_names_with_spaces_plus_or_lookalikes_are_refused() {
        for bad in ["", "a b", "a+b", "pаk", "a\u{2014}b"] {
            assert!(KeyName::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(KeyName::parse("x".repeat(129)).is_err());
    }

    #[test]
    fn delegation_ids_are_short_lowercase_slugs() {
        assert!(DelegationId::parse("pk").is_ok());
        assert!(DelegationId::parse("PK").is_err());
        assert!(DelegationId::parse("").is_err());
    }
}
