//! The genesis ceremony: one draft text, one signature line per delegation's root key,
//! checked and assembled into the signed note that becomes entry 0 (C2SP signed-note).

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use ed25519_dalek::Signature as Ed25519Signature;
use sha2::{Digest, Sha256};
use truce_core::envelope::{Custody, Envelope};
use truce_core::genesis::Genesis;
use truce_core::keys::VerifierKey;
use truce_core::kinds::{Body, GENESIS};
use truce_core::{DelegationId, ENTRY_BYTES_MAX, KeyName, LogState, Timestamp};
use truce_log::{KeyPair, SignedEntry};

use crate::{AgreementError, GENESIS_VERSION};

/// The em dash and space that begin a C2SP signed-note signature line.
const LINE_PREFIX: &str = "\u{2014} ";
/// A signature line's base64 part decodes to a 4-byte key id and a 64-byte signature.
const SIGNATURE_BYTES: usize = 4 + 64;

/// The exact genesis text every delegation signs.
#[derive(Debug, Clone)]
pub struct Draft {
    text: String,
    genesis: Genesis,
    author: KeyName,
    /// Each delegation's root key, in the genesis's order: who must sign.
    roots: Vec<(DelegationId, VerifierKey)>,
}

/// One delegation's signature over a draft: a signed-note signature line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureLine {
    pub name: KeyName,
    pub key_id: u32,
    signature: [u8; 64],
}

impl Draft {
    /// Drafts `genesis`, authored by `convener`'s root key at `time`. Fields in errors are
    /// the genesis's own (`delegations[1].root_key`), as the agreement file names them.
    pub fn new(
        genesis: &Genesis,
        convener: &DelegationId,
        time: Timestamp,
    ) -> Result<Self, AgreementError> {
        genesis.validate(&genesis.log.origin)?;
        let author = genesis.delegation(convener).ok_or_else(|| {
            let reason = format!("{convener} is not a delegation of this agreement");
            AgreementError::new("convener", reason)
        })?;
        let author = VerifierKey::parse(&author.root_key)
            .expect("validated")
            .name;
        let envelope = Envelope {
            attachments: vec![],
            author,
            custody: Custody::Author,
            kind: GENESIS.into(),
            origin: genesis.log.origin.clone(),
            payload: serde_json::to_value(genesis).expect("a genesis is JSON"),
            prev: None,
            seq: 1,
            time,
            version: GENESIS_VERSION,
        };
        let draft = Self::parse(&envelope.to_text())?;
        draft.check_size()?;
        Ok(draft)
    }

    /// Reads a draft (`genesis.json`) back: one line of canonical JSON, a genesis envelope
    /// that is its author's first entry. Fields in errors are the envelope's
    /// (`payload.delegations[1].root_key`).
    pub fn parse(text: &str) -> Result<Self, AgreementError> {
        let envelope = Envelope::from_text(text)?;
        if envelope.kind != GENESIS {
            let reason = format!("a draft is a {GENESIS}, not a {}", envelope.kind);
            return Err(AgreementError::new("kind", reason));
        }
        let Body::Genesis(genesis) =
            Body::decode(&envelope.kind, envelope.version, &envelope.payload)?
        else {
            unreachable!("a {GENESIS} decodes to a genesis");
        };
        genesis
            .validate(&envelope.origin)
            .map_err(|e| AgreementError::new(format!("payload.{}", e.field), e.reason))?;
        let roots: Vec<_> = genesis
            .delegations
            .iter()
            .map(|d| {
                (
                    d.id.clone(),
                    VerifierKey::parse(&d.root_key).expect("validated"),
                )
            })
            .collect();
        if !roots.iter().any(|(_, key)| key.name == envelope.author) {
            return Err(AgreementError::new(
                "author",
                "must be a delegation's root key",
            ));
        }
        if envelope.seq != 1 || envelope.prev.is_some() || !envelope.attachments.is_empty() {
            let reason = "a genesis is its author's first entry (seq 1, no prev), with no files";
            return Err(AgreementError::new("seq", reason));
        }
        Ok(Self {
            text: text.to_string(),
            genesis: *genesis.clone(),
            author: envelope.author,
            roots,
        })
    }

    /// The text to sign: canonical JSON and its newline (what `genesis.json` holds).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// SHA-256 (lowercase hex) of the text: what delegations compare before signing.
    #[must_use]
    pub fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(self.text.as_bytes()))
    }

    #[must_use]
    pub fn genesis(&self) -> &Genesis {
        &self.genesis
    }

    /// The delegation whose root key `key` is, if it is one the draft names.
    #[must_use]
    pub fn delegation_of(&self, key: &KeyPair) -> Option<&DelegationId> {
        self.roots
            .iter()
            .find(|(_, root)| &root.name == key.name() && root.key_id == key.key_id())
            .filter(|(_, root)| root.public_key.as_bytes() == public_key(key).as_bytes())
            .map(|(id, _)| id)
    }

    /// Signs the draft with a delegation's root key. A key the draft does not name as a
    /// root is refused: a signature by it would only be refused at assembly.
    pub fn sign(&self, key: &KeyPair) -> Result<SignatureLine, AgreementError> {
        if self.delegation_of(key).is_none() {
            let reason = format!(
                "{} is not the root key of any delegation this draft names",
                key.name()
            );
            return Err(AgreementError::new("key", reason));
        }
        let line = key.signature(self.text.as_bytes());
        Ok(SignatureLine {
            name: key.name().clone(),
            key_id: line.id(),
            signature: line
                .signature()
                .try_into()
                .expect("Ed25519 signatures are 64 bytes"),
        })
    }

    /// Checks one signature line from each delegation (`signatures` pairs where each came
    /// from, e.g. its file name, with the line) and writes the signed note: the convener's
    /// line first, then the others in the genesis's order. A missing, extra, repeated or
    /// wrong signature is refused, naming the delegation and where the line came from.
    pub fn assemble(
        &self,
        signatures: &[(String, SignatureLine)],
    ) -> Result<Vec<u8>, AgreementError> {
        let mut by_delegation = vec![None; self.roots.len()];
        for (source, line) in signatures {
            let at = self.root_index(source, line)?;
            let (id, root) = &self.roots[at];
            if by_delegation[at].is_some() {
                let reason = format!("a second signature by delegation {id}'s root key");
                return Err(AgreementError::new(source.clone(), reason));
            }
            let signature = Ed25519Signature::from_bytes(&line.signature);
            if root
                .public_key
                .verify_strict(self.text.as_bytes(), &signature)
                .is_err()
            {
                let reason = format!(
                    "delegation {id}'s signature does not verify over this draft (SHA-256 {}): was another text signed?",
                    self.sha256_hex()
                );
                return Err(AgreementError::new(source.clone(), reason));
            }
            by_delegation[at] = Some(line);
        }
        if let Some(missing) = by_delegation.iter().position(Option::is_none) {
            let (id, root) = &self.roots[missing];
            let reason = format!("delegation {id} has not signed (root key {})", root.name);
            return Err(AgreementError::new("signatures", reason));
        }
        let note = self.note(by_delegation.into_iter().flatten());
        check_admitted(&note)?;
        Ok(note)
    }

    fn root_index(&self, source: &str, line: &SignatureLine) -> Result<usize, AgreementError> {
        self.roots
            .iter()
            .position(|(_, root)| root.name == line.name && root.key_id == line.key_id)
            .ok_or_else(|| {
                let reason = format!(
                    "signed by {} (key id {:08x}), which is not a root key this draft names",
                    line.name, line.key_id
                );
                AgreementError::new(source.to_string(), reason)
            })
    }

    /// The note: the text, a blank line, the convener's signature, then the others'.
    fn note<'a>(&self, lines: impl Iterator<Item = &'a SignatureLine>) -> Vec<u8> {
        let (mut author, mut others) = (vec![], vec![]);
        for line in lines {
            if line.name == self.author {
                author.push(line);
            } else {
                others.push(line);
            }
        }
        let mut note = format!("{}\n", self.text);
        for line in author.into_iter().chain(others) {
            note.push_str(&line.to_string());
        }
        note.into_bytes()
    }

    /// The signed note must fit in one entry.
    fn check_size(&self) -> Result<(), AgreementError> {
        let lines: usize = self
            .roots
            .iter()
            .map(|(_, root)| SignatureLine::len_for(&root.name))
            .sum();
        let bytes = self.text.len() + 1 + lines;
        if bytes > ENTRY_BYTES_MAX {
            let reason = format!(
                "the signed genesis would be {bytes} bytes; an entry is at most {ENTRY_BYTES_MAX}"
            );
            return Err(AgreementError::new("agreement", reason));
        }
        Ok(())
    }
}

/// The assembled note passes the admission a node applies to its entry 0.
fn check_admitted(note: &[u8]) -> Result<(), AgreementError> {
    let entry = SignedEntry::parse(note.to_vec())?;
    let admission = LogState::new().admit(entry.view(), None)?;
    for key in &admission.signers {
        assert!(entry.verify(key), "checked line by line above");
    }
    Ok(())
}

fn public_key(key: &KeyPair) -> ed25519_dalek::VerifyingKey {
    VerifierKey::parse(&key.vkey())
        .expect("a key pair's own vkey")
        .public_key
}

impl SignatureLine {
    /// Reads a signature file: exactly one signed-note signature line.
    pub fn parse(source: &str, text: &str) -> Result<Self, AgreementError> {
        let refuse = |reason: &str| AgreementError::new(source.to_string(), reason.to_string());
        let line = text.strip_suffix('\n').unwrap_or(text);
        if line.contains('\n') {
            return Err(refuse("must hold exactly one signature line"));
        }
        let rest = line
            .strip_prefix(LINE_PREFIX)
            .ok_or_else(|| refuse("a signature line starts with an em dash and a space"))?;
        let (name, base64) = rest
            .split_once(' ')
            .ok_or_else(|| refuse("a signature line is '— <key name> <base64>'"))?;
        let name = KeyName::parse(name).map_err(|e| refuse(&format!("key name: {e}")))?;
        let bytes = BASE64
            .decode(base64)
            .map_err(|_| refuse("the signature is not base64"))?;
        if bytes.len() != SIGNATURE_BYTES {
            return Err(refuse(
                "an Ed25519 signature line holds a key id and 64 bytes",
            ));
        }
        let (id, signature) = bytes.split_at(4);
        Ok(Self {
            name,
            key_id: u32::from_be_bytes(id.try_into().expect("4 bytes")),
            signature: signature.try_into().expect("64 bytes"),
        })
    }

    /// How long the line of a key named `name` is, newline included.
    fn len_for(name: &KeyName) -> usize {
        LINE_PREFIX.len() + name.as_str().len() + 1 + SIGNATURE_BYTES.div_ceil(3) * 4 + 1
    }
}

impl std::fmt::Display for SignatureLine {
    /// The line as a signed note carries it: `— <name> <base64(key id || signature)>\n`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut bytes = self.key_id.to_be_bytes().to_vec();
        bytes.extend_from_slice(&self.signature);
        writeln!(f, "{LINE_PREFIX}{} {}", self.name, BASE64.encode(bytes))
    }
}
