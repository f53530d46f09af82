//! C2SP tlog-cosignature, the Ed25519 `cosignature/v1` type: a witness's timestamped
//! statement that a checkpoint is the largest consistent tree it has seen of a log.
//!
//! `signed_note` 0.2 knows only Ed25519 note signatures (type 0x01), so the cosignature
//! type (0x04) is written here: the key id is `SHA-256(name || "\n" || 0x04 || key)[:4]`,
//! the signature is a `timestamped_signature` (a big-endian u64 POSIX time, then 64 bytes
//! of Ed25519), and what is signed is `cosignature/v1\ntime <T>\n` followed by the whole
//! checkpoint body. Verification is `verify_strict`, like every signature on the record.

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use ed25519_dalek::{Signer as _, SigningKey};
use rand_core::OsRng;
use signed_note::{Note, Signature};
use truce_core::keys::{COSIGNATURE_V1_TYPE, VerifierKey};
use truce_core::{Genesis, KeyName};

/// The domain-separating header line of the signed message.
const HEADER: &str = "cosignature/v1\n";
/// A timestamped signature: 8 bytes of time, 64 of Ed25519.
const SIGNATURE_LEN: usize = 8 + 64;
/// The spec caps the timestamp at 2^63 - 1.
const TIMESTAMP_MAX: u64 = i64::MAX as u64;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CosignerKeyError {
    #[error("not a cosigner private key: expected PRIVATE+KEY+<name>+<id>+<base64(0x04 || seed)>")]
    Format,
    #[error("the key id does not match the key")]
    KeyId,
    #[error("invalid key name: {0}")]
    Name(String),
}

/// The message a `cosignature/v1` signs: header, time line, then the checkpoint body
/// (the note text, with its final newline and without signature lines).
#[must_use]
pub fn signed_message(checkpoint_body: &[u8], timestamp: u64) -> Vec<u8> {
    let mut message = format!("{HEADER}time {timestamp}\n").into_bytes();
    message.extend_from_slice(checkpoint_body);
    message
}

/// A witness's signing key.
#[derive(Clone)]
pub struct Cosigner {
    name: KeyName,
    signing: SigningKey,
    key_id: u32,
}

impl std::fmt::Debug for Cosigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the private key.
        f.debug_struct("Cosigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Cosigner {
    /// A fresh key from the operating system's randomness.
    pub fn generate(name: &str) -> Result<Self, CosignerKeyError> {
        let name = KeyName::parse(name).map_err(CosignerKeyError::Name)?;
        Ok(Self::new(name, SigningKey::generate(&mut OsRng)))
    }

    /// A key derived from a 32-byte seed: for reproducible test fixtures only.
    #[must_use]
    pub fn from_seed(name: &KeyName, seed: [u8; 32]) -> Self {
        Self::new(name.clone(), SigningKey::from_bytes(&seed))
    }

    fn new(name: KeyName, signing: SigningKey) -> Self {
        let key_id = signed_note::key_id(name.as_str(), &typed(&signing.verifying_key()));
        Self {
            name,
            signing,
            key_id,
        }
    }

    /// Parses a private key written by [`Cosigner::to_skey`]: the Go note private key
    /// format with the cosignature type byte 0x04 in place of Ed25519's 0x01.
    pub fn from_skey(skey: &str) -> Result<Self, CosignerKeyError> {
        let rest = skey
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(CosignerKeyError::Format)?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(key64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CosignerKeyError::Format);
        };
        let bytes = BASE64.decode(key64).map_err(|_| CosignerKeyError::Format)?;
        let Some((&COSIGNATURE_V1_TYPE, seed)) = bytes.split_first() else {
            return Err(CosignerKeyError::Format);
        };
        let seed: [u8; 32] = seed.try_into().map_err(|_| CosignerKeyError::Format)?;
        let name = KeyName::parse(name).map_err(CosignerKeyError::Name)?;
        let cosigner = Self::new(name, SigningKey::from_bytes(&seed));
        if id.len() != 8 || u32::from_str_radix(id, 16).ok() != Some(cosigner.key_id) {
            return Err(CosignerKeyError::KeyId);
        }
        Ok(cosigner)
    }

    /// The private key as text. Handle with care.
    #[must_use]
    pub fn to_skey(&self) -> String {
        let private = [&[COSIGNATURE_V1_TYPE][..], self.signing.as_bytes()].concat();
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(private)
        )
    }

    /// The C2SP verifier key (type 0x04) that logs and clients configure.
    #[must_use]
    pub fn vkey(&self) -> String {
        let key = typed(&self.signing.verifying_key());
        format!("{}+{:08x}+{}", self.name, self.key_id, BASE64.encode(key))
    }

    #[must_use]
    pub fn name(&self) -> &KeyName {
        &self.name
    }

    /// Cosigns a checkpoint body at `timestamp` (POSIX seconds; must be non-zero and at
    /// most 2^63 - 1); returns the note signature line's parsed form.
    #[must_use]
    pub fn cosign(&self, checkpoint_body: &[u8], timestamp: u64) -> Signature {
        assert!(
            (1..=TIMESTAMP_MAX).contains(&timestamp),
            "a cosignature's time is between 1 and 2^63 - 1"
        );
        let signature = self
            .signing
            .sign(&signed_message(checkpoint_body, timestamp));
        let bytes = [&timestamp.to_be_bytes()[..], &signature.to_bytes()].concat();
        Signature::new(self.name.to_string(), self.key_id, bytes).expect("key names are valid")
    }

    /// The cosignature as the line a witness answers with (`— <name> <base64>\n`).
    #[must_use]
    pub fn cosign_line(&self, checkpoint_body: &[u8], timestamp: u64) -> String {
        let line = self.cosign(checkpoint_body, timestamp).to_bytes();
        String::from_utf8(line).expect("signature lines are UTF-8")
    }
}

fn typed(key: &ed25519_dalek::VerifyingKey) -> Vec<u8> {
    [&[COSIGNATURE_V1_TYPE][..], key.as_bytes()].concat()
}

/// A witness's verifier key, as the genesis (or a log's configuration) names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignerKey {
    key: VerifierKey,
    vkey: String,
}

/// A cosignature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosignature {
    /// The witness's verifier key.
    pub vkey: String,
    /// When the witness cosigned, in POSIX seconds.
    pub timestamp: u64,
    /// The note signature line, with its final newline.
    pub line: String,
}

impl CosignerKey {
    pub fn parse(vkey: &str) -> Result<Self, String> {
        Ok(Self {
            key: VerifierKey::parse_cosigner(vkey)?,
            vkey: vkey.to_string(),
        })
    }

    #[must_use]
    pub fn vkey(&self) -> &str {
        &self.vkey
    }

    #[must_use]
    pub fn name(&self) -> &str {
        self.key.name.as_str()
    }

    /// Whether a signature line is this key's (same name and key id): lines that are not
    /// are ignored, as signed-note requires.
    #[must_use]
    pub fn is_signer_of(&self, signature: &Signature) -> bool {
        signature.name() == self.key.name.as_str() && signature.id() == self.key.key_id
    }

    /// The timestamp of a valid cosignature by this key on `checkpoint_body`, or None.
    #[must_use]
    pub fn verify(&self, checkpoint_body: &[u8], signature: &[u8]) -> Option<u64> {
        let signature: &[u8; SIGNATURE_LEN] = signature.try_into().ok()?;
        let (time, ed25519) = signature.split_at(8);
        let timestamp = u64::from_be_bytes(time.try_into().expect("8 bytes"));
        if timestamp > TIMESTAMP_MAX {
            return None;
        }
        let ed25519 = ed25519_dalek::Signature::from_slice(ed25519).ok()?;
        let message = signed_message(checkpoint_body, timestamp);
        self.key
            .public_key
            .verify_strict(&message, &ed25519)
            .ok()
            .map(|()| timestamp)
    }

    /// This key's valid cosignature on a checkpoint note, if it carries one.
    #[must_use]
    pub fn cosignature_on(&self, note: &CosignedNote) -> Option<Cosignature> {
        note.signatures
            .iter()
            .filter(|s| self.is_signer_of(s))
            .find_map(|s| {
                let timestamp = self.verify(&note.body, s.signature())?;
                let line = String::from_utf8(s.to_bytes()).expect("signature lines are UTF-8");
                Some(Cosignature {
                    vkey: self.vkey.clone(),
                    timestamp,
                    line,
                })
            })
    }
}

/// A signed note split into its body and signature lines, none of them verified yet.
#[derive(Debug, Clone)]
pub struct CosignedNote {
    pub body: Vec<u8>,
    pub signatures: Vec<Signature>,
}

impl CosignedNote {
    /// Parses a signed note (well formed per signed-note, at least one signature line).
    pub fn parse(note: &[u8]) -> Result<Self, String> {
        // Note::from_bytes checks the whole form; it keeps the lines private, so they are
        // read again here from the text it accepted.
        let parsed = Note::from_bytes(note).map_err(|e| e.to_string())?;
        let body = parsed.text().to_vec();
        let lines = &note[body.len() + 1..];
        let signatures = lines
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .map(Signature::from_bytes)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        Ok(Self { body, signatures })
    }
}

/// The genesis's witness policy applied to a checkpoint note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyCheck {
    pub quorum: u32,
    /// Valid cosignatures by the genesis's witnesses.
    pub cosigned: Vec<Cosignature>,
    /// The witnesses (verifier keys) without a valid cosignature on it.
    pub missing: Vec<String>,
}

impl PolicyCheck {
    /// Checks which of the genesis's witnesses validly cosigned `note` (a checkpoint whose
    /// log signature the caller verified).
    pub fn of(note: &[u8], genesis: &Genesis) -> Result<Self, String> {
        let parsed = CosignedNote::parse(note)?;
        let mut check = Self {
            quorum: genesis.witness_quorum,
            cosigned: vec![],
            missing: vec![],
        };
        for witness in &genesis.witnesses {
            let key = CosignerKey::parse(&witness.vkey)?;
            match key.cosignature_on(&parsed) {
                Some(cosignature) => check.cosigned.push(cosignature),
                None => check.missing.push(witness.vkey.clone()),
            }
        }
        Ok(check)
    }

    #[must_use]
    pub fn is_met(&self) -> bool {
        self.cosigned.len() >= self.quorum as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] =
        b"example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    fn cosigner() -> Cosigner {
        Cosigner::generate("witness.example.com/w1").unwrap()
    }

    #[test]
    fn the_signed_message_is_the_one_the_spec_shows() {
        let expected = "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        assert_eq!(signed_message(BODY, 1_679_315_147), expected.as_bytes());
    }

    #[test]
    fn the_spec_example_line_carries_its_timestamp_in_the_first_eight_bytes() {
        // The example cosignature of tlog-cosignature.md (its key is not published, so only
        // the layout can be checked): key id, then the big-endian time of its message.
        let line = "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==";
        let signature = Signature::from_bytes(line.as_bytes()).unwrap();
        assert_eq!(signature.signature().len(), SIGNATURE_LEN);
        let time = u64::from_be_bytes(signature.signature()[..8].try_into().unwrap());
        assert_eq!(time, 1_679_315_147);
    }

    #[test]
    fn a_cosignature_verifies_with_the_vkey_and_reports_its_time() {
        let cosigner = cosigner();
        let key = CosignerKey::parse(&cosigner.vkey()).unwrap();
        let signature = cosigner.cosign(BODY, 1_700_000_000);
        assert!(key.is_signer_of(&signature));
        assert_eq!(key.verify(BODY, signature.signature()), Some(1_700_000_000));
    }

    #[test]
    fn a_cosignature_does_not_verify_on_another_body_or_time() {
        let cosigner = cosigner();
        let key = CosignerKey::parse(&cosigner.vkey()).unwrap();
        let signature = cosigner.cosign(BODY, 1_700_000_000);
        let other_body = BODY.to_vec().into_iter().rev().collect::<Vec<u8>>();
        assert_eq!(key.verify(&other_body, signature.signature()), None);
        let mut retimed = signature.signature().to_vec();
        retimed[7] ^= 1;
        assert_eq!(key.verify(BODY, &retimed), None);
        assert_eq!(key.verify(BODY, &signature.signature()[..71]), None);
    }

    #[test]
    fn the_key_id_commits_to_the_cosignature_type() {
        let cosigner = cosigner();
        let pk = cosigner.signing.verifying_key();
        let as_note_key = signed_note::key_id(
            cosigner.name().as_str(),
            &[&[1u8][..], pk.as_bytes()].concat(),
        );
        let as_cosigner = signed_note::key_id(cosigner.name().as_str(), &typed(&pk));
        assert_eq!(cosigner.key_id, as_cosigner);
        assert_ne!(as_note_key, as_cosigner);
        assert!(cosigner.vkey().contains(&format!("+{as_cosigner:08x}+")));
    }

    #[test]
    fn an_ed25519_note_vkey_is_not_a_cosigner_key() {
        let note_key = crate::KeyPair::generate("witness.example.com/w1").unwrap();
        let error = CosignerKey::parse(&note_key.vkey()).unwrap_err();
        assert!(error.contains("0x04"), "{error}");
    }

    #[test]
    fn a_private_key_round_trips_and_a_wrong_id_is_refused() {
        let cosigner = cosigner();
        let again = Cosigner::from_skey(&cosigner.to_skey()).unwrap();
        assert_eq!(again.vkey(), cosigner.vkey());
        let wrong = cosigner
            .to_skey()
            .replace(&format!("{:08x}", cosigner.key_id), "00000000");
        assert_eq!(
            Cosigner::from_skey(&wrong).unwrap_err(),
            CosignerKeyError::KeyId
        );
        let note_key = crate::KeyPair::generate("w").unwrap().to_skey();
        assert_eq!(
            Cosigner::from_skey(&note_key).unwrap_err(),
            CosignerKeyError::Format
        );
    }

    #[test]
    fn a_cosigned_note_splits_into_body_and_lines() {
        let log = crate::KeyPair::generate("example.com/behind-the-sofa").unwrap();
        let mut note = log.sign_note(BODY);
        let cosigner = cosigner();
        note.extend_from_slice(cosigner.cosign_line(BODY, 1_700_000_000).as_bytes());
        let parsed = CosignedNote::parse(&note).unwrap();
        assert_eq!(parsed.body, BODY);
        assert_eq!(parsed.signatures.len(), 2);
        let key = CosignerKey::parse(&cosigner.vkey()).unwrap();
        let found = key.cosignature_on(&parsed).unwrap();
        assert_eq!(found.timestamp, 1_700_000_000);
        assert!(found.line.starts_with("— witness.example.com/w1 "));
    }
}
