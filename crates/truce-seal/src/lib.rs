//! Sealed testimony, as the monitor's machine seals it and the requester's machine opens it.
//!
//! A testimony's sealed part is encrypted (ChaCha20-Poly1305) under a fresh 256-bit data
//! key. The key is split by Shamir's scheme over GF(256) (`vsss-rs`) according to the
//! agreement's [`TestimonyPolicy`], and each custodian's shares are sealed to their X25519
//! key with HPKE (RFC 9180, `hpke`). The node stores only these ciphertexts; the log holds
//! their hashes. To open a testimony, custodians each open their share on their own
//! machine and seal it again to the requester's key for that request ([`release`]); the
//! requester combines enough of them ([`recover`]) and decrypts ([`open`]).
//!
//! A policy of "`threshold` approvals, at least `at_least[d]` from delegation `d`" is built
//! from plain threshold splits: the key is split into one part per rule, all of which are
//! needed ("all of n" is a threshold split too); the first part is shared `threshold`-of-all
//! among every custodian, and each delegation's part `at_least[d]`-of-its custodians among
//! that delegation's. A rule needing one approval gives each of its custodians the part
//! itself. No cryptography is written here: the splits, HPKE and the AEAD are the crates'.

mod content;
mod keys;
mod split;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hpke::{Deserializable as _, OpModeR, OpModeS, Serializable as _};
use rand_core::{CryptoRng, OsRng, RngCore};
use sha2::{Digest, Sha256};
use truce_core::mechanism::TestimonyPolicy;
use truce_core::names::DelegationId;
use zeroize::Zeroizing;

pub use content::{SEALED_BYTES_MAX, SealedFileContent, SealedPart};
pub use keys::{PublicKey, SecretKey};
pub use split::{Bundle, Part};

type Kem = hpke::kem::X25519HkdfSha256;
type Kdf = hpke::kdf::HkdfSha256;
type Aead256 = hpke::aead::ChaCha20Poly1305;

/// HPKE `info` for a share sealed to its custodian, and for one released to a requester.
const SHARE_INFO: &[u8] = b"truce testimony share v1";
const RELEASED_INFO: &[u8] = b"truce testimony released share v1";
/// Associated data of the sealed part itself.
const SEALED_AAD: &[u8] = b"truce sealed testimony v1";
const NONCE_BYTES: usize = 12;
/// An X25519 encapsulated key's length, the first bytes of every sealed share.
const ENCAPPED_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("{0}")]
    Policy(String),
    #[error("the threshold split failed: {0}")]
    Split(String),
    #[error("sealing to a key failed: {0}")]
    Hpke(String),
    #[error("this share does not open with this key, or was altered")]
    WrongKey,
    #[error("the share is for {found}, not {expected}")]
    WrongShare { expected: String, found: String },
    #[error("the approvals do not meet the policy: {0}")]
    NotEnough(String),
    #[error("the sealed part does not open with the recovered key, or was altered")]
    Undecryptable,
    #[error("the sealed part's SHA-256 is {actual}, not the {expected} the log holds")]
    HashMismatch { expected: String, actual: String },
}

/// A custodian to seal to.
#[derive(Debug, Clone)]
pub struct Custodian {
    /// Their signing key's name, as the log knows them.
    pub name: String,
    pub delegation: DelegationId,
    pub key: PublicKey,
}

/// What sealing produces: the sealed part and one sealed share per custodian, each to be
/// stored by the node under its SHA-256.
#[derive(Debug, Clone)]
pub struct Sealed {
    pub ciphertext: Vec<u8>,
    pub sha256: String,
    /// In the order of the custodians given.
    pub shares: Vec<SealedShare>,
}

#[derive(Debug, Clone)]
pub struct SealedShare {
    pub custodian: String,
    pub blob: Vec<u8>,
    pub sha256: String,
}

/// The hex SHA-256 of `bytes`, as the log names files.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Seals `plaintext` under a fresh key split among `custodians` by `policy`.
pub fn seal(
    plaintext: &[u8],
    custodians: &[Custodian],
    policy: &TestimonyPolicy,
) -> Result<Sealed, SealError> {
    seal_with_rng(plaintext, custodians, policy, &mut OsRng)
}

/// [`seal`] drawing its randomness from `rng`. Only the exercise passes anything but the
/// operating system's generator: a seeded one, so that its fictional testimony's files
/// can be made again byte for byte.
pub fn seal_with_rng<R: RngCore + CryptoRng>(
    plaintext: &[u8],
    custodians: &[Custodian],
    policy: &TestimonyPolicy,
    rng: &mut R,
) -> Result<Sealed, SealError> {
    let mut key = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(key.as_mut());
    let mut nonce = [0u8; NONCE_BYTES];
    rng.fill_bytes(&mut nonce);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
    let payload = Payload {
        msg: plaintext,
        aad: SEALED_AAD,
    };
    let mut ciphertext = nonce.to_vec();
    ciphertext.extend(
        cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .map_err(|_| SealError::Undecryptable)?,
    );
    let sha256 = sha256_hex(&ciphertext);
    let parts = split::split(&key, custodians, policy, rng)?;
    let mut shares = vec![];
    for (custodian, parts) in custodians.iter().zip(parts) {
        let bundle = Bundle {
            sealed: sha256.clone(),
            custodian: custodian.name.clone(),
            delegation: custodian.delegation.clone(),
            parts,
        };
        let aad = share_aad(&sha256, &custodian.name);
        let blob = seal_to(&custodian.key, SHARE_INFO, &aad, &bundle, rng)?;
        shares.push(SealedShare {
            custodian: custodian.name.clone(),
            sha256: sha256_hex(&blob),
            blob,
        });
    }
    Ok(Sealed {
        ciphertext,
        sha256,
        shares,
    })
}

/// A custodian opens their share of the testimony whose sealed part hashes to `sealed`.
pub fn open_share(
    secret: &SecretKey,
    custodian: &str,
    sealed: &str,
    blob: &[u8],
) -> Result<Bundle, SealError> {
    let bundle = open_from(secret, SHARE_INFO, &share_aad(sealed, custodian), blob)?;
    check_bundle(&bundle, sealed, custodian)?;
    Ok(bundle)
}

/// A custodian releases their opened share to a request's recipient key.
pub fn release(bundle: &Bundle, recipient: &PublicKey) -> Result<Vec<u8>, SealError> {
    seal_to(
        recipient,
        RELEASED_INFO,
        bundle.sealed.as_bytes(),
        bundle,
        &mut OsRng,
    )
}

/// The requester opens a share released to their request's key.
pub fn open_released(
    secret: &SecretKey,
    custodian: &str,
    sealed: &str,
    blob: &[u8],
) -> Result<Bundle, SealError> {
    let bundle = open_from(secret, RELEASED_INFO, sealed.as_bytes(), blob)?;
    check_bundle(&bundle, sealed, custodian)?;
    Ok(bundle)
}

/// The data key from custodians' shares, if they meet `policy`.
pub fn recover(
    bundles: &[Bundle],
    policy: &TestimonyPolicy,
) -> Result<Zeroizing<[u8; 32]>, SealError> {
    split::recover(bundles, policy)
}

/// Decrypts a sealed part, first checking it is the one the log names.
pub fn open(ciphertext: &[u8], sha256: &str, key: &[u8; 32]) -> Result<Vec<u8>, SealError> {
    let actual = sha256_hex(ciphertext);
    if actual != sha256 {
        return Err(SealError::HashMismatch {
            expected: sha256.to_string(),
            actual,
        });
    }
    if ciphertext.len() < NONCE_BYTES {
        return Err(SealError::Undecryptable);
    }
    let (nonce, body) = ciphertext.split_at(NONCE_BYTES);
    ChaCha20Poly1305::new(Key::from_slice(key))
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: SEALED_AAD,
            },
        )
        .map_err(|_| SealError::Undecryptable)
}

fn share_aad(sealed: &str, custodian: &str) -> Vec<u8> {
    [sealed.as_bytes(), b"\n", custodian.as_bytes()].concat()
}

fn check_bundle(bundle: &Bundle, sealed: &str, custodian: &str) -> Result<(), SealError> {
    if bundle.sealed != sealed || bundle.custodian != custodian {
        return Err(SealError::WrongShare {
            expected: format!("{custodian}'s share of {sealed}"),
            found: format!("{}'s share of {}", bundle.custodian, bundle.sealed),
        });
    }
    Ok(())
}

/// HPKE base mode, single shot: the encapsulated key, then the ciphertext.
fn seal_to<R: RngCore + CryptoRng>(
    recipient: &PublicKey,
    info: &[u8],
    aad: &[u8],
    bundle: &Bundle,
    rng: &mut R,
) -> Result<Vec<u8>, SealError> {
    let plaintext = Zeroizing::new(serde_json::to_vec(bundle).expect("a bundle serializes"));
    let (encapped, ciphertext) = hpke::single_shot_seal::<Aead256, Kdf, Kem, _>(
        &OpModeS::Base,
        &recipient.to_hpke()?,
        info,
        &plaintext,
        aad,
        rng,
    )
    .map_err(|e| SealError::Hpke(e.to_string()))?;
    let mut blob = encapped.to_bytes().to_vec();
    blob.extend(ciphertext);
    Ok(blob)
}

fn open_from(
    secret: &SecretKey,
    info: &[u8],
    aad: &[u8],
    blob: &[u8],
) -> Result<Bundle, SealError> {
    if blob.len() < ENCAPPED_BYTES {
        return Err(SealError::WrongKey);
    }
    let (encapped, ciphertext) = blob.split_at(ENCAPPED_BYTES);
    let encapped =
        <Kem as hpke::Kem>::EncappedKey::from_bytes(encapped).map_err(|_| SealError::WrongKey)?;
    let plaintext = hpke::single_shot_open::<Aead256, Kdf, Kem>(
        &OpModeR::Base,
        &secret.to_hpke(),
        &encapped,
        info,
        ciphertext,
        aad,
    )
    .map_err(|_| SealError::WrongKey)?;
    let plaintext = Zeroizing::new(plaintext);
    serde_json::from_slice(&plaintext).map_err(|_| SealError::WrongKey)
}

#[cfg(test)]
mod tests;
