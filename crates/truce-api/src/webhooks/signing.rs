//! Signing deliveries the Standard Webhooks way (standardwebhooks.com), so a receiver can
//! use any of its libraries: the headers `webhook-id`, `webhook-timestamp` and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with
//! the secret `whsec_<base64>` the subscriber was given once, when it subscribed.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;

const PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes.
#[must_use]
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    format!("{PREFIX}{}", STANDARD.encode(key))
}

/// The `webhook-signature` header's value for one attempt.
///
/// # Panics
/// Never for a secret made by [`new_secret`]; a stored secret that is not one is a bug.
#[must_use]
pub fn sign(secret: &str, id: &str, timestamp: u64, body: &[u8]) -> String {
    let key = secret
        .strip_prefix(PREFIX)
        .and_then(|k| STANDARD.decode(k).ok())
        .expect("secrets are made by new_secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes a key of any size");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in the Standard Webhooks specification, also computed independently
    /// with Python's hmac module.
    #[test]
    fn signs_as_the_specification_example() {
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_differ_and_sign() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert!(a.starts_with("whsec_") && a.len() == 6 + 44);
        assert_ne!(sign(&a, "m", 1, b"x"), sign(&b, "m", 1, b"x"));
    }
}
