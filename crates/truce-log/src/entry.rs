//! Entries: C2SP signed notes whose text is one line of RFC 8785 canonical JSON.
//!
//! The whole note (text, blank line, signature lines) is the log leaf: its RFC 6962 leaf
//! hash is what the tree commits to and what an author's next entry names as `prev`.

use ed25519_dalek::Signature as Ed25519Signature;
use signed_note::{Note, Signature};
use tlog_tiles::{Hash, record_hash};
use truce_core::kinds::Body;
use truce_core::rejection::{Rejection, RejectionCode};
use truce_core::state::EntryView;
use truce_core::{ENTRY_BYTES_MAX, Envelope, KeyRecord};

use crate::keypair::{KeyPair, sign_note};

/// A parsed entry whose signatures have not been checked yet.
#[derive(Debug, Clone)]
pub struct SignedEntry {
    note: Vec<u8>,
    text_len: usize,
    envelope: Envelope,
    body: Body,
    signatures: Vec<Signature>,
    signature_lines: Vec<(String, u32)>,
    leaf_hash: Hash,
}

impl SignedEntry {
    /// Parses an entry and checks everything that does not depend on the log: size, note
    /// format, canonical JSON, envelope, and the kind's payload.
    pub fn parse(note: Vec<u8>) -> Result<Self, Rejection> {
        if note.len() > ENTRY_BYTES_MAX {
            let reason = format!(
                "is {} bytes; an entry is at most {ENTRY_BYTES_MAX} bytes",
                note.len()
            );
            return Err(Rejection::new(RejectionCode::TooLarge, "note", reason));
        }
        let (text_len, signatures) = split_note(&note)?;
        let text = std::str::from_utf8(&note[..text_len]).expect("checked by split_note");
        let envelope = Envelope::from_text(text)?;
        let body = Body::decode(&envelope.kind, envelope.version, &envelope.payload)?;
        let signature_lines = signatures
            .iter()
            .map(|s| (s.name().to_string(), s.id()))
            .collect();
        let leaf_hash = record_hash(&note);
        Ok(Self {
            note,
            text_len,
            envelope,
            body,
            signatures,
            signature_lines,
            leaf_hash,
        })
    }

    /// Signs an envelope with the given keys (the author's first) and returns the note.
    #[must_use]
    pub fn sign(envelope: &Envelope, keys: &[&KeyPair]) -> Vec<u8> {
        sign_note(envelope.to_text().as_bytes(), keys)
    }

    #[must_use]
    pub fn view(&self) -> EntryView<'_> {
        EntryView {
            envelope: &self.envelope,
            body: &self.body,
            signatures: &self.signature_lines,
        }
    }

    #[must_use]
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    #[must_use]
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// The whole signed note: the log leaf.
    #[must_use]
    pub fn note(&self) -> &[u8] {
        &self.note
    }

    #[must_use]
    pub fn into_note(self) -> Vec<u8> {
        self.note
    }

    /// The signed text (the canonical JSON and its newline).
    #[must_use]
    pub fn text(&self) -> &[u8] {
        &self.note[..self.text_len]
    }

    #[must_use]
    pub fn leaf_hash(&self) -> Hash {
        self.leaf_hash
    }

    /// The signature line made by `key`, decoded, if there is exactly such a line.
    #[must_use]
    pub fn signature_by(&self, key: &KeyRecord) -> Option<Ed25519Signature> {
        let line = self
            .signatures
            .iter()
            .find(|s| s.name() == key.name.as_str() && s.id() == key.key_id)?;
        Ed25519Signature::from_slice(line.signature()).ok()
    }

    /// Checks `key`'s signature over the text, strictly (RFC 8032 §5.1.7 with the checks
    /// that reject malleable signatures and small-order keys).
    #[must_use]
    pub fn verify(&self, key: &KeyRecord) -> bool {
        self.signature_by(key)
            .is_some_and(|sig| key.public_key.verify_strict(self.text(), &sig).is_ok())
    }
}

/// Checks the C2SP note format and splits the note into its text length and signatures.
fn split_note(note: &[u8]) -> Result<(usize, Vec<Signature>), Rejection> {
    let malformed =
        |reason: &str| Rejection::new(RejectionCode::Malformed, "note", reason.to_string());
    Note::from_bytes(note).map_err(|e| malformed(&format!("not a C2SP signed note ({e})")))?;
    // Note::from_bytes accepted it, so it is UTF-8 with a last "\n\n" before the signatures.
    let text = std::str::from_utf8(note).map_err(|_| malformed("not UTF-8"))?;
    let split = text
        .rfind("\n\n")
        .ok_or_else(|| malformed("no signature block"))?;
    let lines = text[split + 2..]
        .strip_suffix('\n')
        .ok_or_else(|| malformed("no final newline"))?;
    let signatures = lines
        .split('\n')
        .map(|line| Signature::from_bytes(line.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| malformed(&format!("bad signature line ({e})")))?;
    Ok((split + 1, signatures))
}
