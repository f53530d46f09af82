//! Admission of `agreement.amended`: one entry carrying the signatures of root keys of
//! enough distinct delegations to meet the genesis amendment quorum, the author's first.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{Admission, Effect, EntryView, LogState, check_signature_lines};
use crate::genesis::Genesis;
use crate::keys::{KeyRecord, Role};
use crate::mechanism::AgreementAmended;
use crate::rejection::{Rejection, RejectionCode, reject};

impl LogState {
    pub(super) fn admit_amendment(
        &self,
        entry: EntryView<'_>,
        genesis: &Genesis,
        amendment: &AgreementAmended,
    ) -> Result<Admission, Rejection> {
        let rule = &genesis.quorum.amendment;
        let mut signers: Vec<Arc<KeyRecord>> = vec![];
        for (name, _) in entry.signatures {
            let key = self
                .keys
                .iter()
                .find(|(k, _)| k.as_str() == name)
                .map(|(_, record)| record.clone());
            let Some(key) = key else {
                let reason = format!("{name} is not a key registered on this log");
                return reject(RejectionCode::UnknownKey, "signature", reason);
            };
            let eligible = key.role == Role::Root
                && key.revoked_at.is_none()
                && rule.eligible.contains(&key.delegation);
            if !eligible {
                let reason =
                    format!("{name} is not the root key of a delegation that amends the agreement");
                return reject(RejectionCode::Unauthorized, "signature", reason);
            }
            if !signers.iter().any(|s| s.name == key.name) {
                signers.push(key);
            }
        }
        if !signers.iter().any(|s| s.name == entry.envelope.author) {
            return reject(
                RejectionCode::Unauthorized,
                "author",
                "an amendment is authored by one of the root keys that sign it",
            );
        }
        let records: Vec<KeyRecord> = signers.iter().map(|k| (**k).clone()).collect();
        check_signature_lines(entry.signatures, &records)?;
        let delegations: BTreeSet<&str> = signers.iter().map(|k| k.delegation.as_str()).collect();
        if (delegations.len() as u64) < u64::from(rule.delegations_min) {
            let eligible: Vec<&str> = rule
                .eligible
                .iter()
                .map(crate::names::DelegationId::as_str)
                .collect();
            let signed: Vec<&str> = delegations.into_iter().collect();
            let reason = format!(
                "signed by {} delegation(s) ({}); amending the agreement needs {} of {}",
                signed.len(),
                signed.join(", "),
                rule.delegations_min,
                eligible.join(", ")
            );
            return reject(RejectionCode::Unauthorized, "signature", reason);
        }
        self.check_sequence(entry.envelope)?;
        let mut amended = genesis.clone();
        amended.provisions.clone_from(&amendment.provisions);
        amended.measures.clone_from(&amendment.measures);
        amended.reply_window_hours = amendment.reply_window_hours;
        // The closure alert is part of the frame, not amendable here: an amendment cannot
        // drop the provision it concerns.
        amended.validate_crossing_alert().map_err(|crate::rejection::FieldError { reason, .. }| {
            Rejection::new(
                RejectionCode::Invalid,
                "payload.provisions",
                format!(
                    "the crossing closure alert concerns a provision the amendment drops: {reason}"
                ),
            )
        })?;
        Ok(Admission {
            signers,
            author: entry.envelope.author.clone(),
            seq: entry.envelope.seq,
            effect: Effect::Amend(Arc::new(amended)),
        })
    }
}
