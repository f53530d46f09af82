//! What a testimony's sealed part holds: who the witness is, how to reach them, the whole
//! statement and any files. Only ever in clear on the machines of the monitor who took it
//! and of a requester whose request the custodians approved.

use serde::{Deserialize, Serialize};

/// The longest sealed part, in bytes, before encryption (files included).
pub const SEALED_BYTES_MAX: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedPart {
    /// Who the witness is, in the words of the monitor who took the testimony.
    pub identity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The whole statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SealedFileContent>,
}

/// A file in the sealed part, its bytes in base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedFileContent {
    pub name: String,
    pub media_type: String,
    pub base64: String,
}
