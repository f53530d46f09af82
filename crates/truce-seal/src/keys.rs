//! X25519 keys: a custodian's long-term key, and a requester's key for one request.

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use hpke::{Deserializable as _, Kem as _, Serializable as _};
use rand_core::OsRng;
use zeroize::Zeroizing;

use crate::{Kem, SealError};

/// An X25519 private key. Kept on its holder's machine; never sent to a node.
pub struct SecretKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// An X25519 public key, as the log carries it (base64 of 32 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey([u8; 32]);

impl SecretKey {
    /// A fresh key from the operating system's randomness.
    #[must_use]
    pub fn generate() -> Self {
        let (secret, _) = Kem::gen_keypair(&mut OsRng);
        let mut bytes = Zeroizing::new([0u8; 32]);
        bytes.copy_from_slice(&secret.to_bytes());
        Self(bytes)
    }

    /// A key from 32 bytes (any 32 bytes are an X25519 private key): for keys derived
    /// from another secret, as the exercise derives its custodians'.
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// Reads the base64 form `to_base64` writes.
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let bytes = Zeroizing::new(
            BASE64
                .decode(text.trim())
                .map_err(|e| format!("not base64: {e}"))?,
        );
        let bytes: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| "an X25519 private key is 32 bytes".to_string())?;
        Ok(Self(Zeroizing::new(bytes)))
    }

    #[must_use]
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(BASE64.encode(self.0.as_ref()))
    }

    #[must_use]
    pub fn public(&self) -> PublicKey {
        let public = Kem::sk_to_pk(&self.to_hpke());
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&public.to_bytes());
        PublicKey(bytes)
    }

    pub(crate) fn to_hpke(&self) -> <Kem as hpke::Kem>::PrivateKey {
        <Kem as hpke::Kem>::PrivateKey::from_bytes(self.0.as_ref())
            .expect("any 32 bytes are an X25519 private key")
    }
}

impl PublicKey {
    /// Reads a key as the log carries it.
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let bytes = BASE64
            .decode(text.trim())
            .map_err(|e| format!("not base64: {e}"))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "an X25519 public key is 32 bytes".to_string())?;
        Ok(Self(bytes))
    }

    #[must_use]
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    pub(crate) fn to_hpke(self) -> Result<<Kem as hpke::Kem>::PublicKey, SealError> {
        <Kem as hpke::Kem>::PublicKey::from_bytes(&self.0)
            .map_err(|e| SealError::Hpke(format!("not an X25519 public key: {e}")))
    }
}
