//! Helpers shared by the admission tests.

use truce_core::{Rejection, RejectionCode};

/// Asserts `result` is a refusal with `code` naming `field`; answers its reason.
pub fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, Rejection>,
    code: RejectionCode,
    field: &str,
) -> String {
    let rejection = result.expect_err("the entry must be refused");
    assert_eq!(
        (rejection.code, rejection.field.as_str()),
        (code, field),
        "refused for another reason: {rejection}"
    );
    rejection.reason
}
