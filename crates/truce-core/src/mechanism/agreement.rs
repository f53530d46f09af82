//! Amending the agreement: a new list of provisions, a new ladder of measures, a new
//! reply window, signed by the root keys of enough delegations to meet the genesis
//! amendment quorum. Delegations, keys, quorum rules and witnesses are not amendable
//! this way: they are the constitution's frame.

use serde::{Deserialize, Serialize};

use super::values::text;
use crate::genesis::{MeasureStep, Provision, validate_measures, validate_provisions};
use crate::rejection::FieldError;

/// The longest reply window an amendment may set, in hours (30 days).
pub const REPLY_WINDOW_HOURS_MAX: u32 = 720;

/// The agreement as amended: each list replaces the previous one whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementAmended {
    pub measures: Vec<MeasureStep>,
    pub provisions: Vec<Provision>,
    /// Why, as the signatories agreed it.
    pub reason: String,
    pub reply_window_hours: u32,
}

impl AgreementAmended {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.reason, "reason", 1, 5_000)?;
        if self.provisions.is_empty() {
            return Err(FieldError::new(
                "provisions",
                "an agreement keeps at least one provision",
            ));
        }
        validate_provisions(&self.provisions)?;
        validate_measures(&self.measures)?;
        if !(1..=REPLY_WINDOW_HOURS_MAX).contains(&self.reply_window_hours) {
            return Err(FieldError::new(
                "reply_window_hours",
                format!("must be 1 to {REPLY_WINDOW_HOURS_MAX}"),
            ));
        }
        Ok(())
    }
}
