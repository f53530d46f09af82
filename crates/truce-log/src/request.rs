//! Requests signed by an officer's key, for what a bearer token is not asked for: the
//! sealed testimony files, which their holders fetch from the command line with the key
//! they sign entries with. The signature covers the log's origin, the method, the path and
//! the time, so a proof is good for one resource on one log for a few minutes.
//!
//! Headers: `Truce-Key` (the key's name), `Truce-Time` (Unix seconds) and
//! `Truce-Signature` (base64 Ed25519 over [`message`]).

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use truce_core::KeyRecord;

use crate::KeyPair;

pub const KEY_HEADER: &str = "truce-key";
pub const TIME_HEADER: &str = "truce-time";
pub const SIGNATURE_HEADER: &str = "truce-signature";
/// How far a request's time may be from the node's clock, either way.
pub const SKEW_S: i64 = 300;

/// The text a request's signature covers.
#[must_use]
pub fn message(origin: &str, method: &str, path: &str, unix_s: i64) -> Vec<u8> {
    format!("truce signed request v1\n{origin}\n{method} {path}\n{unix_s}\n").into_bytes()
}

/// The three header values for a request by `key`.
#[must_use]
pub fn sign(key: &KeyPair, origin: &str, method: &str, path: &str, unix_s: i64) -> [String; 3] {
    let signature = key.signature(&message(origin, method, path, unix_s));
    [
        key.name().to_string(),
        unix_s.to_string(),
        BASE64.encode(signature.signature()),
    ]
}

/// Checks a request's signature by `key` and its time against `now_s`.
pub fn verify(
    key: &KeyRecord,
    origin: &str,
    method: &str,
    path: &str,
    (time, signature): (&str, &str),
    now_s: i64,
) -> Result<(), String> {
    let unix_s: i64 = time
        .parse()
        .map_err(|_| format!("{TIME_HEADER} must be Unix seconds"))?;
    if (unix_s - now_s).abs() > SKEW_S {
        return Err(format!(
            "{TIME_HEADER} is more than {SKEW_S} s from the node's clock"
        ));
    }
    let bytes = BASE64
        .decode(signature)
        .map_err(|_| format!("{SIGNATURE_HEADER} must be base64"))?;
    let signature = ed25519_dalek::Signature::from_slice(&bytes)
        .map_err(|_| format!("{SIGNATURE_HEADER} is not an Ed25519 signature"))?;
    key.public_key
        .verify_strict(&message(origin, method, path, unix_s), &signature)
        .map_err(|_| format!("{SIGNATURE_HEADER} does not verify with {}", key.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_core::{DelegationId, Role};

    #[test]
    fn a_signed_request_verifies_for_its_path_only() {
        let key = KeyPair::generate("example.org/jmt/monitor-1").unwrap();
        let record = KeyRecord::new(
            &key.vkey(),
            Role::Monitor,
            DelegationId::parse("jmt").unwrap(),
            1,
        )
        .unwrap();
        let [_, time, sig] = sign(&key, "example.org", "GET", "/api/v1/sealed/ab", 1000);
        let ok = verify(
            &record,
            "example.org",
            "GET",
            "/api/v1/sealed/ab",
            (&time, &sig),
            1010,
        );
        assert!(ok.is_ok());
        let other = verify(
            &record,
            "example.org",
            "GET",
            "/api/v1/sealed/cd",
            (&time, &sig),
            1010,
        );
        assert!(other.is_err());
        let late = verify(
            &record,
            "example.org",
            "GET",
            "/api/v1/sealed/ab",
            (&time, &sig),
            2000,
        );
        assert!(late.is_err());
    }
}
