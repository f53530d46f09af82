//! Admission rules of the mechanism's workflow after an incident is opened:
//! investigations, findings and their quorum and right of reply, measures from the
//! ladder, and the talks.

use super::records::{FindingRecord, Record, RecordKind};
use super::{Effect, LogState};
use crate::envelope::Envelope;
use crate::genesis::{DelegationKind, Genesis};
use crate::keys::{KeyRecord, Role};
use crate::kinds;
use crate::mechanism::{
    CommitmentMade, CommitmentStatus, CommitmentUpdated, FindingFinalized, FindingProposed,
    FindingSigned, InvestigationOpened, InvestigationStep, MeasureStatus, MeasureUpdated,
    Statement, StepKind, TalksRound, Vote,
};
use crate::names::DelegationId;
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::signers::require_signer;
use crate::timestamp::Timestamp;

const SECONDS_PER_HOUR: i64 = 3_600;

impl LogState {
    pub(super) fn genesis_ref(&self) -> &Genesis {
        self.genesis.as_deref().expect("checked by admit")
    }

    pub(super) fn admit_investigation(
        &self,
        author: &KeyRecord,
        investigation: &InvestigationOpened,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::INVESTIGATION_OPENED)?;
        self.record_of(
            investigation.incident,
            RecordKind::Incident,
            "payload.incident",
        )?;
        for (i, monitor) in investigation.monitors.iter().enumerate() {
            let assignable = self
                .keys
                .get(monitor)
                .is_some_and(|k| k.role == Role::Monitor && k.revoked_at.is_none());
            if !assignable {
                return reject(
                    RejectionCode::Invalid,
                    format!("payload.monitors[{i}]"),
                    format!("{monitor} is not a registered, unrevoked monitor key"),
                );
            }
        }
        Ok(Effect::Records(vec![(
            None,
            Record::Investigation {
                incident: investigation.incident,
                tasks: u32::try_from(investigation.tasks.len()).unwrap_or(u32::MAX),
                closed: false,
            },
        )]))
    }

    pub(super) fn admit_step(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        step: &InvestigationStep,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::INVESTIGATION_STEP)?;
        let field = "payload.investigation";
        let Record::Investigation {
            incident,
            tasks,
            closed,
        } = self.record_of(step.investigation, RecordKind::Investigation, field)?
        else {
            unreachable!("record_of checked the kind")
        };
        if *closed {
            return reject(
                RejectionCode::Conflict,
                field,
                "the investigation is closed",
            );
        }
        if step.occurred.instant() > envelope.time.instant() {
            return reject(
                RejectionCode::Invalid,
                "payload.occurred",
                "is after the time the entry was signed",
            );
        }
        if let Some(task) = step.task
            && task >= *tasks
        {
            let reason = format!(
                "the investigation has tasks 0 to {}",
                tasks.saturating_sub(1)
            );
            return reject(RejectionCode::Invalid, "payload.task", reason);
        }
        if let Some(party) = &step.party {
            self.require_party(party, "payload.party")?;
        }
        if step.kind != StepKind::Closed {
            return Ok(Effect::Record);
        }
        let record = Record::Investigation {
            incident: *incident,
            tasks: *tasks,
            closed: true,
        };
        Ok(Effect::Records(vec![(Some(step.investigation), record)]))
    }

    pub(super) fn admit_finding(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        finding: &FindingProposed,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::FINDING_PROPOSED)?;
        let field = "payload.investigation";
        let Record::Investigation { incident, .. } =
            self.record_of(finding.investigation, RecordKind::Investigation, field)?
        else {
            unreachable!("record_of checked the kind")
        };
        let genesis = self.genesis_ref();
        if !genesis.provisions.iter().any(|p| p.id == finding.provision) {
            let reason = format!("the agreement has no provision {:?}", finding.provision);
            return reject(RejectionCode::Invalid, "payload.provision", reason);
        }
        if let Some(party) = &finding.party {
            self.require_party(party, "payload.party")?;
        }
        if let Some(at) = self.records.iter().find_map(|(at, r)| match r {
            Record::Finding(f)
                if f.investigation == finding.investigation && f.provision == finding.provision =>
            {
                Some(*at)
            }
            _ => None,
        }) {
            let reason = format!("entry {at} is already this investigation's finding on it");
            return reject(RejectionCode::Conflict, "payload.provision", reason);
        }
        let Some(Record::Incident { accused }) = self.records.get(incident) else {
            unreachable!("an investigation's incident is an incident")
        };
        let mut awaiting = accused.clone();
        awaiting.extend(finding.party.clone());
        awaiting.sort();
        awaiting.dedup();
        let window = i64::from(genesis.reply_window_hours) * SECONDS_PER_HOUR;
        let record = FindingRecord {
            investigation: finding.investigation,
            incident: *incident,
            provision: finding.provision.clone(),
            violator: finding.attributed_violator().cloned(),
            awaiting,
            proposed_at: Some(envelope.time.clone()),
            reply_due: Timestamp::from_unix_seconds(envelope.time.unix_seconds() + window),
            quorum: genesis.quorum.finding.delegations_min,
            replied: vec![],
            concur: vec![],
            dissent: vec![],
            final_at: None,
            measure: None,
        };
        Ok(Effect::Records(vec![(
            None,
            Record::Finding(Box::new(record)),
        )]))
    }

    pub(super) fn admit_vote(
        &self,
        author: &KeyRecord,
        vote: &FindingSigned,
    ) -> Result<Effect, Rejection> {
        self.require_finding_signer(author, kinds::FINDING_SIGNED)?;
        let mut finding = self.open_finding(vote.finding)?.clone();
        let delegation = &author.delegation;
        if finding.concur.contains(delegation) || finding.dissent.contains(delegation) {
            let reason = format!("delegation {delegation} has already signed this finding");
            return reject(RejectionCode::Conflict, "payload.finding", reason);
        }
        match vote.vote {
            Vote::Concur => finding.concur.push(delegation.clone()),
            Vote::Dissent => finding.dissent.push(delegation.clone()),
        }
        Ok(Effect::Records(vec![(
            Some(vote.finding),
            Record::Finding(Box::new(finding)),
        )]))
    }

    pub(super) fn admit_finalization(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        finalized: &FindingFinalized,
    ) -> Result<Effect, Rejection> {
        self.require_finding_signer(author, kinds::FINDING_FINALIZED)?;
        let mut finding = self.open_finding(finalized.finding)?.clone();
        not_before_proposal(&finding, envelope)?;
        let rule = &self.genesis_ref().quorum.finding;
        if (finding.concur.len() as u64) < u64::from(finding.quorum) {
            let reason = format!(
                "is signed in concurrence by {} delegation(s) ({}); the quorum is {} of {}",
                finding.concur.len(),
                join(&finding.concur),
                finding.quorum,
                join(&rule.eligible)
            );
            return reject(RejectionCode::Unauthorized, "payload.finding", reason);
        }
        let silent: Vec<DelegationId> = finding
            .awaiting
            .iter()
            .filter(|p| !finding.has_replied(p))
            .cloned()
            .collect();
        if !silent.is_empty() && envelope.time.instant() < finding.reply_due.instant() {
            let reason = format!(
                "{} may still reply until {}; the finding cannot become final before",
                join(&silent),
                finding.reply_due
            );
            return reject(RejectionCode::Conflict, "time", reason);
        }
        finding.final_at = Some(self.size);
        let mut records = vec![];
        if let Some(party) = finding.violator.clone() {
            finding.measure = Some(self.size);
            let ordinal = self.measures_against(&party, self.size) + 1;
            let step = self.ladder_step(ordinal).map(|s| s.id.clone());
            records.push((
                None,
                Record::Measure {
                    finding: finalized.finding,
                    party,
                    ordinal: u32::try_from(ordinal).unwrap_or(u32::MAX),
                    step,
                    status: MeasureStatus::Due,
                },
            ));
        }
        records.push((Some(finalized.finding), Record::Finding(Box::new(finding))));
        Ok(Effect::Records(records))
    }

    /// A party's reply to a finding: by an accused party, once, before the deadline.
    pub(super) fn admit_reply(
        &self,
        envelope: &Envelope,
        statement: &Statement,
        finding_at: u64,
    ) -> Result<Effect, Rejection> {
        let mut finding = self.open_finding(finding_at)?.clone();
        not_before_proposal(&finding, envelope)?;
        if finding.incident != statement.incident {
            let reason = format!("finding {finding_at} is on incident {}", finding.incident);
            return reject(RejectionCode::Invalid, "payload.incident", reason);
        }
        if !finding.awaiting.contains(&statement.party) {
            let reason = format!(
                "{} is not a party this finding concerns ({})",
                statement.party,
                join(&finding.awaiting)
            );
            return reject(RejectionCode::Unauthorized, "payload.party", reason);
        }
        if let Some((_, at)) = finding.replied.iter().find(|(p, _)| p == &statement.party) {
            let reason = format!("{} replied at entry {at}", statement.party);
            return reject(RejectionCode::Conflict, "payload.finding", reason);
        }
        if envelope.time.instant() > finding.reply_due.instant() {
            let reason = format!("the reply deadline passed at {}", finding.reply_due);
            return reject(RejectionCode::Conflict, "time", reason);
        }
        finding.replied.push((statement.party.clone(), self.size));
        Ok(Effect::Records(vec![(
            Some(finding_at),
            Record::Finding(Box::new(finding)),
        )]))
    }

    pub(super) fn admit_measure_update(
        &self,
        author: &KeyRecord,
        update: &MeasureUpdated,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::MEASURE_UPDATED)?;
        let field = "payload.measure";
        let mut record = self
            .record_of(update.measure, RecordKind::Measure, field)?
            .clone();
        let Record::Measure { status, .. } = &mut record else {
            unreachable!("record_of checked the kind")
        };
        if status.is_terminal() {
            let reason = format!("the measure is already {}", status.as_str());
            return reject(RejectionCode::Conflict, field, reason);
        }
        *status = update.status;
        Ok(Effect::Records(vec![(Some(update.measure), record)]))
    }

    pub(super) fn admit_round(
        &self,
        author: &KeyRecord,
        round: &TalksRound,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::TALKS_ROUND)?;
        for (i, id) in round.participants.iter().enumerate() {
            if self.genesis_ref().delegation(id).is_none() {
                let at = format!("payload.participants[{i}]");
                return reject(RejectionCode::Invalid, at, "no delegation has this id");
            }
        }
        Ok(Effect::Records(vec![(None, Record::TalksRound)]))
    }

    pub(super) fn admit_commitment(
        &self,
        author: &KeyRecord,
        commitment: &CommitmentMade,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::COMMITMENT_MADE)?;
        self.record_of(commitment.round, RecordKind::TalksRound, "payload.round")?;
        if self.genesis_ref().delegation(&commitment.owner).is_none() {
            return reject(
                RejectionCode::Invalid,
                "payload.owner",
                "no delegation has this id",
            );
        }
        let record = Record::Commitment {
            owner: commitment.owner.clone(),
            status: CommitmentStatus::Open,
        };
        Ok(Effect::Records(vec![(None, record)]))
    }

    pub(super) fn admit_commitment_update(
        &self,
        author: &KeyRecord,
        update: &CommitmentUpdated,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::COMMITMENT_UPDATED)?;
        let field = "payload.commitment";
        let Record::Commitment { owner, .. } =
            self.record_of(update.commitment, RecordKind::Commitment, field)?
        else {
            unreachable!("record_of checked the kind")
        };
        let record = Record::Commitment {
            owner: owner.clone(),
            status: update.status,
        };
        Ok(Effect::Records(vec![(Some(update.commitment), record)]))
    }

    /// The ladder's step for the `ordinal`-th measure against a party (1-based): the
    /// steps escalate with each final attributed violation and stay on the last.
    #[must_use]
    pub fn ladder_step(&self, ordinal: usize) -> Option<&crate::genesis::MeasureStep> {
        let steps = &self.genesis.as_deref()?.measures;
        steps.get(ordinal.saturating_sub(1).min(steps.len().checked_sub(1)?))
    }

    /// How many measures a party had incurred up to (not including) entry `before`.
    #[must_use]
    pub fn measures_against(&self, party: &DelegationId, before: u64) -> usize {
        self.records
            .iter()
            .filter(|(at, r)| {
                **at < before && matches!(r, Record::Measure { party: p, .. } if p == party)
            })
            .count()
    }

    fn require_finding_signer(&self, author: &KeyRecord, kind: &str) -> Result<(), Rejection> {
        require_signer(author, kind)?;
        let rule = &self.genesis_ref().quorum.finding;
        if !rule.eligible.contains(&author.delegation) {
            let reason = format!(
                "delegation {} is not among those who sign findings ({})",
                author.delegation,
                join(&rule.eligible)
            );
            return reject(RejectionCode::Unauthorized, "author", reason);
        }
        Ok(())
    }

    fn open_finding(&self, at: u64) -> Result<&FindingRecord, Rejection> {
        let Record::Finding(finding) =
            self.record_of(at, RecordKind::Finding, "payload.finding")?
        else {
            unreachable!("record_of checked the kind")
        };
        if let Some(final_at) = finding.final_at {
            let reason = format!("the finding became final at entry {final_at}");
            return reject(RejectionCode::Conflict, "payload.finding", reason);
        }
        Ok(finding)
    }

    pub(super) fn require_party(&self, id: &DelegationId, field: &str) -> Result<(), Rejection> {
        let is_party = self
            .genesis_ref()
            .delegation(id)
            .is_some_and(|d| d.kind == DelegationKind::Party);
        if is_party {
            return Ok(());
        }
        reject(
            RejectionCode::Invalid,
            field,
            format!("{id} is not a party to the agreement"),
        )
    }
}

/// Replies and finalizations come after the proposal they answer, on any clock.
fn not_before_proposal(finding: &FindingRecord, envelope: &Envelope) -> Result<(), Rejection> {
    match &finding.proposed_at {
        Some(proposed) if envelope.time.instant() < proposed.instant() => reject(
            RejectionCode::Invalid,
            "time",
            format!("is before the finding was proposed ({proposed})"),
        ),
        _ => Ok(()),
    }
}

fn join(ids: &[DelegationId]) -> String {
    if ids.is_empty() {
        return "none".into();
    }
    ids.iter()
        .map(DelegationId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
