//! Custody of people's signing keys, and password hashing.
//!
//! A web user's Ed25519 key is held by the server sealed (ChaCha20-Poly1305) under a key
//! derived from their password (argon2id), and sealed again under each token they hold
//! (the key derived from the token, a 256-bit random secret, by SHA-256). The token itself
//! is stored only as its SHA-256. So the server at rest can sign for nobody: it signs only
//! while a request presents the person's token, and the entry says so (`custody: server`).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE_NO_PAD as BASE64URL};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

const SALT_BYTES: usize = 16;
/// argon2id's memory (KiB), passes and lanes: OWASP's recommended minimum for argon2id
/// (Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1), about 20 ms of one core per
/// check with the crate optimised. They are also the argon2 crate's defaults, but named
/// here so that a new version of the library cannot change them: keys sealed under a
/// password are derived with them and stored without them (a PHC string, by contrast,
/// records its own, so stronger settings later still verify old hashes). The login
/// throttle (`logins`) bounds how many checks run per second.
const ARGON2_MEMORY_KIB: u32 = 19_456;
const ARGON2_PASSES: u32 = 2;
const ARGON2_LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, Some(32))
        .expect("the argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}
const NONCE_BYTES: usize = 12;

/// A new token: 256 random bits, as URL-safe base64 (what the client keeps).
#[must_use]
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    BASE64URL.encode(bytes)
}

/// The stored id of a token: its SHA-256, hex. The token itself is never stored.
#[must_use]
pub fn token_id(token: &str) -> String {
    hex(&Sha256::new()
        .chain_update(b"truce token id\0")
        .chain_update(token)
        .finalize())
}

/// The argon2id PHC string of a password.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

/// Whether `password` matches the PHC string. With `phc` None (an unknown person) the
/// same work is done against a fixed hash, so timing does not tell who exists.
#[must_use]
pub fn verify_password(phc: Option<&str>, password: &str) -> bool {
    static DECOY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("decoy").expect("hashing works"));
    let known = phc.is_some();
    let phc = phc.unwrap_or(DECOY.as_str());
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let matches = argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    known && matches
}

/// Seals `secret` under a key derived from `password` (argon2id with a fresh salt).
pub fn seal_with_password(secret: &[u8], password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; SALT_BYTES];
    OsRng.fill_bytes(&mut salt);
    let key = password_key(password, &salt)?;
    Ok(seal(&key, secret, &salt))
}

/// Opens what [`seal_with_password`] sealed; None if the password is wrong.
#[must_use]
pub fn open_with_password(sealed: &str, password: &str) -> Option<Vec<u8>> {
    let bytes = BASE64.decode(sealed).ok()?;
    let salt = bytes.get(..SALT_BYTES)?;
    let key = password_key(password, salt).ok()?;
    open(&key, &bytes[SALT_BYTES..])
}

/// Seals `secret` under a key derived from `token`.
#[must_use]
pub fn seal_with_token(secret: &[u8], token: &str) -> String {
    seal(&token_key(token), secret, &[])
}

/// Opens what [`seal_with_token`] sealed; None if the token does not fit.
#[must_use]
pub fn open_with_token(sealed: &str, token: &str) -> Option<Vec<u8>> {
    let bytes = BASE64.decode(sealed).ok()?;
    open(&token_key(token), &bytes)
}

/// Seals `secret` under a 256-bit random `key` kept elsewhere (`webhooks::secrets`).
#[must_use]
pub fn seal_with_key(secret: &[u8], key: &[u8; 32]) -> String {
    seal(key, secret, &[])
}

/// Opens what [`seal_with_key`] sealed; None if the key does not fit.
#[must_use]
pub fn open_with_key(sealed: &str, key: &[u8; 32]) -> Option<Vec<u8>> {
    let bytes = BASE64.decode(sealed).ok()?;
    open(key, &bytes)
}

fn password_key(password: &str, salt: &[u8]) -> anyhow::Result<[u8; 32]> {
    let mut key = [0u8; 32];
    argon2()
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .map_err(|e| anyhow::anyhow!("deriving the sealing key: {e}"))?;
    Ok(key)
}

fn token_key(token: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"truce token sealing key\0")
        .chain_update(token)
        .finalize()
        .into()
}

/// `prefix || nonce || ciphertext`, base64.
fn seal(key: &[u8; 32], secret: &[u8], prefix: &[u8]) -> String {
    let mut nonce = [0u8; NONCE_BYTES];
    OsRng.fill_bytes(&mut nonce);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), secret)
        .expect("sealing a short secret cannot fail");
    let mut out = prefix.to_vec();
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    BASE64.encode(out)
}

fn open(key: &[u8; 32], bytes: &[u8]) -> Option<Vec<u8>> {
    let nonce = bytes.get(..NONCE_BYTES)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    cipher
        .decrypt(Nonce::from_slice(nonce), &bytes[NONCE_BYTES..])
        .ok()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN_KEY: &str = "7132e6a6028b7abb94eb36beb767146777cd7c75426211a827c8a7a5c50d7307";

    #[test]
    fn a_sealed_key_opens_only_with_its_password_or_token() {
        let sealed = seal_with_password(b"skey", "correct horse").unwrap();
        assert_eq!(
            open_with_password(&sealed, "correct horse").unwrap(),
            b"skey"
        );
        assert!(open_with_password(&sealed, "wrong horse").is_none());
        let token = new_token();
        let sealed = seal_with_token(b"skey", &token);
        assert_eq!(open_with_token(&sealed, &token).unwrap(), b"skey");
        assert!(open_with_token(&sealed, &new_token()).is_none());
    }

    #[test]
    fn the_sealing_key_is_derived_with_the_parameters_sealed_keys_were_made_with() {
        // A known answer: changing the argon2 parameters would leave every key sealed
        // under a password unopenable.
        let key = password_key("correct horse", &[7u8; SALT_BYTES]).unwrap();
        assert_eq!(hex(&key), KNOWN_KEY);
        let phc = hash_password("s3cret").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    }

    #[test]
    fn passwords_verify_and_unknown_people_never_do() {
        let phc = hash_password("s3cret").unwrap();
        assert!(verify_password(Some(&phc), "s3cret"));
        assert!(!verify_password(Some(&phc), "S3cret"));
        assert!(!verify_password(None, "decoy"));
    }
}
