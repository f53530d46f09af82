//! The audit state file: the last checkpoint verified, and the log key it was signed by.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use truce_log::audit::Resume;
use truce_log::{Hash, SignedCheckpoint};

#[derive(Debug, Serialize, Deserialize)]
pub struct AuditState {
    pub origin: String,
    pub log_vkey: String,
    pub size: u64,
    /// Base64 root hash.
    pub root: String,
    /// The checkpoint note, kept as evidence.
    pub checkpoint: String,
    /// What the audit established at that checkpoint, so the next one checks only newer
    /// entries (absent from files written before incremental audits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume: Option<Resume>,
}

impl AuditState {
    pub fn from_checkpoint(checkpoint: &SignedCheckpoint, log_vkey: &str, resume: Resume) -> Self {
        Self {
            origin: checkpoint.origin.clone(),
            log_vkey: log_vkey.to_string(),
            size: checkpoint.size,
            root: checkpoint.root.to_string(),
            checkpoint: String::from_utf8_lossy(&checkpoint.note).into_owned(),
            resume: Some(resume),
        }
    }

    /// The saved state, or None if the file does not exist yet.
    pub fn load(path: &Path) -> anyhow::Result<Option<Self>> {
        if !path.exists() {
            return Ok(None);
        }
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let state: Self = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a truce verify state file", path.display()))?;
        // Check the saved root is a hash, so a damaged file is caught here.
        Hash::parse_hash(&state.root)
            .map_err(|_| anyhow::anyhow!("{}: root is not a base64 SHA-256", path.display()))?;
        if let Some(resume) = &state.resume {
            anyhow::ensure!(
                resume.size == state.size,
                "{}: the saved audit covers {} entries, the checkpoint {}",
                path.display(),
                resume.size,
                state.size
            );
        }
        Ok(Some(state))
    }

    pub fn size_and_root(&self) -> (u64, Hash) {
        (
            self.size,
            Hash::parse_hash(&self.root).expect("checked at load"),
        )
    }

    /// Writes the state atomically: a crash leaves the old file or the new one.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(self)?)?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}
