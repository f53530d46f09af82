//! What the admission rules remember of each record later entries refer to: enough to
//! decide, without reading the log again, whether a link, a reply, a signature or a
//! finalization may follow. Storage keeps these as JSON next to each record's index.

use serde::{Deserialize, Serialize};

use crate::mechanism::TestimonyPolicy;
use crate::mechanism::{ActorId, Alias, CommitmentStatus, MeasureStatus, Provenance, SensorId};
use crate::names::{DelegationId, KeyName};
use crate::timestamp::Timestamp;

/// A record and its current state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    Report,
    /// A report imported from a dataset: its row may not be imported again. A report
    /// for every rule that refers to reports.
    ImportedReport {
        provenance: Provenance,
    },
    /// The constitution as an `agreement.amended` entry left it.
    Amendment(Box<crate::genesis::Genesis>),
    Incident {
        accused: Vec<DelegationId>,
    },
    Investigation {
        incident: u64,
        tasks: u32,
        closed: bool,
    },
    Finding(Box<FindingRecord>),
    /// A measure from the ladder, incurred by the party a final finding attributes.
    Measure {
        finding: u64,
        party: DelegationId,
        /// This is the party's `ordinal`-th measure (1-based) ...
        ordinal: u32,
        /// ... so it is this step of the ladder (none if the agreement has no ladder).
        step: Option<String>,
        status: MeasureStatus,
    },
    TalksRound,
    Commitment {
        owner: DelegationId,
        status: CommitmentStatus,
    },
    /// An actor in the neutral registry, with every alias it has been given.
    Actor {
        id: ActorId,
        aliases: Vec<Alias>,
    },
    /// A party's designation of the actor registered at `actor`.
    Designation {
        actor: u64,
        party: DelegationId,
        /// The filing that withdrew it, if one did.
        withdrawn_at: Option<u64>,
    },
    /// A sensor the mechanism operates, registered under this id.
    Sensor {
        id: SensorId,
    },
    /// A liaison contact with the party reached, and whether it was acknowledged and its
    /// outcome recorded (each happens once).
    Contact {
        party: DelegationId,
        acknowledged: bool,
        outcome: bool,
    },
    /// An officer named custodian of sealed testimony, with their encryption key.
    Custodian {
        key: KeyName,
        delegation: DelegationId,
        encryption_key: String,
    },
    /// A sealed testimony: the policy it was sealed under, the custodians holding its
    /// shares, and whether it was destroyed.
    Testimony {
        policy: TestimonyPolicy,
        custodians: Vec<Holder>,
        destroyed: bool,
        /// The SHA-256 of its sealed part and of each share.
        files: Vec<String>,
    },
    /// A request to unseal `testimony`, open for approvals until `expires`.
    UnsealRequest {
        testimony: u64,
        requester: KeyName,
        expires: Timestamp,
        approvals: Vec<Released>,
    },
}

/// A custodian's approval of a request: who, and the SHA-256 of the share they released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Released {
    pub custodian: KeyName,
    pub sha256: String,
}

/// A custodian as a testimony's record knows them: their key and delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    pub key: KeyName,
    pub delegation: DelegationId,
}

/// The kinds of records, for messages and storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Report,
    Amendment,
    Incident,
    Investigation,
    Finding,
    Measure,
    TalksRound,
    Commitment,
    Actor,
    Designation,
    Sensor,
    Contact,
    Custodian,
    Testimony,
    UnsealRequest,
}

/// A finding's progress towards being final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    pub investigation: u64,
    pub incident: u64,
    pub provision: String,
    /// The party a violation is attributed to, if any: the ladder applies to it.
    pub violator: Option<DelegationId>,
    /// The parties with a right of reply: the incident's accused and the attributed party.
    pub awaiting: Vec<DelegationId>,
    /// When the finding was proposed: replies and the finalization cannot be dated
    /// earlier, a rule auditors check without a clock. (Absent in records saved before
    /// it was kept.)
    #[serde(default)]
    pub proposed_at: Option<Timestamp>,
    pub reply_due: Timestamp,
    /// Concurring delegations needed (the genesis quorum when it was proposed).
    pub quorum: u32,
    /// (party, index of its reply)
    pub replied: Vec<(DelegationId, u64)>,
    /// Delegations whose signatures concur, and those that dissent, in signing order.
    pub concur: Vec<DelegationId>,
    pub dissent: Vec<DelegationId>,
    pub final_at: Option<u64>,
    pub measure: Option<u64>,
}

impl Record {
    #[must_use]
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Report | Self::ImportedReport { .. } => RecordKind::Report,
            Self::Amendment(_) => RecordKind::Amendment,
            Self::Incident { .. } => RecordKind::Incident,
            Self::Investigation { .. } => RecordKind::Investigation,
            Self::Finding(_) => RecordKind::Finding,
            Self::Measure { .. } => RecordKind::Measure,
            Self::TalksRound => RecordKind::TalksRound,
            Self::Commitment { .. } => RecordKind::Commitment,
            Self::Actor { .. } => RecordKind::Actor,
            Self::Designation { .. } => RecordKind::Designation,
            Self::Sensor { .. } => RecordKind::Sensor,
            Self::Contact { .. } => RecordKind::Contact,
            Self::Custodian { .. } => RecordKind::Custodian,
            Self::Testimony { .. } => RecordKind::Testimony,
            Self::UnsealRequest { .. } => RecordKind::UnsealRequest,
        }
    }
}

impl RecordKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Report => "report",
            Self::Amendment => "amendment",
            Self::Incident => "incident",
            Self::Investigation => "investigation",
            Self::Finding => "finding",
            Self::Measure => "measure",
            Self::TalksRound => "talks_round",
            Self::Commitment => "commitment",
            Self::Actor => "actor",
            Self::Designation => "designation",
            Self::Sensor => "sensor",
            Self::Contact => "liaison contact",
            Self::Custodian => "custodian",
            Self::Testimony => "testimony",
            Self::UnsealRequest => "request to unseal",
        }
    }
}

impl FindingRecord {
    /// The finding's status as the record shows it (the reply window's end is a time the
    /// reader compares with its own clock).
    #[must_use]
    pub fn status(&self) -> &'static str {
        if self.final_at.is_some() {
            "final"
        } else if (self.concur.len() as u64) < u64::from(self.quorum) {
            "awaiting_signatures"
        } else if self.awaiting.iter().all(|p| self.has_replied(p)) {
            "ready"
        } else {
            "awaiting_reply"
        }
    }

    #[must_use]
    pub fn has_replied(&self, party: &DelegationId) -> bool {
        self.replied.iter().any(|(p, _)| p == party)
    }
}
