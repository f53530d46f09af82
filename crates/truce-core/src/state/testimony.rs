//! Admission of sealed testimony: custodians registered by their own delegation's root,
//! testimony sealed to every custodian under the agreement's policy, requests to unseal,
//! custodians' approvals within a request's window, and destruction.
//!
//! The invariant kept here: no single delegation's custodians can meet the policy. A
//! registration that would let one is refused, and so is a testimony sealed to a set of
//! custodians that would.

use time::Duration;

use super::records::{Holder, Record, RecordKind, Released};
use super::{Effect, LogState};
use crate::envelope::Envelope;
use crate::keys::{KeyRecord, Role};
use crate::kinds;
use crate::mechanism::{
    CustodianRegistered, TestimonyDestroyed, TestimonyPolicy, TestimonyRecorded, UnsealApproved,
    UnsealRequested,
};
use crate::names::{DelegationId, KeyName};
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::signers::require_signer;
use crate::timestamp::Timestamp;

/// The roles that may hold a custodian's share: people, not devices or roots.
const CUSTODIAN_ROLES: &[Role] = &[Role::Monitor, Role::Commissioner, Role::Liaison];

/// An active custodian as admission sees them.
struct Custodian<'a> {
    key: &'a KeyName,
    delegation: &'a DelegationId,
    encryption_key: &'a str,
}

impl LogState {
    fn testimony_policy(&self) -> Result<&TestimonyPolicy, Rejection> {
        self.genesis_ref().testimony.as_ref().map_or_else(
            || {
                reject(
                    RejectionCode::Invalid,
                    "kind",
                    "the agreement names no policy for sealed testimony ([testimony])",
                )
            },
            Ok,
        )
    }

    /// The custodians whose signing keys are active, each by their latest registration.
    fn active_custodians(&self) -> Vec<Custodian<'_>> {
        let mut found: Vec<Custodian<'_>> = self
            .custodians
            .values()
            .filter_map(|at| match self.records.get(at) {
                Some(Record::Custodian {
                    key,
                    delegation,
                    encryption_key,
                }) => Some(Custodian {
                    key,
                    delegation,
                    encryption_key,
                }),
                _ => None,
            })
            .filter(|c| self.keys.get(c.key).is_some_and(|k| k.is_active()))
            .collect();
        found.sort_by(|a, b| a.key.cmp(b.key));
        found
    }

    pub(super) fn admit_custodian(
        &self,
        author: &KeyRecord,
        custodian: &CustodianRegistered,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::CUSTODIAN_REGISTERED)?;
        let policy = self.testimony_policy()?;
        let Some(officer) = self.keys.get(&custodian.key).filter(|k| k.is_active()) else {
            let reason = format!("{} is not an active key on this log", custodian.key);
            return reject(RejectionCode::Invalid, "payload.key", reason);
        };
        if officer.delegation != author.delegation {
            let reason = format!(
                "{} belongs to {}; only its own delegation's root names it a custodian",
                officer.name, officer.delegation
            );
            return reject(RejectionCode::Unauthorized, "payload.key", reason);
        }
        if !CUSTODIAN_ROLES.contains(&officer.role) {
            let reason = format!(
                "a {} key cannot hold testimony shares; monitors, commissioners and liaisons can",
                officer.role.as_str()
            );
            return reject(RejectionCode::Invalid, "payload.key", reason);
        }
        let others = self.active_custodians();
        let delegations = others
            .iter()
            .filter(|c| *c.key != custodian.key)
            .map(|c| c.delegation)
            .chain(std::iter::once(&officer.delegation));
        if let Some(alone) = policy.met_by_one(delegations) {
            let reason = format!(
                "with {} as a custodian, {alone}'s custodians alone could meet the testimony policy ({} approvals); no one delegation may",
                officer.name, policy.threshold
            );
            return reject(RejectionCode::Invalid, "payload.key", reason);
        }
        let record = Record::Custodian {
            key: custodian.key.clone(),
            delegation: officer.delegation.clone(),
            encryption_key: custodian.encryption_key.clone(),
        };
        Ok(Effect::Records(vec![(None, record)]))
    }

    pub(super) fn admit_testimony(
        &self,
        author: &KeyRecord,
        testimony: &TestimonyRecorded,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::TESTIMONY_RECORDED)?;
        let policy = self.testimony_policy()?;
        if testimony.policy != *policy {
            let reason = format!(
                "must be the agreement's: {} approvals{}",
                policy.threshold,
                at_least(policy)
            );
            return reject(RejectionCode::Invalid, "payload.policy", reason);
        }
        if let Some(at) = testimony.incident {
            self.record_of(at, RecordKind::Incident, "payload.incident")?;
        }
        let holders = self.check_shares(testimony)?;
        self.check_new_files(testimony)?;
        if let Some(alone) = policy.met_by_one(holders.iter().map(|h| &h.delegation)) {
            let reason = format!("{alone}'s custodians alone could open it");
            return reject(RejectionCode::Invalid, "payload.shares", reason);
        }
        if !policy.is_met(holders.iter().map(|h| &h.delegation)) {
            let reason = "its custodians together cannot meet the policy; register more";
            return reject(RejectionCode::Invalid, "payload.shares", reason);
        }
        let record = Record::Testimony {
            policy: policy.clone(),
            custodians: holders,
            destroyed: false,
            files: std::iter::once(testimony.sealed.sha256.clone())
                .chain(testimony.shares.iter().map(|s| s.sha256.clone()))
                .collect(),
        };
        Ok(Effect::Records(vec![(None, record)]))
    }

    /// The testimony's files are its own: no earlier testimony or approval names them (else
    /// a request for this one could open another's, and destroying it delete another's).
    fn check_new_files(&self, testimony: &TestimonyRecorded) -> Result<(), Rejection> {
        if let Some(at) = self.sealed_files.get(&testimony.sealed.sha256) {
            let reason = format!("entry {at} names this file already");
            return reject(RejectionCode::Conflict, "payload.sealed.sha256", reason);
        }
        for (i, share) in testimony.shares.iter().enumerate() {
            let earlier = self.sealed_files.get(&share.sha256);
            let repeated = testimony.sealed.sha256 == share.sha256
                || testimony.shares[..i]
                    .iter()
                    .any(|s| s.sha256 == share.sha256);
            if earlier.is_some() || repeated {
                let reason = "names a file another share or testimony names";
                let field = format!("payload.shares[{i}].sha256");
                return reject(RejectionCode::Conflict, field, reason);
            }
        }
        Ok(())
    }

    /// Every active custodian holds exactly one share, sealed to their registered key.
    fn check_shares(&self, testimony: &TestimonyRecorded) -> Result<Vec<Holder>, Rejection> {
        let custodians = self.active_custodians();
        let mut holders = vec![];
        for (i, share) in testimony.shares.iter().enumerate() {
            let Some(custodian) = custodians.iter().find(|c| *c.key == share.custodian) else {
                let reason = format!("{} is not an active custodian", share.custodian);
                let field = format!("payload.shares[{i}].custodian");
                return reject(RejectionCode::Invalid, field, reason);
            };
            if custodian.delegation != &share.delegation {
                let reason = format!(
                    "{} is a custodian of {}, not {}",
                    share.custodian, custodian.delegation, share.delegation
                );
                let field = format!("payload.shares[{i}].delegation");
                return reject(RejectionCode::Invalid, field, reason);
            }
            if custodian.encryption_key != share.encryption_key {
                let reason = format!("is not the key {} registered as custodian", share.custodian);
                let field = format!("payload.shares[{i}].encryption_key");
                return reject(RejectionCode::Invalid, field, reason);
            }
            holders.push(Holder {
                key: custodian.key.clone(),
                delegation: custodian.delegation.clone(),
            });
        }
        if let Some(missing) = custodians
            .iter()
            .find(|c| !holders.iter().any(|h| h.key == *c.key))
        {
            let reason = format!(
                "custodian {} holds no share: the key is split among every custodian",
                missing.key
            );
            return reject(RejectionCode::Invalid, "payload.shares", reason);
        }
        Ok(holders)
    }

    pub(super) fn admit_unseal_request(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        request: &UnsealRequested,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::TESTIMONY_UNSEAL_REQUESTED)?;
        let (policy, _, destroyed) = self.testimony(request.testimony, "payload.testimony")?;
        if destroyed {
            let reason = format!("testimony {} was destroyed", request.testimony);
            return reject(RejectionCode::Conflict, "payload.testimony", reason);
        }
        if let Some(at) = request.finding {
            self.record_of(at, RecordKind::Finding, "payload.finding")?;
        }
        let window = Duration::hours(i64::from(policy.request_hours));
        let expires =
            Timestamp::from_unix_seconds((envelope.time.instant() + window).unix_timestamp());
        let record = Record::UnsealRequest {
            testimony: request.testimony,
            requester: author.name.clone(),
            expires,
            approvals: vec![],
        };
        Ok(Effect::Records(vec![(None, record)]))
    }

    pub(super) fn admit_unseal_approval(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        approval: &UnsealApproved,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::TESTIMONY_UNSEAL_APPROVED)?;
        let Record::UnsealRequest {
            testimony,
            requester,
            expires,
            approvals,
        } = self.record_of(
            approval.request,
            RecordKind::UnsealRequest,
            "payload.request",
        )?
        else {
            unreachable!("record_of checked the kind")
        };
        let (_, custodians, destroyed) = self.testimony(*testimony, "payload.request")?;
        if destroyed {
            let reason = format!("testimony {testimony} was destroyed");
            return reject(RejectionCode::Conflict, "payload.request", reason);
        }
        if envelope.time.instant() > expires.instant() {
            let reason = format!("request {} lapsed at {expires}", approval.request);
            return reject(RejectionCode::Conflict, "payload.request", reason);
        }
        if !custodians.iter().any(|h| h.key == author.name) {
            let reason = format!(
                "{} is not a custodian of testimony {testimony}",
                author.name
            );
            return reject(RejectionCode::Unauthorized, "author", reason);
        }
        if self.sealed_files.contains_key(&approval.sha256) {
            let reason = "names a file an earlier entry names";
            return reject(RejectionCode::Conflict, "payload.sha256", reason);
        }
        if approvals.iter().any(|a| a.custodian == author.name) {
            let reason = format!(
                "{} approved request {} already",
                author.name, approval.request
            );
            return reject(RejectionCode::Conflict, "payload.request", reason);
        }
        let mut approvals = approvals.clone();
        approvals.push(Released {
            custodian: author.name.clone(),
            sha256: approval.sha256.clone(),
        });
        let record = Record::UnsealRequest {
            testimony: *testimony,
            requester: requester.clone(),
            expires: expires.clone(),
            approvals,
        };
        Ok(Effect::Records(vec![(Some(approval.request), record)]))
    }

    pub(super) fn admit_destruction(
        &self,
        author: &KeyRecord,
        destroyed: &TestimonyDestroyed,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::TESTIMONY_DESTROYED)?;
        let (policy, custodians, gone) =
            self.testimony(destroyed.testimony, "payload.testimony")?;
        let Some(Record::Testimony { files, .. }) = self.records.get(&destroyed.testimony) else {
            unreachable!("testimony() checked the record")
        };
        if gone {
            let reason = format!("testimony {} was destroyed already", destroyed.testimony);
            return reject(RejectionCode::Conflict, "payload.testimony", reason);
        }
        let record = Record::Testimony {
            policy: policy.clone(),
            custodians: custodians.to_vec(),
            destroyed: true,
            files: files.clone(),
        };
        Ok(Effect::Records(vec![(Some(destroyed.testimony), record)]))
    }

    fn testimony(
        &self,
        at: u64,
        field: &str,
    ) -> Result<(&TestimonyPolicy, &[Holder], bool), Rejection> {
        match self.record_of(at, RecordKind::Testimony, field)? {
            Record::Testimony {
                policy,
                custodians,
                destroyed,
                ..
            } => Ok((policy, custodians, *destroyed)),
            _ => unreachable!("record_of checked the kind"),
        }
    }
}

/// ", at least 1 of tr, 1 of qa" for a policy's per-delegation minimums.
fn at_least(policy: &TestimonyPolicy) -> String {
    use std::fmt::Write as _;
    policy
        .at_least
        .iter()
        .fold(String::new(), |mut out, (d, n)| {
            let _ = write!(out, ", at least {n} of {d}");
            out
        })
}
