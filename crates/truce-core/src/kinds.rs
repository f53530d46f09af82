//! The kinds of entries this log knows, and their payloads.
//!
//! A kind is a name and a version; its payload is decoded strictly (unknown fields are
//! refused), so an entry means exactly one thing to every reader.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::genesis::Genesis;
use crate::keys::Role;
use crate::names::{DelegationId, KeyName};
use crate::rejection::{Rejection, RejectionCode, reject};

pub const GENESIS: &str = "log.genesis";
pub const KEY_REGISTERED: &str = "key.registered";
pub const KEY_REVOKED: &str = "key.revoked";

/// Every (kind, version) this log admits.
pub const KNOWN: &[(&str, u32)] = &[(GENESIS, 1), (KEY_REGISTERED, 1), (KEY_REVOKED, 1)];

/// A decoded payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Genesis(Box<Genesis>),
    KeyRegistered(KeyRegistration),
    KeyRevoked(KeyRevocation),
}

/// A delegation's root key registers one of its officers' keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRegistration {
    pub delegation: DelegationId,
    pub name: KeyName,
    pub role: Role,
    /// The new key's C2SP verifier key; its name must be `name`.
    pub vkey: String,
}

/// A key is withdrawn: entries it signs after this are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRevocation {
    pub name: KeyName,
    pub reason: String,
}

impl Body {
    /// Decodes `payload` as the given kind and version.
    pub fn decode(kind: &str, version: u32, payload: &Value) -> Result<Self, Rejection> {
        match (kind, version) {
            (GENESIS, 1) => Ok(Self::Genesis(Box::new(decode_payload(payload)?))),
            (KEY_REGISTERED, 1) => Ok(Self::KeyRegistered(decode_payload(payload)?)),
            (KEY_REVOKED, 1) => Ok(Self::KeyRevoked(decode_payload(payload)?)),
            _ if KNOWN.iter().any(|(k, _)| *k == kind) => reject(
                RejectionCode::UnknownKind,
                "version",
                format!("{kind} has no version {version}"),
            ),
            _ => reject(
                RejectionCode::UnknownKind,
                "kind",
                format!("{kind:?} is not a kind this log records"),
            ),
        }
    }
}

fn decode_payload<T: DeserializeOwned>(payload: &Value) -> Result<T, Rejection> {
    serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "payload".to_string()
        } else {
            format!("payload.{path}")
        };
        Rejection::new(RejectionCode::Malformed, field, e.into_inner().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_unknown_kind_is_refused_by_name() {
        let err = Body::decode("report.teleported", 1, &json!({})).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_str()),
            (RejectionCode::UnknownKind, "kind")
        );
    }

    #[test]
    fn an_unknown_version_of_a_known_kind_is_refused() {
        let err = Body::decode(KEY_REVOKED, 9, &json!({})).unwrap_err();
        assert_eq!(err.field, "version");
    }

    #[test]
    fn payload_errors_carry_the_path() {
        let payload = json!({"delegation": "pk", "name": "a/b", "role": "king", "vkey": "x"});
        let err = Body::decode(KEY_REGISTERED, 1, &payload).unwrap_err();
        assert_eq!(err.field, "payload.role", "{err}");
    }
}
