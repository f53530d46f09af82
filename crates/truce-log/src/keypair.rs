//! Ed25519 key pairs in the C2SP/Go note formats (`PRIVATE+KEY+<name>+<id>+<base64>` and
//! verifier keys), and signing of note texts.

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use ed25519_dalek::{Signer as _, SigningKey};
use rand_core::OsRng;
use signed_note::{Note, Signature};
use truce_core::KeyName;

/// A named Ed25519 signing key.
#[derive(Clone)]
pub struct KeyPair {
    name: KeyName,
    signing: SigningKey,
    key_id: u32,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the private key.
        f.debug_struct("KeyPair")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not a private key: expected PRIVATE+KEY+<name>+<id>+<base64>")]
    Format,
    #[error("the key id does not match the key")]
    KeyId,
    #[error("only Ed25519 keys (type 0x01) are supported")]
    Algorithm,
    #[error("invalid key name: {0}")]
    Name(String),
}

impl KeyPair {
    /// Generates a fresh key from the operating system's randomness.
    pub fn generate(name: &str) -> Result<Self, KeyError> {
        let name = KeyName::parse(name).map_err(KeyError::Name)?;
        Ok(Self::from_signing_key(
            name,
            SigningKey::generate(&mut OsRng),
        ))
    }

    /// A key derived from a 32-byte seed: for reproducible test fixtures only.
    #[must_use]
    pub fn from_seed(name: &KeyName, seed: [u8; 32]) -> Self {
        Self::from_signing_key(name.clone(), SigningKey::from_bytes(&seed))
    }

    fn from_signing_key(name: KeyName, signing: SigningKey) -> Self {
        let key_id = signed_note::key_id(name.as_str(), &Self::public_with_type(&signing));
        Self {
            name,
            signing,
            key_id,
        }
    }

    fn public_with_type(signing: &SigningKey) -> Vec<u8> {
        [&[1u8][..], signing.verifying_key().as_bytes()].concat()
    }

    /// Parses a private key in the Go note format.
    pub fn from_skey(skey: &str) -> Result<Self, KeyError> {
        let rest = skey
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(KeyError::Format)?;
        // Base64 may contain '+', so only the first two '+' separate fields.
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(key64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(KeyError::Format);
        };
        let bytes = BASE64.decode(key64).map_err(|_| KeyError::Format)?;
        let (&alg, seed) = bytes.split_first().ok_or(KeyError::Format)?;
        if alg != 1 {
            return Err(KeyError::Algorithm);
        }
        let seed: [u8; 32] = seed.try_into().map_err(|_| KeyError::Format)?;
        let name = KeyName::parse(name).map_err(KeyError::Name)?;
        let pair = Self::from_signing_key(name, SigningKey::from_bytes(&seed));
        if u32::from_str_radix(id, 16).ok() != Some(pair.key_id) || id.len() != 8 {
            return Err(KeyError::KeyId);
        }
        Ok(pair)
    }

    /// The private key in the Go note format. Handle with care.
    #[must_use]
    pub fn to_skey(&self) -> String {
        let private = [&[1u8][..], self.signing.as_bytes()].concat();
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(private)
        )
    }

    /// The C2SP verifier key.
    #[must_use]
    pub fn vkey(&self) -> String {
        signed_note::new_ed25519_verifier_key(self.name.as_str(), &self.signing.verifying_key())
    }

    #[must_use]
    pub fn name(&self) -> &KeyName {
        &self.name
    }

    #[must_use]
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The signature line's parsed form over `text`.
    #[must_use]
    pub fn signature(&self, text: &[u8]) -> Signature {
        let sig = self.signing.sign(text).to_bytes().to_vec();
        Signature::new(self.name.to_string(), self.key_id, sig).expect("key names are valid")
    }

    /// Signs a note text (which must end in a newline) with this key alone.
    #[must_use]
    pub fn sign_note(&self, text: &[u8]) -> Vec<u8> {
        sign_note(text, &[self])
    }
}

/// Signs a note text with several keys, in the given order.
#[must_use]
pub fn sign_note(text: &[u8], keys: &[&KeyPair]) -> Vec<u8> {
    let signatures: Vec<Signature> = keys.iter().map(|k| k.signature(text)).collect();
    Note::new(text, &signatures)
        .expect("note text is valid UTF-8 without control characters and ends in a newline")
        .to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_key_round_trips_through_its_text() {
        let pair = KeyPair::generate("demo/pk/liaison-1").unwrap();
        let again = KeyPair::from_skey(&pair.to_skey()).unwrap();
        assert_eq!(pair.vkey(), again.vkey());
    }

    #[test]
    fn a_note_signed_here_verifies_with_signed_note() {
        let pair = KeyPair::generate("example.com/foo").unwrap();
        let note = pair.sign_note(b"hello\n");
        let verifier = signed_note::StandardVerifier::new(&pair.vkey()).unwrap();
        let known = signed_note::VerifierList::new(vec![Box::new(verifier)]);
        Note::from_bytes(&note).unwrap().verify(&known).unwrap();
    }

    #[test]
    fn a_private_key_with_a_wrong_id_is_refused() {
        let pair = KeyPair::generate("a").unwrap();
        let skey = pair.to_skey();
        let id = format!("{:08x}", pair.key_id());
        let wrong = skey.replace(&id, "00000000");
        assert!(matches!(KeyPair::from_skey(&wrong), Err(KeyError::KeyId)));
    }
}
