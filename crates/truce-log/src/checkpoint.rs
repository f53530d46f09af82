//! C2SP tlog-checkpoint notes: the log's signed statement of its size and root hash.

use signed_note::{Note, StandardVerifier, VerifierList};
use tlog_tiles::{Checkpoint, Hash};

use crate::keypair::KeyPair;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckpointError {
    #[error("the log key is not a valid verifier key")]
    BadLogKey,
    #[error("not a signed note: {0}")]
    Note(String),
    #[error("no valid signature by the log key {0}")]
    Signature(String),
    #[error("the note text is not a checkpoint")]
    Malformed,
    #[error("the checkpoint's origin is {found:?}, not {expected:?}")]
    Origin { expected: String, found: String },
}

/// Signs checkpoints with the log key; the key's name is the log's origin.
#[derive(Clone, Debug)]
pub struct LogSigner {
    key: KeyPair,
}

impl LogSigner {
    #[must_use]
    pub fn new(key: KeyPair) -> Self {
        Self { key }
    }

    #[must_use]
    pub fn origin(&self) -> &str {
        self.key.name().as_str()
    }

    #[must_use]
    pub fn vkey(&self) -> String {
        self.key.vkey()
    }

    /// Signs the checkpoint of a tree of `size` leaves with root `root`.
    #[must_use]
    pub fn sign(&self, size: u64, root: Hash) -> SignedCheckpoint {
        let checkpoint =
            Checkpoint::new(self.origin(), size, root, "").expect("origin is a valid key name");
        let note = self.key.sign_note(&checkpoint.to_bytes());
        SignedCheckpoint {
            origin: self.origin().to_string(),
            size,
            root,
            note,
        }
    }
}

/// A checkpoint whose log signature has been checked.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedCheckpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// The whole note, with every signature it carries (log and witnesses).
    pub note: Vec<u8>,
}

impl SignedCheckpoint {
    /// The checkpoint body: the note text the log and its witnesses sign, with its final
    /// newline. (A checkpoint's lines are never empty, so the first blank line ends it.)
    #[must_use]
    pub fn body(&self) -> &[u8] {
        let end = self
            .note
            .windows(2)
            .position(|pair| pair == b"\n\n")
            .expect("a signed note has a blank line before its signatures");
        &self.note[..=end]
    }

    /// Parses a checkpoint note and checks the log's signature on it. Signatures by other
    /// keys (witness cosignatures) are ignored here, as C2SP signed-note requires.
    pub fn verify(note: &[u8], log_vkey: &str) -> Result<Self, CheckpointError> {
        let verifier = StandardVerifier::new(log_vkey).map_err(|_| CheckpointError::BadLogKey)?;
        let origin = signed_note::Verifier::name(&verifier).to_string();
        let parsed = Note::from_bytes(note).map_err(|e| CheckpointError::Note(e.to_string()))?;
        parsed
            .verify(&VerifierList::new(vec![Box::new(verifier)]))
            .map_err(|_| CheckpointError::Signature(origin.clone()))?;
        let checkpoint =
            Checkpoint::from_bytes(parsed.text()).map_err(|_| CheckpointError::Malformed)?;
        if checkpoint.origin() != origin {
            return Err(CheckpointError::Origin {
                expected: origin,
                found: checkpoint.origin().to_string(),
            });
        }
        Ok(Self {
            origin,
            size: checkpoint.size(),
            root: *checkpoint.hash(),
            note: note.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> LogSigner {
        LogSigner::new(KeyPair::generate("truce.example/test").unwrap())
    }

    #[test]
    fn a_signed_checkpoint_verifies_and_reads_back() {
        let signer = signer();
        let signed = signer.sign(7, Hash([9; 32]));
        let text = String::from_utf8(signed.note.clone()).unwrap();
        assert!(text.starts_with("truce.example/test\n7\nCQkJ"), "{text}");
        assert_eq!(
            SignedCheckpoint::verify(&signed.note, &signer.vkey()).unwrap(),
            signed
        );
    }

    #[test]
    fn a_checkpoint_signed_by_another_key_is_refused() {
        let signed = signer().sign(7, Hash([9; 32]));
        let other = signer();
        assert!(matches!(
            SignedCheckpoint::verify(&signed.note, &other.vkey()),
            Err(CheckpointError::Signature(_))
        ));
    }
}
