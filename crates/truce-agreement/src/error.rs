//! What went wrong, named the way the API names it: a field (or a signature's source) and
//! the reason.

use truce_core::Rejection;

/// A refused agreement file, draft, signature or assembly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct AgreementError {
    /// The key in the agreement file (`delegations[1].root_key`), the draft's field, or
    /// where a signature came from (`af.sig`).
    pub field: String,
    pub reason: String,
}

impl AgreementError {
    pub(crate) fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl From<Rejection> for AgreementError {
    fn from(rejection: Rejection) -> Self {
        Self::new(rejection.field, rejection.reason)
    }
}

impl From<truce_core::FieldError> for AgreementError {
    fn from(truce_core::FieldError { field, reason }: truce_core::FieldError) -> Self {
        Self::new(field, reason)
    }
}
