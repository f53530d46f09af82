//! `truce serve --genesis`: a node constituted by a genesis its delegations signed.
//!
//! The genesis names the log (origin and log key): the node must hold that key, appends
//! the genesis as entry 0 of an empty log through the sequencer like any entry, and on a
//! log that has its genesis, refuses to start with another.

use std::path::Path;

use anyhow::Context;
use truce_core::{Body, Genesis};
use truce_log::{KeyPair, SignedEntry};

use crate::keyfile;
use crate::sequencer::SequencerHandle;

/// A signed genesis read from a file, parsed (signatures are checked on admission).
#[derive(Debug)]
pub struct SignedGenesis {
    note: Vec<u8>,
    genesis: Genesis,
}

impl SignedGenesis {
    /// Reads the note `truce genesis assemble` wrote.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let bytes = std::fs::metadata(path)
            .with_context(|| format!("reading the genesis {}", path.display()))?
            .len();
        anyhow::ensure!(
            bytes <= truce_core::ENTRY_BYTES_MAX as u64,
            "{}: is {bytes} bytes; a genesis is one entry of at most {} bytes",
            path.display(),
            truce_core::ENTRY_BYTES_MAX
        );
        let note = std::fs::read(path)?;
        let entry = SignedEntry::parse(note.clone())
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let Body::Genesis(genesis) = entry.body() else {
            anyhow::bail!(
                "{}: kind: a {}, not a genesis",
                path.display(),
                entry.envelope().kind
            );
        };
        Ok(Self {
            genesis: (**genesis).clone(),
            note,
        })
    }

    #[must_use]
    pub fn origin(&self) -> &str {
        &self.genesis.log.origin
    }

    /// The log key this genesis names, from the data directory's key file: the operator
    /// generated it before the agreement was drafted, and it never leaves the node.
    pub fn log_key(&self, key_path: &Path) -> anyhow::Result<KeyPair> {
        let named = &self.genesis.log.vkey;
        anyhow::ensure!(
            key_path.exists(),
            "{} is missing: the genesis names the log key {named}; put its private key \
             (made with `truce keys generate --name {} -o {}`) there",
            key_path.display(),
            self.origin(),
            key_path.display()
        );
        let key = keyfile::read_key(key_path)?;
        anyhow::ensure!(
            key.vkey() == *named,
            "{} holds the log key {}, but the genesis names {named}",
            key_path.display(),
            key.vkey()
        );
        Ok(key)
    }

    /// Appends the genesis to an empty log; a log that has one must have this one.
    pub async fn constitute(
        self,
        stored: Option<&Genesis>,
        sequencer: &SequencerHandle,
    ) -> anyhow::Result<bool> {
        match stored {
            Some(stored) if *stored == self.genesis => Ok(false),
            Some(stored) => anyhow::bail!(
                "the log in storage already has a genesis ({:?}), not this one ({:?})",
                stored.title,
                self.genesis.title
            ),
            None => {
                sequencer
                    .submit(self.note)
                    .await
                    .map_err(|e| anyhow::anyhow!("the genesis was refused: {e}"))?;
                Ok(true)
            }
        }
    }
}
