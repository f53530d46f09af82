//! Admission rules of the liaison channel: monitors and commissioners open contacts with
//! a party and record their outcome; only the contacted party's own liaison acknowledges,
//! once; an outcome is recorded once.

use super::records::{Record, RecordKind};
use super::{Effect, LogState};
use crate::keys::KeyRecord;
use crate::kinds;
use crate::mechanism::{LiaisonAcknowledged, LiaisonContact, LiaisonOutcome};
use crate::names::DelegationId;
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::signers::require_signer;

impl LogState {
    pub(super) fn admit_contact(
        &self,
        author: &KeyRecord,
        contact: &LiaisonContact,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::LIAISON_CONTACT)?;
        self.require_party(&contact.party, "payload.party")?;
        if let Some(at) = contact.incident {
            self.record_of(at, RecordKind::Incident, "payload.incident")?;
        }
        let record = Record::Contact {
            party: contact.party.clone(),
            acknowledged: false,
            outcome: false,
        };
        Ok(Effect::Records(vec![(None, record)]))
    }

    pub(super) fn admit_acknowledgement(
        &self,
        author: &KeyRecord,
        ack: &LiaisonAcknowledged,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::LIAISON_ACKNOWLEDGED)?;
        let (party, acknowledged, outcome) = self.contact(ack.contact)?;
        if author.delegation != *party {
            let reason = format!(
                "contact {} reached {party}; only {party}'s own liaison acknowledges it, not {}",
                ack.contact, author.name
            );
            return reject(RejectionCode::Unauthorized, "author", reason);
        }
        if acknowledged {
            let reason = format!("contact {} was acknowledged already", ack.contact);
            return reject(RejectionCode::Conflict, "payload.contact", reason);
        }
        let record = Record::Contact {
            party: party.clone(),
            acknowledged: true,
            outcome,
        };
        Ok(Effect::Records(vec![(Some(ack.contact), record)]))
    }

    pub(super) fn admit_contact_outcome(
        &self,
        author: &KeyRecord,
        outcome: &LiaisonOutcome,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::LIAISON_OUTCOME)?;
        let (party, acknowledged, recorded) = self.contact(outcome.contact)?;
        if recorded {
            let reason = format!("contact {} has its outcome already", outcome.contact);
            return reject(RejectionCode::Conflict, "payload.contact", reason);
        }
        let record = Record::Contact {
            party: party.clone(),
            acknowledged,
            outcome: true,
        };
        Ok(Effect::Records(vec![(Some(outcome.contact), record)]))
    }

    fn contact(&self, at: u64) -> Result<(&DelegationId, bool, bool), Rejection> {
        match self.record_of(at, RecordKind::Contact, "payload.contact")? {
            Record::Contact {
                party,
                acknowledged,
                outcome,
            } => Ok((party, *acknowledged, *outcome)),
            _ => unreachable!("record_of checked the kind"),
        }
    }
}
