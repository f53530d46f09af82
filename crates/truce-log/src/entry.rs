//! Entries: C2SP signed notes whose text is one line of RFC 8785 canonical JSON.
//!
//! The whole note (text, blank line, signature lines) is the log leaf: its RFC 6962 leaf
//! hash is what the tree commits to and what an author's next entry names as `prev`.

use ed25519_dalek::Signature as Ed25519Signature;
use signed_note::Signature;
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

    /// The payload as the canonical JSON text it was signed in. The envelope was checked
    /// to be canonical, so its payload is too: this cuts it out of the text rather than
    /// serializing the payload again (which cost a rebuild more than all its SQL).
    #[must_use]
    pub fn payload_text(&self) -> &str {
        #[derive(serde::Deserialize)]
        struct PayloadOnly<'a> {
            #[serde(borrow)]
            payload: &'a serde_json::value::RawValue,
        }
        let text = std::str::from_utf8(self.text()).expect("checked at parse");
        serde_json::from_str::<PayloadOnly<'_>>(text)
            .expect("a parsed envelope has a payload")
            .payload
            .get()
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

/// The most signature lines a note may carry (the genesis has one per delegation).
pub const SIGNATURES_MAX: usize = 100;

/// Checks the C2SP signed-note format and splits the note into its text length and
/// signatures: UTF-8 without control characters other than newline, a text ending in a
/// newline, a blank line, then one or more signature lines (c2sp.org/signed-note).
fn split_note(note: &[u8]) -> Result<(usize, Vec<Signature>), Rejection> {
    let malformed = |reason: String| Rejection::new(RejectionCode::Malformed, "note", reason);
    let text = std::str::from_utf8(note)
        .map_err(|e| malformed(format!("not UTF-8 (at byte {})", e.valid_up_to())))?;
    if let Some(at) = text.bytes().position(|b| b < 0x20 && b != b'\n') {
        return Err(malformed(format!("a control character at byte {at}")));
    }
    let split = text.rfind("\n\n").ok_or_else(|| {
        malformed("not a C2SP signed note: no blank line before signatures".into())
    })?;
    let lines = text[split + 2..].strip_suffix('\n').ok_or_else(|| {
        malformed("not a C2SP signed note: no newline after the signatures".into())
    })?;
    let signatures = lines
        .split('\n')
        .map(|line| Signature::from_bytes(line.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| malformed(format!("a signature line is not valid ({e})")))?;
    if signatures.len() > SIGNATURES_MAX {
        return Err(malformed(format!("more than {SIGNATURES_MAX} signatures")));
    }
    Ok((split + 1, signatures))
}
