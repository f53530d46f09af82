//! The kinds of entries this log knows, and their payloads.
//!
//! A kind is a name and a version; its payload is decoded strictly (unknown fields are
//! refused), so an entry means exactly one thing to every reader.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::genesis::Genesis;
use crate::keys::{Role, VerifierKey};
use crate::mechanism::{
    ActorRegistered, ActorUpdated, AgreementAmended, CasualtiesReconciled, CommitmentMade,
    CommitmentUpdated, CrossingFlow, CrossingStatus, CustodianRegistered, DesignationFiled,
    EvidenceAccessed, EvidencePublished, FindingFinalized, FindingProposed, FindingSigned,
    IncidentOpened, InvestigationOpened, InvestigationStep, LiaisonAcknowledged, LiaisonContact,
    LiaisonOutcome, MeasureUpdated, Observation, Report, ReportLinked, ReportPublished,
    ReportVerified, RestrictionRecorded, SensorRegistered, SensorStatus, Statement, TalksRound,
    TestimonyDestroyed, TestimonyRecorded, UnsealApproved, UnsealRequested,
};
use crate::names::{DelegationId, KeyName};
use crate::rejection::FieldError;
use crate::rejection::{Rejection, RejectionCode, reject};

pub const GENESIS: &str = "log.genesis";
pub const KEY_REGISTERED: &str = "key.registered";
pub const KEY_REVOKED: &str = "key.revoked";
pub const NOTICE_PUBLISHED: &str = "notice.published";
pub const REPORT_SUBMITTED: &str = "report.submitted";
pub const INCIDENT_OPENED: &str = "incident.opened";
pub const REPORT_LINKED: &str = "report.linked";
pub const STATEMENT_FILED: &str = "statement.filed";
pub const INVESTIGATION_OPENED: &str = "investigation.opened";
pub const INVESTIGATION_STEP: &str = "investigation.step";
pub const FINDING_PROPOSED: &str = "finding.proposed";
pub const FINDING_SIGNED: &str = "finding.signed";
pub const FINDING_FINALIZED: &str = "finding.finalized";
pub const MEASURE_UPDATED: &str = "measure.updated";
pub const TALKS_ROUND: &str = "talks.round";
pub const COMMITMENT_MADE: &str = "commitment.made";
pub const COMMITMENT_UPDATED: &str = "commitment.updated";
pub const AGREEMENT_AMENDED: &str = "agreement.amended";
pub const EVIDENCE_PUBLISHED: &str = "evidence.published";
pub const EVIDENCE_ACCESSED: &str = "evidence.accessed";
pub const ACTOR_REGISTERED: &str = "actor.registered";
pub const ACTOR_UPDATED: &str = "actor.updated";
pub const DESIGNATION_FILED: &str = "designation.filed";
pub const CROSSING_STATUS: &str = "crossing.status";
pub const CROSSING_FLOW: &str = "crossing.flow";
pub const REPORT_PUBLISHED: &str = "report.published";
pub const SENSOR_REGISTERED: &str = "sensor.registered";
pub const SENSOR_STATUS: &str = "sensor.status";
pub const OBSERVATION_RECORDED: &str = "observation.recorded";
pub const RESTRICTION_RECORDED: &str = "restriction.recorded";
pub const LIAISON_CONTACT: &str = "liaison.contact";
pub const LIAISON_ACKNOWLEDGED: &str = "liaison.acknowledged";
pub const LIAISON_OUTCOME: &str = "liaison.outcome";
pub const REPORT_VERIFIED: &str = "report.verified";
pub const CASUALTIES_RECONCILED: &str = "casualties.reconciled";
pub const CUSTODIAN_REGISTERED: &str = "custodian.registered";
pub const TESTIMONY_RECORDED: &str = "testimony.recorded";
pub const TESTIMONY_UNSEAL_REQUESTED: &str = "testimony.unseal_requested";
pub const TESTIMONY_UNSEAL_APPROVED: &str = "testimony.unseal_approved";
pub const TESTIMONY_DESTROYED: &str = "testimony.destroyed";

/// Every (kind, version) this log admits.
/// The kinds of the monitors' daily work (version 1), decoded by `decode_observing`.
const OBSERVING: &[&str] = &[
    SENSOR_REGISTERED,
    SENSOR_STATUS,
    OBSERVATION_RECORDED,
    RESTRICTION_RECORDED,
    LIAISON_CONTACT,
    LIAISON_ACKNOWLEDGED,
    LIAISON_OUTCOME,
    REPORT_VERIFIED,
    CASUALTIES_RECONCILED,
];

/// The kinds of sealed testimony (version 1), decoded by `decode_testimony`.
const SEALING: &[&str] = &[
    CUSTODIAN_REGISTERED,
    TESTIMONY_RECORDED,
    TESTIMONY_UNSEAL_REQUESTED,
    TESTIMONY_UNSEAL_APPROVED,
    TESTIMONY_DESTROYED,
];

pub const KNOWN: &[(&str, u32)] = &[
    (GENESIS, 1),
    (KEY_REGISTERED, 1),
    (KEY_REVOKED, 1),
    (NOTICE_PUBLISHED, 1),
    (REPORT_SUBMITTED, 1),
    (INCIDENT_OPENED, 1),
    (REPORT_LINKED, 1),
    (STATEMENT_FILED, 1),
    (INVESTIGATION_OPENED, 1),
    (INVESTIGATION_STEP, 1),
    (FINDING_PROPOSED, 1),
    (FINDING_SIGNED, 1),
    (FINDING_FINALIZED, 1),
    (MEASURE_UPDATED, 1),
    (TALKS_ROUND, 1),
    (COMMITMENT_MADE, 1),
    (COMMITMENT_UPDATED, 1),
    (AGREEMENT_AMENDED, 1),
    (EVIDENCE_PUBLISHED, 1),
    (EVIDENCE_ACCESSED, 1),
    (ACTOR_REGISTERED, 1),
    (ACTOR_UPDATED, 1),
    (DESIGNATION_FILED, 1),
    (CROSSING_STATUS, 1),
    (CROSSING_FLOW, 1),
    (REPORT_PUBLISHED, 1),
    (SENSOR_REGISTERED, 1),
    (SENSOR_STATUS, 1),
    (OBSERVATION_RECORDED, 1),
    (RESTRICTION_RECORDED, 1),
    (LIAISON_CONTACT, 1),
    (LIAISON_ACKNOWLEDGED, 1),
    (LIAISON_OUTCOME, 1),
    (REPORT_VERIFIED, 1),
    (CASUALTIES_RECONCILED, 1),
    (CUSTODIAN_REGISTERED, 1),
    (TESTIMONY_RECORDED, 1),
    (TESTIMONY_UNSEAL_REQUESTED, 1),
    (TESTIMONY_UNSEAL_APPROVED, 1),
    (TESTIMONY_DESTROYED, 1),
];

/// The longest notice title, in characters.
pub const NOTICE_TITLE_CHARS_MAX: usize = 200;

/// A decoded payload. (Not `Eq`: reports carry coordinates as floats.)
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Genesis(Box<Genesis>),
    KeyRegistered(Box<Registration>),
    KeyRevoked(KeyRevocation),
    NoticePublished(Notice),
    ReportSubmitted(Box<Report>),
    IncidentOpened(IncidentOpened),
    ReportLinked(ReportLinked),
    StatementFiled(Box<Statement>),
    InvestigationOpened(Box<InvestigationOpened>),
    InvestigationStep(Box<InvestigationStep>),
    FindingProposed(Box<FindingProposed>),
    FindingSigned(FindingSigned),
    FindingFinalized(FindingFinalized),
    MeasureUpdated(MeasureUpdated),
    TalksRound(Box<TalksRound>),
    CommitmentMade(CommitmentMade),
    CommitmentUpdated(CommitmentUpdated),
    AgreementAmended(Box<AgreementAmended>),
    EvidencePublished(EvidencePublished),
    EvidenceAccessed(EvidenceAccessed),
    ActorRegistered(Box<ActorRegistered>),
    ActorUpdated(Box<ActorUpdated>),
    DesignationFiled(Box<DesignationFiled>),
    CrossingStatus(Box<CrossingStatus>),
    CrossingFlow(Box<CrossingFlow>),
    ReportPublished(Box<ReportPublished>),
    SensorRegistered(Box<SensorRegistered>),
    SensorStatus(SensorStatus),
    ObservationRecorded(Box<Observation>),
    RestrictionRecorded(Box<RestrictionRecorded>),
    LiaisonContact(Box<LiaisonContact>),
    LiaisonAcknowledged(LiaisonAcknowledged),
    LiaisonOutcome(LiaisonOutcome),
    ReportVerified(ReportVerified),
    CasualtiesReconciled(CasualtiesReconciled),
    CustodianRegistered(CustodianRegistered),
    TestimonyRecorded(Box<TestimonyRecorded>),
    UnsealRequested(Box<UnsealRequested>),
    UnsealApproved(UnsealApproved),
    TestimonyDestroyed(TestimonyDestroyed),
}

/// A delegation's root key registers one of its officers' keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRegistration {
    pub delegation: DelegationId,
    pub name: KeyName,
    pub role: Role,
    /// The new key's C2SP verifier key; its name must be `name`.
    pub vkey: String,
}

/// A notice a delegation puts on the record: an announcement, a position, a correction.
/// Any registered key may publish one in its delegation's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The BCP 47 tag of the notice's language (`en`, `ps`, `prs`, `ur`, `tr`, `ar`).
    pub lang: String,
    pub text: String,
    pub title: String,
}

/// A registration with its verifier key already parsed and checked. Parsing happens when
/// the entry is decoded (in parallel, before sequencing), not during admission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub payload: KeyRegistration,
    pub key: VerifierKey,
}

/// A key is withdrawn: entries it signs after this are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRevocation {
    pub name: KeyName,
    pub reason: String,
}

impl Body {
    /// Entries that start or meet a deadline (a finding's reply window, a reply, a
    /// finalization) must carry the time they are submitted: the sequencer refuses them
    /// if backdated by more than the allowed clock skew, so no one can shorten or
    /// outrun a party's right of reply by writing an earlier time.
    #[must_use]
    pub fn is_deadline_bound(&self) -> bool {
        match self {
            // An unsealing request's window runs from its time, and an approval counts
            // only within it.
            Self::FindingProposed(_)
            | Self::FindingFinalized(_)
            | Self::UnsealRequested(_)
            | Self::UnsealApproved(_) => true,
            Self::StatementFiled(statement) => statement.finding.is_some(),
            _ => false,
        }
    }

    /// Decodes `payload` as the given kind and version.
    pub fn decode(kind: &str, version: u32, payload: &Value) -> Result<Self, Rejection> {
        match (kind, version) {
            (GENESIS, 1) => Ok(Self::Genesis(Box::new(decode_payload(payload)?))),
            (KEY_REGISTERED, 1) => Ok(Self::KeyRegistered(Box::new(registration(payload)?))),
            (KEY_REVOKED, 1) => Ok(Self::KeyRevoked(decode_payload(payload)?)),
            (NOTICE_PUBLISHED, 1) => Ok(Self::NoticePublished(notice(payload)?)),
            (REPORT_SUBMITTED, 1) => Ok(Self::ReportSubmitted(Box::new(report(payload)?))),
            (INCIDENT_OPENED, 1) => Ok(Self::IncidentOpened(validated(
                payload,
                IncidentOpened::validate,
            )?)),
            (REPORT_LINKED, 1) => Ok(Self::ReportLinked(decode_payload(payload)?)),
            (STATEMENT_FILED, 1) => Ok(Self::StatementFiled(Box::new(validated(
                payload,
                Statement::validate,
            )?))),
            (INVESTIGATION_OPENED, 1) => Ok(Self::InvestigationOpened(Box::new(validated(
                payload,
                InvestigationOpened::validate,
            )?))),
            (INVESTIGATION_STEP, 1) => Ok(Self::InvestigationStep(Box::new(validated(
                payload,
                InvestigationStep::validate,
            )?))),
            (FINDING_PROPOSED, 1) => Ok(Self::FindingProposed(Box::new(validated(
                payload,
                FindingProposed::validate,
            )?))),
            (FINDING_SIGNED, 1) => Ok(Self::FindingSigned(validated(
                payload,
                FindingSigned::validate,
            )?)),
            (FINDING_FINALIZED, 1) => Ok(Self::FindingFinalized(decode_payload(payload)?)),
            (MEASURE_UPDATED, 1) => Ok(Self::MeasureUpdated(validated(
                payload,
                MeasureUpdated::validate,
            )?)),
            (TALKS_ROUND, 1) => Ok(Self::TalksRound(Box::new(validated(
                payload,
                TalksRound::validate,
            )?))),
            (COMMITMENT_MADE, 1) => Ok(Self::CommitmentMade(validated(
                payload,
                CommitmentMade::validate,
            )?)),
            (COMMITMENT_UPDATED, 1) => Ok(Self::CommitmentUpdated(validated(
                payload,
                CommitmentUpdated::validate,
            )?)),
            (AGREEMENT_AMENDED, 1) => Ok(Self::AgreementAmended(Box::new(validated(
                payload,
                AgreementAmended::validate,
            )?))),
            (EVIDENCE_PUBLISHED, 1) => Ok(Self::EvidencePublished(validated(
                payload,
                EvidencePublished::validate,
            )?)),
            (EVIDENCE_ACCESSED, 1) => Ok(Self::EvidenceAccessed(validated(
                payload,
                EvidenceAccessed::validate,
            )?)),
            (ACTOR_REGISTERED, 1) => Ok(Self::ActorRegistered(Box::new(validated(
                payload,
                ActorRegistered::validate,
            )?))),
            (ACTOR_UPDATED, 1) => Ok(Self::ActorUpdated(Box::new(validated(
                payload,
                ActorUpdated::validate,
            )?))),
            (DESIGNATION_FILED, 1) => Ok(Self::DesignationFiled(Box::new(validated(
                payload,
                DesignationFiled::validate,
            )?))),
            (CROSSING_STATUS, 1) => Ok(Self::CrossingStatus(Box::new(validated(
                payload,
                CrossingStatus::validate,
            )?))),
            (CROSSING_FLOW, 1) => Ok(Self::CrossingFlow(Box::new(validated(
                payload,
                CrossingFlow::validate,
            )?))),
            (REPORT_PUBLISHED, 1) => Ok(Self::ReportPublished(Box::new(validated(
                payload,
                ReportPublished::validate,
            )?))),
            (kind, 1) if OBSERVING.contains(&kind) => Self::decode_observing(kind, payload),
            (kind, 1) if SEALING.contains(&kind) => Self::decode_testimony(kind, payload),
            _ if KNOWN.iter().any(|(k, _)| *k == kind) => reject(
                RejectionCode::UnknownKind,
                "version",
                format!("{kind} has no version {version}"),
            ),
            _ => reject(
                RejectionCode::UnknownKind,
                "kind",
                format!("{kind:?} is not a kind this log records"),
            ),
        }
    }
}

impl Body {
    /// The monitors' daily work: sensors, observations, restrictions, the liaison channel
    /// (version 1).
    fn decode_observing(kind: &str, payload: &Value) -> Result<Self, Rejection> {
        match kind {
            SENSOR_REGISTERED => Ok(Self::SensorRegistered(Box::new(validated(
                payload,
                SensorRegistered::validate,
            )?))),
            SENSOR_STATUS => Ok(Self::SensorStatus(validated(
                payload,
                SensorStatus::validate,
            )?)),
            OBSERVATION_RECORDED => Ok(Self::ObservationRecorded(Box::new(validated(
                payload,
                Observation::validate,
            )?))),
            RESTRICTION_RECORDED => Ok(Self::RestrictionRecorded(Box::new(validated(
                payload,
                RestrictionRecorded::validate,
            )?))),
            LIAISON_CONTACT => Ok(Self::LiaisonContact(Box::new(validated(
                payload,
                LiaisonContact::validate,
            )?))),
            LIAISON_ACKNOWLEDGED => Ok(Self::LiaisonAcknowledged(validated(
                payload,
                LiaisonAcknowledged::validate,
            )?)),
            LIAISON_OUTCOME => Ok(Self::LiaisonOutcome(validated(
                payload,
                LiaisonOutcome::validate,
            )?)),
            REPORT_VERIFIED => Ok(Self::ReportVerified(validated(
                payload,
                ReportVerified::validate,
            )?)),
            CASUALTIES_RECONCILED => Ok(Self::CasualtiesReconciled(validated(
                payload,
                CasualtiesReconciled::validate,
            )?)),
            _ => unreachable!("decode routes only these kinds here"),
        }
    }
}

impl Body {
    /// Sealed testimony and its custodians (version 1).
    fn decode_testimony(kind: &str, payload: &Value) -> Result<Self, Rejection> {
        match kind {
            CUSTODIAN_REGISTERED => Ok(Self::CustodianRegistered(validated(
                payload,
                CustodianRegistered::validate,
            )?)),
            TESTIMONY_RECORDED => Ok(Self::TestimonyRecorded(Box::new(validated(
                payload,
                TestimonyRecorded::validate,
            )?))),
            TESTIMONY_UNSEAL_REQUESTED => Ok(Self::UnsealRequested(Box::new(validated(
                payload,
                UnsealRequested::validate,
            )?))),
            TESTIMONY_UNSEAL_APPROVED => Ok(Self::UnsealApproved(validated(
                payload,
                UnsealApproved::validate,
            )?)),
            TESTIMONY_DESTROYED => Ok(Self::TestimonyDestroyed(validated(
                payload,
                TestimonyDestroyed::validate,
            )?)),
            _ => unreachable!("decode routes only these kinds here"),
        }
    }
}

fn report(payload: &Value) -> Result<Report, Rejection> {
    validated(payload, Report::validate)
}

/// Decodes a payload and runs its own checks, naming the field under `payload.`.
fn validated<T: DeserializeOwned>(
    payload: &Value,
    validate: impl FnOnce(&T) -> Result<(), FieldError>,
) -> Result<T, Rejection> {
    let value: T = decode_payload(payload)?;
    validate(&value).map_err(FieldError::in_payload)?;
    Ok(value)
}

fn notice(payload: &Value) -> Result<Notice, Rejection> {
    let notice: Notice = decode_payload(payload)?;
    let title = notice.title.chars().count();
    if title == 0 || title > NOTICE_TITLE_CHARS_MAX {
        let reason = format!("must be 1 to {NOTICE_TITLE_CHARS_MAX} characters (is {title})");
        return reject(RejectionCode::Invalid, "payload.title", reason);
    }
    validate_lang(&notice.lang, "lang").map_err(FieldError::in_payload)?;
    Ok(notice)
}

/// Checks a BCP 47 language tag's shape (`en`, `ps-AF`, `prs`).
pub fn validate_lang(lang: &str, at: &str) -> Result<(), FieldError> {
    let part_ok = |part: &str| {
        !part.is_empty() && part.len() <= 8 && part.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    if lang.len() > 35 || !lang.split('-').all(part_ok) {
        return Err(FieldError::new(
            at.to_string(),
            format!("must be a BCP 47 language tag such as en, ps or ur (got {lang:?})"),
        ));
    }
    Ok(())
}

fn registration(payload: &Value) -> Result<Registration, Rejection> {
    let payload: KeyRegistration = decode_payload(payload)?;
    let key = VerifierKey::parse(&payload.vkey)
        .map_err(|reason| Rejection::new(RejectionCode::Invalid, "payload.vkey", reason))?;
    if key.name != payload.name {
        return reject(
            RejectionCode::Invalid,
            "payload.vkey",
            "the verifier key's name must equal payload.name",
        );
    }
    Ok(Registration { payload, key })
}

fn decode_payload<T: DeserializeOwned>(payload: &Value) -> Result<T, Rejection> {
    serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "payload".to_string()
        } else {
            format!("payload.{path}")
        };
        Rejection::new(RejectionCode::Malformed, field, e.into_inner().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_kind_decodes_its_version() {
        for (kind, version) in KNOWN {
            let refused = Body::decode(kind, *version, &serde_json::json!({}));
            if let Err(rejection) = refused {
                assert_ne!(
                    rejection.code,
                    RejectionCode::UnknownKind,
                    "{kind}: {rejection}"
                );
            }
        }
    }
    use serde_json::json;

    #[test]
    fn an_unknown_kind_is_refused_by_name() {
        let err = Body::decode("report.teleported", 1, &json!({})).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_str()),
            (RejectionCode::UnknownKind, "kind")
        );
    }

    #[test]
    fn an_unknown_version_of_a_known_kind_is_refused() {
        let err = Body::decode(KEY_REVOKED, 9, &json!({})).unwrap_err();
        assert_eq!(err.field, "version");
    }

    #[test]
    fn a_notice_needs_a_title_and_a_language_tag() {
        let ok = json!({"lang": "ps-AF", "text": "", "title": "Exercise begins"});
        assert!(Body::decode(NOTICE_PUBLISHED, 1, &ok).is_ok());
        let untitled = json!({"lang": "en", "text": "x", "title": ""});
        assert_eq!(
            Body::decode(NOTICE_PUBLISHED, 1, &untitled)
                .unwrap_err()
                .field,
            "payload.title"
        );
        let bad_lang = json!({"lang": "english please", "text": "x", "title": "t"});
        assert_eq!(
            Body::decode(NOTICE_PUBLISHED, 1, &bad_lang)
                .unwrap_err()
                .field,
            "payload.lang"
        );
    }

    #[test]
    fn payload_errors_carry_the_path() {
        let payload = json!({"delegation": "pk", "name": "a/b", "role": "king", "vkey": "x"});
        let err = Body::decode(KEY_REGISTERED, 1, &payload).unwrap_err();
        assert_eq!(err.field, "payload.role", "{err}");
    }
}
