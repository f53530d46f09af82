//! Evidence on the record: files are named by SHA-256 in entries' attachments and kept
//! outside the log. An attachment is confidential unless its author marks it public or a
//! commissioner publishes it later; every download of a confidential file is itself an
//! entry, signed for the person who downloaded it.

use serde::{Deserialize, Serialize};

use super::values::text;
use crate::rejection::FieldError;

/// A commissioner makes an attached file public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidencePublished {
    pub note: String,
    pub sha256: String,
}

/// Someone downloaded a confidential file; recorded before the bytes are served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceAccessed {
    pub purpose: String,
    pub sha256: String,
}

fn sha256(value: &str) -> Result<(), FieldError> {
    if !crate::envelope::is_sha256_hex(value) {
        return Err(FieldError::new("sha256", "must be 64 lowercase hex digits"));
    }
    Ok(())
}

impl EvidencePublished {
    pub fn validate(&self) -> Result<(), FieldError> {
        sha256(&self.sha256)?;
        text(&self.note, "note", 0, 5_000)
    }
}

impl EvidenceAccessed {
    pub fn validate(&self) -> Result<(), FieldError> {
        sha256(&self.sha256)?;
        text(&self.purpose, "purpose", 0, 1_000)
    }
}
