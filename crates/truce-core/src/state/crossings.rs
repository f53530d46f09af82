//! Admission rules of the border crossings' statuses and flows.
//!
//! Monitors, commissioners and the parties' liaisons record them: each entry is its
//! author's delegation's account (the projection keeps who reported it), so a liaison
//! speaks only in its own party's name, and the accounts of different delegations stand
//! side by side. A status or a flow cannot be dated after the entry that records it: the
//! record says what was, not what is announced.

use super::{Effect, not_after_signing};
use crate::envelope::Envelope;
use crate::keys::KeyRecord;
use crate::kinds;
use crate::mechanism::{CrossingFlow, CrossingStatus};
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::signers::require_signer;

pub(super) fn admit_status(
    author: &KeyRecord,
    envelope: &Envelope,
    status: &CrossingStatus,
) -> Result<Effect, Rejection> {
    require_signer(author, kinds::CROSSING_STATUS)?;
    not_after_signing(&status.since, envelope, "payload.since")?;
    Ok(Effect::Record)
}

pub(super) fn admit_flow(
    author: &KeyRecord,
    envelope: &Envelope,
    flow: &CrossingFlow,
) -> Result<Effect, Rejection> {
    require_signer(author, kinds::CROSSING_FLOW)?;
    if flow.end.date() > envelope.time.instant().date() {
        return reject(
            RejectionCode::Invalid,
            "payload.end",
            format!(
                "{} is after the day the entry was signed ({})",
                flow.end, envelope.time
            ),
        );
    }
    Ok(Effect::Record)
}
