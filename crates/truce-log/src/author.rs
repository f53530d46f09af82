//! The author's side of an entry: keeping one's own chain (sequence number and previous
//! leaf hash) and signing envelopes.

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde_json::Value;
use truce_core::state::AuthorHead;
use truce_core::{Custody, Envelope, Timestamp};

use crate::entry::SignedEntry;
use crate::keypair::KeyPair;

/// A key that writes entries, and where its chain stands.
#[derive(Debug, Clone)]
pub struct Author {
    key: KeyPair,
    origin: String,
    /// The sequence number of the author's last entry (0 before the first).
    seq: u64,
    last_leaf_hash: Option<[u8; 32]>,
}

impl Author {
    /// An author that has written nothing yet on the log `origin`.
    #[must_use]
    pub fn new(key: KeyPair, origin: &str) -> Self {
        Self::resume(key, origin, 0, None)
    }

    /// An author whose last entry was number `seq` with leaf hash `last_leaf_hash`.
    #[must_use]
    pub fn resume(key: KeyPair, origin: &str, seq: u64, last_leaf_hash: Option<[u8; 32]>) -> Self {
        Self {
            key,
            origin: origin.to_string(),
            seq,
            last_leaf_hash,
        }
    }

    /// An author continuing its chain from `head` (where the log says it stands), or
    /// from the start if it has written nothing.
    #[must_use]
    pub fn continuing(key: KeyPair, origin: &str, head: Option<AuthorHead>) -> Self {
        match head {
            Some(head) => Self::resume(key, origin, head.seq, Some(head.last_leaf_hash)),
            None => Self::new(key, origin),
        }
    }

    #[must_use]
    pub fn key(&self) -> &KeyPair {
        &self.key
    }

    /// The log the author writes to.
    #[must_use]
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Where the chain stands: the last entry's sequence number (0 before the first) and
    /// leaf hash, to keep it between runs of a device that signs offline.
    #[must_use]
    pub fn head(&self) -> (u64, Option<[u8; 32]>) {
        (self.seq, self.last_leaf_hash)
    }

    /// The envelope of the author's next entry.
    #[must_use]
    pub fn envelope(&self, kind: &str, payload: Value, time: Timestamp) -> Envelope {
        Envelope {
            attachments: vec![],
            author: self.key.name().clone(),
            custody: Custody::Author,
            kind: kind.to_string(),
            origin: self.origin.clone(),
            payload,
            prev: self.last_leaf_hash.map(|h| BASE64.encode(h)),
            seq: self.seq + 1,
            time,
            version: 1,
        }
    }

    /// Signs the next entry (with any co-signers after the author) and advances the chain,
    /// assuming the log will admit it.
    pub fn sign(&mut self, envelope: &Envelope, cosigners: &[&KeyPair]) -> Vec<u8> {
        let mut keys = vec![&self.key];
        keys.extend_from_slice(cosigners);
        let note = SignedEntry::sign(envelope, &keys);
        self.seq = envelope.seq;
        self.last_leaf_hash = Some(tlog_tiles::record_hash(&note).0);
        note
    }

    /// Builds and signs the next entry of `kind` version 1.
    pub fn write(&mut self, kind: &str, payload: Value, time: Timestamp) -> Vec<u8> {
        let envelope = self.envelope(kind, payload, time);
        self.sign(&envelope, &[])
    }
}
