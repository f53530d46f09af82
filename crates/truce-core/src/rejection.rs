//! Why an entry was refused: a code for machines, a field and a reason for people.

use std::fmt;

/// The class of a refusal; the HTTP layer maps each to a status and a problem type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectionCode {
    /// The note or its JSON is not well formed.
    Malformed,
    /// The JSON is well formed but not in RFC 8785 canonical form.
    NotCanonical,
    /// The entry is larger than the log accepts.
    TooLarge,
    /// The kind (or its version) is not one this log knows.
    UnknownKind,
    /// The signing key was never registered on this log.
    UnknownKey,
    /// The signing key was revoked before this entry.
    RevokedKey,
    /// The key is valid but its role may not make this entry.
    Unauthorized,
    /// A signature does not verify.
    BadSignature,
    /// The author's sequence number or previous-entry hash is not the expected one.
    Sequence,
    /// The entry conflicts with the log's state (a second genesis, a reused key name, ...).
    Conflict,
    /// A value is out of its allowed range (a time in the future, a bad role, ...).
    Invalid,
}

impl RejectionCode {
    /// A short stable slug, used in problem+json `type` URIs.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::NotCanonical => "not-canonical",
            Self::TooLarge => "too-large",
            Self::UnknownKind => "unknown-kind",
            Self::UnknownKey => "unknown-key",
            Self::RevokedKey => "revoked-key",
            Self::Unauthorized => "unauthorized",
            Self::BadSignature => "bad-signature",
            Self::Sequence => "sequence",
            Self::Conflict => "conflict",
            Self::Invalid => "invalid",
        }
    }

    /// The code whose [`slug`](Self::slug) is `slug` (a refusal relayed by another node).
    #[must_use]
    pub fn from_slug(slug: &str) -> Option<Self> {
        [
            Self::Malformed,
            Self::NotCanonical,
            Self::TooLarge,
            Self::UnknownKind,
            Self::UnknownKey,
            Self::RevokedKey,
            Self::Unauthorized,
            Self::BadSignature,
            Self::Sequence,
            Self::Conflict,
            Self::Invalid,
        ]
        .into_iter()
        .find(|code| code.slug() == slug)
    }
}

/// A refused entry: which field is wrong and why, in words fit to show the submitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: RejectionCode,
    /// A JSON path into the envelope (`seq`, `payload.delegations[1].root_key`) or a note
    /// part (`note`, `signature`).
    pub field: String,
    pub reason: String,
}

impl Rejection {
    #[must_use]
    pub fn new(code: RejectionCode, field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            code,
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for Rejection {}

/// What is wrong with one field of a value that checks itself (a payload, the genesis):
/// the field's path within that value and why. It becomes a [`Rejection`] once the value
/// is known to be an entry's payload (`payload.<field>`); the agreement ceremony and the
/// API name the same field the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    #[must_use]
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The refusal of an entry whose payload has this error.
    #[must_use]
    pub fn in_payload(self) -> Rejection {
        Rejection::new(
            RejectionCode::Invalid,
            format!("payload.{}", self.field),
            self.reason,
        )
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for FieldError {}

/// Shorthand used throughout the rules.
pub(crate) fn reject<T>(
    code: RejectionCode,
    field: impl Into<String>,
    reason: impl Into<String>,
) -> Result<T, Rejection> {
    Err(Rejection::new(code, field, reason))
}

#[cfg(test)]
mod tests {
    use super::RejectionCode;

    #[test]
    fn every_code_is_found_again_by_its_slug() {
        for slug in [
            "malformed",
            "not-canonical",
            "too-large",
            "unknown-kind",
            "unknown-key",
            "revoked-key",
            "unauthorized",
            "bad-signature",
            "sequence",
            "conflict",
            "invalid",
        ] {
            let code = RejectionCode::from_slug(slug).unwrap();
            assert_eq!(code.slug(), slug);
        }
        assert_eq!(RejectionCode::from_slug("unavailable"), None);
    }
}
