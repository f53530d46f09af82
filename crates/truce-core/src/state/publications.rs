//! Admission of published situation reports (`report.published`).
//!
//! Commissioners and monitors may publish: the situation report is the mechanism's own
//! account, drafted by its monitors and released by the commission, so it is entered on
//! the log by the people who speak for the mechanism. A party's liaison (or a field
//! device) may not: an entry naming a file as "the report" must not come from one side,
//! whose own account belongs in its statements and notices. A report cannot cover days
//! after the entry: it says what the record held, not what is expected.

use super::Effect;
use crate::envelope::Envelope;
use crate::keys::KeyRecord;
use crate::kinds;
use crate::mechanism::ReportPublished;
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::signers::require_signer;

pub(super) fn admit(
    author: &KeyRecord,
    envelope: &Envelope,
    published: &ReportPublished,
) -> Result<Effect, Rejection> {
    require_signer(author, kinds::REPORT_PUBLISHED)?;
    if published.period.to.date() > envelope.time.instant().date() {
        return reject(
            RejectionCode::Invalid,
            "payload.period.to",
            format!(
                "{} is after the day the entry was signed ({})",
                published.period.to, envelope.time
            ),
        );
    }
    Ok(Effect::Record)
}
