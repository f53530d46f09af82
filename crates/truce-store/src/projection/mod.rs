//! The projector: a deterministic fold of admitted entries into query tables.
//!
//! [`project`] is pure: from an entry, its index and its signer it computes the SQL
//! writes that fold it in, as backend-neutral statements (`$N` placeholders, which both
//! SQLite and PostgreSQL accept) with typed arguments. Each backend only binds and runs
//! them, in the same transaction that appends the entry, so the projection never lags the
//! log. `truce rebuild` empties the tables and replays the log through the same function;
//! [`TABLES`] lists what [`crate::Store::projection_digest`] hashes.
//!
//! Architecture invariant: nothing else writes these tables, and nothing here reads the
//! clock or the database: the same log gives the same rows on every backend.

pub(crate) mod actors;
pub(crate) mod agreement;
pub mod batch;
pub(crate) mod crossings;
mod evidence;
pub mod geography;
pub(crate) mod incidents;
pub(crate) mod liaison;
pub(crate) mod observations;
pub(crate) mod publications;
pub(crate) mod reports;
pub(crate) mod restrictions;
pub(crate) mod sql;
pub(crate) mod testimony;
pub(crate) mod verification;
pub(crate) mod workflow;

use truce_core::state::Record;
use truce_core::{Body, KeyRecord};
use truce_log::SignedEntry;

pub use geography::ReportGeography;

/// A value bound to a statement or read from a row. Nulls carry their type, because
/// PostgreSQL types a parameter from the value bound to it.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(i64),
    Real(f64),
    Text(String),
    NullInt,
    NullReal,
    NullText,
}

/// The SQL type of a column, for reading rows back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Int,
    Real,
    Text,
}

/// One statement and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub sql: &'static str,
    pub args: Vec<Arg>,
}

/// A projection table: its name, its columns in primary-key-first order, and the
/// ordering that makes a dump deterministic.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Column)],
    pub order_by: &'static str,
    /// Empties the table (`DELETE FROM <name>`), for rebuilds.
    pub delete_all: &'static str,
}

/// Every projection table, in the order the digest hashes them.
pub const TABLES: &[Table] = &[
    reports::REPORTS,
    reports::REPORT_PROVISIONS,
    reports::REPORT_COUNTS,
    incidents::INCIDENTS,
    incidents::INCIDENT_REPORTS,
    incidents::STATEMENTS,
    workflow::INVESTIGATIONS,
    workflow::INVESTIGATION_STEPS,
    workflow::FINDINGS,
    workflow::FINDING_VOTES,
    workflow::MEASURES,
    workflow::TALKS_ROUNDS,
    workflow::COMMITMENTS,
    evidence::ATTACHMENTS,
    evidence::EVIDENCE_PUBLISHED,
    evidence::EVIDENCE_ACCESSES,
    actors::ACTORS,
    actors::DESIGNATIONS,
    agreement::AMENDMENTS,
    crossings::CROSSING_STATUSES,
    crossings::CROSSING_FLOWS,
    publications::REPORT_PUBLICATIONS,
    observations::SENSORS,
    observations::SENSOR_STATUSES,
    observations::OBSERVATIONS,
    observations::OBSERVATION_COUNTS,
    observations::OBSERVATION_LINKS,
    restrictions::RESTRICTIONS,
    liaison::LIAISON_CONTACTS,
    verification::REPORT_VERIFICATIONS,
    verification::CASUALTY_RECONCILIATIONS,
    testimony::CUSTODIANS,
    testimony::TESTIMONIES,
    testimony::TESTIMONY_SHARES,
    testimony::UNSEAL_REQUESTS,
    testimony::UNSEAL_APPROVALS,
];

/// The writes that fold entry `index`, signed by `signer`, into the projection.
/// `changes` are the records the admission rules created or changed for this entry
/// (`Applied::records`), with their new state. `geography` is where a report's points lie
/// in the geometry the genesis agrees ([`geography::locate_entry`]); `None` for other
/// kinds, and for reports on a log whose genesis agrees no geometry.
#[must_use]
pub fn project(
    index: u64,
    entry: &SignedEntry,
    signer: &KeyRecord,
    changes: &[(u64, Record)],
    geography: Option<&ReportGeography>,
) -> Vec<Write> {
    let mut writes = evidence::attachments(index, entry);
    writes.extend(project_body(index, entry, signer, changes, geography));
    writes
}

fn project_body(
    index: u64,
    entry: &SignedEntry,
    signer: &KeyRecord,
    changes: &[(u64, Record)],
    geography: Option<&ReportGeography>,
) -> Vec<Write> {
    match entry.body() {
        Body::ReportSubmitted(report) => {
            reports::submitted(index, entry, report, signer, geography)
        }
        Body::IncidentOpened(incident) => incidents::opened(index, entry, incident, signer),
        Body::ReportLinked(link) => incidents::linked(index, link),
        Body::StatementFiled(statement) => {
            let mut writes = incidents::statement(index, entry, statement);
            writes.extend(workflow::finding_updates(changes));
            writes
        }
        Body::InvestigationOpened(investigation) => {
            workflow::investigation(index, entry, investigation, signer)
        }
        Body::InvestigationStep(step) => workflow::step(index, entry, step),
        Body::FindingProposed(finding) => workflow::proposed(index, entry, finding, changes),
        Body::FindingSigned(vote) => workflow::vote(index, entry, vote, signer, changes),
        Body::FindingFinalized(_) => workflow::finding_updates(changes),
        Body::MeasureUpdated(update) => workflow::measure_updated(index, update),
        Body::TalksRound(round) => workflow::round(index, entry, round),
        Body::CommitmentMade(commitment) => workflow::commitment(index, commitment),
        Body::CommitmentUpdated(update) => workflow::commitment_updated(index, update),
        Body::AgreementAmended(amendment) => agreement::amended(index, entry, amendment),
        Body::EvidencePublished(published) => evidence::published(index, published),
        Body::EvidenceAccessed(accessed) => evidence::accessed(index, entry, accessed),
        Body::ActorRegistered(actor) => actors::registered(index, entry, actor, signer),
        Body::ActorUpdated(update) => actors::updated(index, update, changes),
        Body::DesignationFiled(designation) => actors::filed(index, entry, designation, changes),
        Body::CrossingStatus(status) => crossings::status(index, entry, status, signer),
        Body::CrossingFlow(flow) => crossings::flow(index, entry, flow, signer),
        Body::ReportPublished(published) => {
            publications::published(index, entry, published, signer)
        }
        Body::ReportVerified(verified) => verification::verified(index, entry, verified),
        Body::CasualtiesReconciled(reconciled) => {
            verification::reconciled(index, entry, reconciled)
        }
        Body::LiaisonContact(contact) => liaison::contact(index, entry, contact, signer),
        Body::LiaisonAcknowledged(ack) => liaison::acknowledged(index, entry, ack),
        Body::LiaisonOutcome(outcome) => liaison::outcome(index, outcome),
        Body::RestrictionRecorded(restriction) => {
            restrictions::recorded(index, entry, restriction, signer)
        }
        Body::SensorRegistered(sensor) => observations::sensor(index, entry, sensor),
        Body::SensorStatus(status) => observations::status(index, entry, status, signer),
        Body::ObservationRecorded(seen) => {
            observations::observation(index, entry, seen, signer, geography)
        }
        Body::CustodianRegistered(custodian) => {
            testimony::custodian(index, entry, custodian, changes)
        }
        Body::TestimonyRecorded(recorded) => testimony::recorded(index, entry, recorded, signer),
        Body::UnsealRequested(request) => {
            testimony::requested(index, entry, request, signer, changes)
        }
        Body::UnsealApproved(approval) => testimony::approved(index, entry, approval, signer),
        Body::TestimonyDestroyed(destroyed) => testimony::destroyed(index, entry, destroyed),
        Body::Genesis(_)
        | Body::KeyRegistered(_)
        | Body::KeyRevoked(_)
        | Body::NoticePublished(_) => vec![],
    }
}

impl Arg {
    #[must_use]
    pub fn opt_text(value: Option<&str>) -> Self {
        value.map_or(Self::NullText, |v| Self::Text(v.to_string()))
    }

    /// The text of a text value; empty for anything else (a NULL included).
    #[must_use]
    pub fn text(&self) -> &str {
        match self {
            Self::Text(v) => v,
            _ => "",
        }
    }

    /// The text of a text value; None for anything else (a NULL included).
    #[must_use]
    pub fn into_opt_text(self) -> Option<String> {
        match self {
            Self::Text(v) => Some(v),
            _ => None,
        }
    }

    /// The integer of an integer value; None for anything else (a NULL included).
    #[must_use]
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Self::Int(v) => Some(*v),
            _ => None,
        }
    }

    /// The number of a real value; None for anything else (a NULL included).
    #[must_use]
    pub fn as_real(&self) -> Option<f64> {
        match self {
            Self::Real(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as JSON, for the digest and for API answers.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Int(v) => (*v).into(),
            Self::Real(v) => (*v).into(),
            Self::Text(v) => v.clone().into(),
            Self::NullInt | Self::NullReal | Self::NullText => serde_json::Value::Null,
        }
    }
}

pub(crate) fn int(value: impl Into<i64>) -> Arg {
    Arg::Int(value.into())
}

/// A text value.
pub(crate) fn text(value: impl Into<String>) -> Arg {
    Arg::Text(value.into())
}

/// A number, or NULL when absent or not finite (a distance never computed).
pub(crate) fn opt_real(value: Option<f64>) -> Arg {
    value
        .filter(|v| v.is_finite())
        .map_or(Arg::NullReal, Arg::Real)
}

pub(crate) fn index(value: u64) -> Arg {
    Arg::Int(i64::try_from(value).expect("log indexes stay below 2^63"))
}
