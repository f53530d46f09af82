//! The admission rules: which entry may follow the entries before it.
//!
//! [`LogState`] is the part of the record's state that decides admission: the genesis, every
//! key ever registered, and each author's last sequence number and entry hash. The
//! sequencer keeps one to admit submissions; `truce verify` rebuilds one from the entries
//! to check them. Both call [`LogState::admit`] then [`LogState::apply`].

mod actors;
mod amendment;
mod crossings;
mod liaison;
mod observations;
mod publications;
mod records;
mod snapshot;
mod testimony;
mod workflow;

use std::collections::HashMap;
use std::sync::Arc;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};

use crate::envelope::Envelope;
use crate::genesis::DelegationKind;
use crate::genesis::Genesis;
use crate::keys::{KeyRecord, Role};
use crate::kinds::{Body, KeyRevocation, Registration};
use crate::mechanism::{
    ActorId, IncidentOpened, Provenance, Report, ReportLinked, SensorId, Statement,
};

use crate::kinds;
use crate::names::DelegationId;
use crate::names::KeyName;
use crate::rejection::FieldError;
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::signers::require_signer;
use crate::timestamp::Timestamp;
pub use records::{FindingRecord, Holder, Record, RecordKind, Released};
pub use snapshot::{SavedAuthor, SavedKey, Snapshot};

/// What admission needs to know of a parsed, not yet signature-checked entry.
#[derive(Debug, Clone, Copy)]
pub struct EntryView<'a> {
    pub envelope: &'a Envelope,
    pub body: &'a Body,
    /// The (key name, key id) of each signature line, in order.
    pub signatures: &'a [(String, u32)],
}

/// The sequencer's clock, for refusing entries claimed to be from the future.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now_unix_s: i64,
    pub future_skew_s: i64,
}

/// The log indexes that are reports, one bit each.
#[derive(Debug, Clone, Default)]
struct Reports(fixedbitset::FixedBitSet);

impl Reports {
    fn with_size(size: u64) -> Self {
        Self(fixedbitset::FixedBitSet::with_capacity(bit(size)))
    }

    fn insert(&mut self, index: u64) {
        self.0.grow(bit(index) + 1);
        self.0.insert(bit(index));
    }

    fn contains(&self, index: u64) -> bool {
        self.0.contains(bit(index))
    }
}

/// Two sets of reports are equal when they hold the same indexes, whatever capacity
/// their bitsets grew to (a restored state sizes it at once, a replayed one grows it).
impl PartialEq for Reports {
    fn eq(&self, other: &Self) -> bool {
        self.0.ones().eq(other.0.ones())
    }
}

impl Eq for Reports {}

/// A log index as a bit position (a log of more entries than memory can count could not
/// be held anyway).
fn bit(index: u64) -> usize {
    usize::try_from(index).expect("a log index fits in memory's address space")
}

/// An author's position in its own chain of entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthorHead {
    pub seq: u64,
    pub last_leaf_hash: [u8; 32],
}

/// The verdict on an admissible entry: whose signatures must verify, and what applying
/// it will change.
#[derive(Debug, Clone)]
pub struct Admission {
    /// The keys whose signatures over the note text must verify; the caller checks them.
    /// Shared with the state: admitting an entry copies no key.
    pub signers: Vec<Arc<KeyRecord>>,
    author: KeyName,
    seq: u64,
    effect: Effect,
}

#[derive(Debug, Clone)]
enum Effect {
    Genesis(Arc<Genesis>),
    /// The new key's record; its `registered_at` is set when applied.
    Register(Box<KeyRecord>),
    Revoke(KeyRevocation),
    /// Nothing changes but the author's chain.
    Record,
    /// Records created (`None`: this entry) or changed (`Some(index)`), with their new
    /// state.
    Records(Vec<(Option<u64>, Record)>),
    /// The agreement as amended: the constitution from this entry on.
    Amend(Arc<Genesis>),
}

/// What [`LogState::apply`] changed, for storage to persist.
#[derive(Debug, Clone)]
pub struct Applied {
    pub index: u64,
    /// Keys added or updated (registered, revoked, or the roots named by the genesis).
    pub keys: Vec<KeyRecord>,
    pub author: KeyName,
    pub head: AuthorHead,
    /// Records this entry created or changed, with their new state.
    pub records: Vec<(u64, Record)>,
}

/// What admission knows of a log after its first `size` entries.
///
/// Equality compares every field by value, the derived indexes (`actors`, `imported`)
/// too: two states are equal when they admit the same entries and hold the same records,
/// as two replays of the same log must be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogState {
    size: u64,
    genesis: Option<Arc<Genesis>>,
    keys: HashMap<KeyName, Arc<KeyRecord>>,
    authors: HashMap<KeyName, AuthorHead>,
    /// Records later entries refer to, by log index, with what admission must know of
    /// each: which are reports, incidents, findings, and where each finding stands.
    records: HashMap<u64, Record>,
    /// Reports, the most numerous records, kept apart as one bit per log index: a
    /// million-entry log costs 125 KB here, where a hash set of its reports held ~19 MB
    /// and map entries ~170 MB.
    reports: Reports,
    /// The registry's actors by id, with the index of their registration: derived from
    /// `records`, so that a designation finds its actor without a scan.
    actors: HashMap<ActorId, u64>,
    /// Registered sensors by id, with the index of their registration: derived from
    /// `records`, as `actors` is.
    sensors: HashMap<SensorId, u64>,
    /// Custodians of sealed testimony by signing key, with the index of their latest
    /// registration: derived from `records`, as `actors` is.
    custodians: HashMap<KeyName, u64>,
    /// Every sealed file a testimony or an approval names, with the entry that named it
    /// first: derived from `records`, so that no file is named twice.
    sealed_files: HashMap<String, u64>,
    /// Imported reports by (dataset, row), with their index: derived from `records`,
    /// which keeps each as `Record::ImportedReport` (not among the bare `reports`, so
    /// that `record` answers it with its provenance), so a row is imported once per log.
    imported: HashMap<(String, String), u64>,
}

impl LogState {
    /// The state of an empty log.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Restores a state saved by storage after `size` entries.
    #[must_use]
    pub fn restore(
        size: u64,
        genesis: Option<Genesis>,
        keys: impl IntoIterator<Item = KeyRecord>,
        authors: impl IntoIterator<Item = (KeyName, AuthorHead)>,
        records: impl IntoIterator<Item = (u64, Record)>,
    ) -> Self {
        let records = records.into_iter();
        let mut reports = Reports::with_size(size);
        let mut kept = HashMap::new();
        let mut imported = HashMap::new();
        for (at, record) in records {
            match record {
                Record::Report => {
                    reports.insert(at);
                }
                Record::ImportedReport { provenance } => {
                    imported.insert(provenance_key(&provenance), at);
                    kept.insert(at, Record::ImportedReport { provenance });
                }
                record => {
                    kept.insert(at, record);
                }
            }
        }
        let records = kept;
        // The constitution in force is the latest amendment's, if any.
        let amended = records
            .iter()
            .filter_map(|(at, record)| match record {
                Record::Amendment(genesis) => Some((*at, genesis)),
                _ => None,
            })
            .max_by_key(|(at, _)| *at)
            .map(|(_, genesis)| (**genesis).clone());
        let genesis = amended.or(genesis);
        let actors = records
            .iter()
            .filter_map(|(at, record)| match record {
                Record::Actor { id, .. } => Some((id.clone(), *at)),
                _ => None,
            })
            .collect();
        let sensors = records
            .iter()
            .filter_map(|(at, record)| match record {
                Record::Sensor { id } => Some((id.clone(), *at)),
                _ => None,
            })
            .collect();
        let custodians = records
            .iter()
            .filter_map(|(at, record)| match record {
                Record::Custodian { key, .. } => Some((key.clone(), *at)),
                _ => None,
            })
            .fold(
                HashMap::new(),
                |mut latest: HashMap<KeyName, u64>, (key, at)| {
                    let slot = latest.entry(key).or_insert(at);
                    *slot = (*slot).max(at);
                    latest
                },
            );
        let sealed_files = records
            .iter()
            .flat_map(|(at, record)| sealed_files_of(*at, record))
            .collect();
        Self {
            size,
            genesis: genesis.map(Arc::new),
            keys: keys
                .into_iter()
                .map(|k| (k.name.clone(), Arc::new(k)))
                .collect(),
            authors: authors.into_iter().collect(),
            records,
            reports,
            actors,
            sensors,
            custodians,
            sealed_files,
            imported,
        }
    }

    /// The index of the report imported from `row` of `dataset`, if one was.
    #[must_use]
    pub fn imported(&self, dataset: &str, row: &str) -> Option<u64> {
        self.imported
            .get(&(dataset.to_string(), row.to_string()))
            .copied()
    }

    /// The record entry `index` created, in its current state, if it is one others may
    /// refer to.
    #[must_use]
    pub fn record(&self, index: u64) -> Option<&Record> {
        static REPORT: Record = Record::Report;
        if self.reports.contains(index) {
            return Some(&REPORT);
        }
        self.records.get(&index)
    }

    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    #[must_use]
    pub fn genesis(&self) -> Option<&Genesis> {
        self.genesis.as_deref()
    }

    #[must_use]
    pub fn key(&self, name: &str) -> Option<&KeyRecord> {
        KeyName::parse(name)
            .ok()
            .and_then(|n| self.keys.get(&n))
            .map(AsRef::as_ref)
    }

    pub fn keys(&self) -> impl Iterator<Item = &KeyRecord> {
        self.keys.values().map(AsRef::as_ref)
    }

    #[must_use]
    pub fn author(&self, name: &KeyName) -> Option<AuthorHead> {
        self.authors.get(name).copied()
    }

    /// Decides whether `entry` may be appended next. Pure: the state is not changed.
    pub fn admit(
        &self,
        entry: EntryView<'_>,
        clock: Option<Clock>,
    ) -> Result<Admission, Rejection> {
        let envelope = entry.envelope;
        if let Some(clock) = clock {
            check_time(envelope, clock, entry.body.is_deadline_bound())?;
        }
        if let Body::Genesis(genesis) = entry.body {
            return self.admit_genesis(entry, genesis);
        }
        let Some(genesis) = &self.genesis else {
            return reject(
                RejectionCode::Conflict,
                "kind",
                "the first entry must be the genesis",
            );
        };
        if envelope.origin != genesis.log.origin {
            let reason = format!("this log's origin is {:?}", genesis.log.origin);
            return reject(RejectionCode::Invalid, "origin", reason);
        }
        if let Body::AgreementAmended(amendment) = entry.body {
            return self.admit_amendment(entry, genesis, amendment);
        }
        let author = self.signing_author(entry)?;
        self.check_sequence(envelope)?;
        let effect = match entry.body {
            Body::KeyRegistered(registration) => self.admit_registration(author, registration)?,
            Body::KeyRevoked(revocation) => self.admit_revocation(author, revocation)?,
            // Any registered, unrevoked key may publish a notice in its delegation's name,
            // and record its own access to a confidential file.
            Body::NoticePublished(_) | Body::EvidenceAccessed(_) => Effect::Record,
            Body::ReportSubmitted(report) => self.admit_report(author, envelope, report)?,
            Body::IncidentOpened(incident) => self.admit_incident(author, incident)?,
            Body::ReportLinked(link) => self.admit_link(author, link)?,
            Body::StatementFiled(statement) => self.admit_statement(author, envelope, statement)?,
            Body::InvestigationOpened(investigation) => {
                self.admit_investigation(author, investigation)?
            }
            Body::InvestigationStep(step) => self.admit_step(author, envelope, step)?,
            Body::FindingProposed(finding) => self.admit_finding(author, envelope, finding)?,
            Body::FindingSigned(vote) => self.admit_vote(author, vote)?,
            Body::FindingFinalized(finalized) => {
                self.admit_finalization(author, envelope, finalized)?
            }
            Body::MeasureUpdated(update) => self.admit_measure_update(author, update)?,
            Body::TalksRound(round) => self.admit_round(author, round)?,
            Body::CommitmentMade(commitment) => self.admit_commitment(author, commitment)?,
            Body::CommitmentUpdated(update) => self.admit_commitment_update(author, update)?,
            Body::EvidencePublished(_) => {
                require_signer(author, kinds::EVIDENCE_PUBLISHED)?;
                Effect::Record
            }

            Body::ActorRegistered(actor) => self.admit_actor(author, actor)?,
            Body::ActorUpdated(update) => self.admit_actor_update(author, update)?,
            Body::DesignationFiled(designation) => self.admit_designation(author, designation)?,
            Body::CrossingStatus(status) => crossings::admit_status(author, envelope, status)?,
            Body::CrossingFlow(flow) => crossings::admit_flow(author, envelope, flow)?,
            Body::ReportPublished(published) => publications::admit(author, envelope, published)?,
            Body::SensorRegistered(sensor) => self.admit_sensor(author, sensor)?,
            Body::SensorStatus(status) => self.admit_sensor_status(author, envelope, status)?,
            Body::ObservationRecorded(seen) => self.admit_observation(author, envelope, seen)?,
            Body::LiaisonContact(contact) => self.admit_contact(author, contact)?,
            Body::ReportVerified(verified) => self.admit_verification(author, verified)?,
            Body::CasualtiesReconciled(reconciled) => {
                self.admit_reconciliation(author, reconciled)?
            }
            Body::LiaisonAcknowledged(ack) => self.admit_acknowledgement(author, ack)?,
            Body::LiaisonOutcome(outcome) => self.admit_contact_outcome(author, outcome)?,
            Body::RestrictionRecorded(restriction) => {
                self.admit_restriction(author, envelope, restriction)?
            }
            Body::CustodianRegistered(custodian) => self.admit_custodian(author, custodian)?,
            Body::TestimonyRecorded(testimony) => self.admit_testimony(author, testimony)?,
            Body::UnsealRequested(request) => {
                self.admit_unseal_request(author, envelope, request)?
            }
            Body::UnsealApproved(approval) => {
                self.admit_unseal_approval(author, envelope, approval)?
            }
            Body::TestimonyDestroyed(destroyed) => self.admit_destruction(author, destroyed)?,
            Body::Genesis(_) | Body::AgreementAmended(_) => unreachable!("handled above"),
        };
        Ok(Admission {
            signers: vec![author.clone()],
            author: envelope.author.clone(),
            seq: envelope.seq,
            effect,
        })
    }

    /// Applies an admitted entry whose signatures were verified.
    pub fn apply(&mut self, admission: Admission, leaf_hash: [u8; 32]) -> Applied {
        let index = self.size;
        let mut records = vec![];
        let keys = match admission.effect {
            Effect::Genesis(genesis) => self.apply_genesis(genesis),
            Effect::Amend(genesis) => {
                let record = Record::Amendment(Box::new((*genesis).clone()));
                self.records.insert(index, record.clone());
                records.push((index, record));
                self.genesis = Some(genesis);
                vec![]
            }
            Effect::Register(mut record) => {
                record.registered_at = index;
                self.keys
                    .insert(record.name.clone(), Arc::new((*record).clone()));
                vec![*record]
            }
            Effect::Record => vec![],
            Effect::Records(changes) => {
                for (at, record) in changes {
                    let at = at.unwrap_or(index);
                    match &record {
                        Record::Actor { id, .. } => {
                            self.actors.insert(id.clone(), at);
                        }
                        Record::Sensor { id } => {
                            self.sensors.insert(id.clone(), at);
                        }
                        Record::Custodian { key, .. } => {
                            self.custodians.insert(key.clone(), at);
                        }
                        Record::Testimony { .. } | Record::UnsealRequest { .. } => {
                            for (file, named_at) in sealed_files_of(at, &record) {
                                self.sealed_files.entry(file).or_insert(named_at);
                            }
                        }
                        _ => {}
                    }
                    match &record {
                        Record::Report => {
                            self.reports.insert(at);
                        }
                        Record::ImportedReport { provenance } => {
                            self.imported.insert(provenance_key(provenance), at);
                            self.records.insert(at, record.clone());
                        }
                        _ => {
                            self.records.insert(at, record.clone());
                        }
                    }
                    records.push((at, record));
                }
                vec![]
            }
            Effect::Revoke(revocation) => {
                let record = self
                    .keys
                    .get_mut(&revocation.name)
                    .expect("checked at admission");
                Arc::make_mut(record).revoked_at = Some(index);
                vec![(**record).clone()]
            }
        };
        let head = AuthorHead {
            seq: admission.seq,
            last_leaf_hash: leaf_hash,
        };
        self.authors.insert(admission.author.clone(), head);
        self.size += 1;
        Applied {
            index,
            keys,
            author: admission.author,
            head,
            records,
        }
    }

    /// Counts an entry without admitting it. Only for tests that build trees of arbitrary
    /// leaves; never used on a real log.
    #[doc(hidden)]
    pub fn skip_for_test(&mut self) {
        self.size += 1;
    }

    fn admit_genesis(
        &self,
        entry: EntryView<'_>,
        genesis: &Genesis,
    ) -> Result<Admission, Rejection> {
        let envelope = entry.envelope;
        if self.size != 0 || self.genesis.is_some() {
            return reject(
                RejectionCode::Conflict,
                "kind",
                "the log already has its genesis",
            );
        }
        genesis
            .validate(&envelope.origin)
            .map_err(FieldError::in_payload)?;
        let roots = root_records(genesis);
        if !roots.iter().any(|root| root.name == envelope.author) {
            return reject(
                RejectionCode::Unauthorized,
                "author",
                "the genesis is authored by a delegation's root key",
            );
        }
        if envelope.seq != 1 {
            return reject(
                RejectionCode::Sequence,
                "seq",
                "the genesis is its author's entry 1",
            );
        }
        check_signature_lines(entry.signatures, &roots)?;
        Ok(Admission {
            signers: roots.into_iter().map(Arc::new).collect(),
            author: envelope.author.clone(),
            seq: envelope.seq,
            effect: Effect::Genesis(Arc::new(genesis.clone())),
        })
    }

    fn apply_genesis(&mut self, genesis: Arc<Genesis>) -> Vec<KeyRecord> {
        let roots = root_records(&genesis);
        for root in &roots {
            self.keys.insert(root.name.clone(), Arc::new(root.clone()));
        }
        self.genesis = Some(genesis);
        roots
    }

    /// The author's key, if it signed the entry alone and may sign at this point.
    fn signing_author(&self, entry: EntryView<'_>) -> Result<&Arc<KeyRecord>, Rejection> {
        let name = &entry.envelope.author;
        let Some(key) = self.keys.get(name) else {
            return reject(
                RejectionCode::UnknownKey,
                "author",
                format!("no key named {name} is registered on this log"),
            );
        };
        if let Some(at) = key.revoked_at {
            return reject(
                RejectionCode::RevokedKey,
                "author",
                format!("the key {name} was revoked at entry {at}"),
            );
        }
        check_signature_lines(entry.signatures, std::slice::from_ref(&**key))?;
        Ok(key)
    }

    fn check_sequence(&self, envelope: &Envelope) -> Result<(), Rejection> {
        let head = self.authors.get(&envelope.author);
        let expected = head.map_or(1, |h| h.seq + 1);
        if envelope.seq < expected {
            let reason = format!(
                "entry {} of {} is already on the log: this is a duplicate or replayed submission (the next is {expected})",
                envelope.seq, envelope.author
            );
            return reject(RejectionCode::Sequence, "seq", reason);
        }
        if envelope.seq != expected {
            let reason = format!(
                "{} is at entry {}; the next is {expected}, not {}",
                envelope.author,
                expected - 1,
                envelope.seq
            );
            return reject(RejectionCode::Sequence, "seq", reason);
        }
        if let Some(head) = head
            && envelope.prev_hash() != Some(head.last_leaf_hash)
        {
            let reason = format!(
                "must be the leaf hash of {}'s entry {}: {}",
                envelope.author,
                head.seq,
                BASE64.encode(head.last_leaf_hash)
            );
            return reject(RejectionCode::Sequence, "prev", reason);
        }
        Ok(())
    }

    fn admit_registration(
        &self,
        author: &KeyRecord,
        registration: &Registration,
    ) -> Result<Effect, Rejection> {
        let genesis = self.genesis.as_ref().expect("checked by admit");
        let payload = &registration.payload;
        let Some(delegation) = genesis.delegation(&payload.delegation) else {
            return reject(
                RejectionCode::Invalid,
                "payload.delegation",
                "no delegation has this id",
            );
        };
        if author.role != Role::Root || author.delegation != payload.delegation {
            let reason = format!(
                "only the root key of delegation {} may register its keys",
                payload.delegation
            );
            return reject(RejectionCode::Unauthorized, "author", reason);
        }
        if !payload.role.registrable_in(delegation.kind) {
            let reason = format!(
                "a {:?} delegation cannot hold {} keys",
                delegation.kind,
                payload.role.as_str()
            );
            return reject(RejectionCode::Invalid, "payload.role", reason);
        }
        if self.keys.contains_key(&payload.name) {
            return reject(
                RejectionCode::Conflict,
                "payload.name",
                "a key of this name was already registered; names are never reused",
            );
        }
        let record = KeyRecord::from_parsed(
            &payload.vkey,
            registration.key.clone(),
            payload.role,
            payload.delegation.clone(),
            0,
        );
        Ok(Effect::Register(Box::new(record)))
    }

    fn admit_report(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        report: &Report,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::REPORT_SUBMITTED)?;
        if report.started_at().instant() > envelope.time.instant() {
            return reject(
                RejectionCode::Invalid,
                "payload.occurred.start",
                "is after the time the report was signed",
            );
        }
        let genesis = self.genesis.as_ref().expect("checked by admit");
        let is_party = |id: &DelegationId| {
            genesis
                .delegation(id)
                .is_some_and(|d| d.kind == DelegationKind::Party)
        };
        if let Some(accused) = &report.accused
            && !is_party(accused)
        {
            return reject(
                RejectionCode::Invalid,
                "payload.accused",
                format!("{accused} is not a party to the agreement"),
            );
        }
        for (i, actor) in report.actors.iter().enumerate() {
            if let Some(party) = &actor.party
                && !is_party(party)
            {
                return reject(
                    RejectionCode::Invalid,
                    format!("payload.actors[{i}].party"),
                    format!("{party} is not a party to the agreement"),
                );
            }
        }
        for (i, provision) in report.provisions.iter().enumerate() {
            if !genesis.provisions.iter().any(|p| &p.id == provision) {
                return reject(
                    RejectionCode::Invalid,
                    format!("payload.provisions[{i}]"),
                    format!("the agreement has no provision {provision:?}"),
                );
            }
        }
        let record = match &report.provenance {
            Some(provenance) => {
                may_import(genesis, author)?;
                self.admit_provenance(provenance)?
            }
            None => Record::Report,
        };
        Ok(Effect::Records(vec![(None, record)]))
    }

    /// A dataset row is on a log at most once: a second report of it is refused. (So a
    /// claim on a row is only taken from the roles the agreement lets import: see
    /// `may_import`.)
    fn admit_provenance(&self, provenance: &Provenance) -> Result<Record, Rejection> {
        if let Some(at) = self.imported(&provenance.dataset, &provenance.row) {
            let reason = format!(
                "row {} of {} is already imported at index {at}",
                provenance.row, provenance.dataset
            );
            return reject(RejectionCode::Conflict, "payload.provenance", reason);
        }
        Ok(Record::ImportedReport {
            provenance: provenance.clone(),
        })
    }

    fn admit_incident(
        &self,
        author: &KeyRecord,
        incident: &IncidentOpened,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::INCIDENT_OPENED)?;
        for (i, report) in incident.reports.iter().enumerate() {
            self.record_of(
                *report,
                RecordKind::Report,
                &format!("payload.reports[{i}]"),
            )?;
        }
        let genesis = self.genesis.as_ref().expect("checked by admit");
        for (i, party) in incident.accused.iter().enumerate() {
            if genesis
                .delegation(party)
                .is_none_or(|d| d.kind != DelegationKind::Party)
            {
                return reject(
                    RejectionCode::Invalid,
                    format!("payload.accused[{i}]"),
                    format!("{party} is not a party to the agreement"),
                );
            }
        }
        let mut accused = incident.accused.clone();
        accused.sort();
        accused.dedup();
        Ok(Effect::Records(vec![(None, Record::Incident { accused })]))
    }

    fn admit_link(&self, author: &KeyRecord, link: &ReportLinked) -> Result<Effect, Rejection> {
        require_signer(author, kinds::REPORT_LINKED)?;
        self.record_of(link.incident, RecordKind::Incident, "payload.incident")?;
        self.record_of(link.report, RecordKind::Report, "payload.report")?;
        Ok(Effect::Record)
    }

    fn admit_statement(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        statement: &Statement,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::STATEMENT_FILED)?;
        if statement.party != author.delegation {
            let reason = format!(
                "{} speaks for {}, not in the name of {}",
                author.name, author.delegation, statement.party
            );
            return reject(RejectionCode::Unauthorized, "payload.party", reason);
        }
        self.record_of(statement.incident, RecordKind::Incident, "payload.incident")?;
        match statement.finding {
            Some(finding) => self.admit_reply(envelope, statement, finding),
            None => Ok(Effect::Record),
        }
    }

    /// The record at `index`, which must be of `kind`; otherwise a rejection naming `field`.
    pub(super) fn record_of(
        &self,
        index: u64,
        kind: RecordKind,
        field: &str,
    ) -> Result<&Record, Rejection> {
        match self.record(index) {
            Some(found) if found.kind() == kind => Ok(found),
            Some(found) => reject(
                RejectionCode::Invalid,
                field,
                format!(
                    "entry {index} is a {}, not a {}",
                    found.kind().as_str(),
                    kind.as_str()
                ),
            ),
            None => reject(
                RejectionCode::Invalid,
                field,
                format!("entry {index} is not a {} on this log", kind.as_str()),
            ),
        }
    }

    fn admit_revocation(
        &self,
        author: &KeyRecord,
        revocation: &KeyRevocation,
    ) -> Result<Effect, Rejection> {
        let Some(target) = self.keys.get(&revocation.name) else {
            return reject(
                RejectionCode::Invalid,
                "payload.name",
                "no key of this name is registered",
            );
        };
        if let Some(at) = target.revoked_at {
            return reject(
                RejectionCode::Conflict,
                "payload.name",
                format!("already revoked at entry {at}"),
            );
        }
        if target.role == Role::Root {
            return reject(
                RejectionCode::Unauthorized,
                "payload.name",
                "a root key is replaced only by amending the agreement",
            );
        }
        let own_root = author.role == Role::Root && author.delegation == target.delegation;
        if !own_root && author.name != target.name {
            return reject(
                RejectionCode::Unauthorized,
                "author",
                "a key is revoked by its delegation's root key or by itself",
            );
        }
        Ok(Effect::Revoke(revocation.clone()))
    }
}

fn provenance_key(provenance: &Provenance) -> (String, String) {
    (provenance.dataset.clone(), provenance.row.clone())
}

/// Only the roles the agreement names as `importers` may claim a dataset row: otherwise
/// anyone who may file a report could claim a row ahead of the real import, which would
/// then skip it as "already on the log".
fn may_import(genesis: &Genesis, author: &KeyRecord) -> Result<(), Rejection> {
    let importers = genesis.importers();
    if importers.contains(&author.role) {
        return Ok(());
    }
    let named: Vec<&str> = importers.iter().map(|r| r.as_str()).collect();
    let reason = format!(
        "a {} key cannot file an imported report; the agreement lets {} import",
        author.role.as_str(),
        named.join(", ")
    );
    reject(RejectionCode::Unauthorized, "payload.provenance", reason)
}

fn check_time(envelope: &Envelope, clock: Clock, deadline_bound: bool) -> Result<(), Rejection> {
    let ahead = envelope.time.unix_seconds() - clock.now_unix_s;
    if deadline_bound && -ahead > clock.future_skew_s {
        return reject(
            RejectionCode::Invalid,
            "time",
            format!(
                "is {} s in the past; an entry that starts or meets a deadline must carry the time it is submitted (within {} s)",
                -ahead, clock.future_skew_s
            ),
        );
    }
    // A deadline-bound entry may not be dated ahead at all: a finalization dated into the
    // skew would otherwise close a reply window the sequencer's clock says is still open.
    let allowed_ahead = if deadline_bound {
        0
    } else {
        clock.future_skew_s
    };
    if ahead > allowed_ahead {
        return reject(
            RejectionCode::Invalid,
            "time",
            format!("is {ahead} s in the future (at most {allowed_ahead} s is allowed here)"),
        );
    }
    Ok(())
}

/// The root keys the genesis names, as records registered at entry 0.
fn root_records(genesis: &Genesis) -> Vec<KeyRecord> {
    genesis
        .delegations
        .iter()
        .map(|d| {
            KeyRecord::new(&d.root_key, Role::Root, d.id.clone(), 0).expect("validated genesis")
        })
        .collect()
}

/// The note must carry exactly one signature line per expected key, and no others:
/// an extra line would let anyone change an entry's bytes without its author.
fn check_signature_lines(lines: &[(String, u32)], expected: &[KeyRecord]) -> Result<(), Rejection> {
    for (name, id) in lines {
        let Some(key) = expected.iter().find(|k| k.name.as_str() == name) else {
            return reject(
                RejectionCode::UnknownKey,
                "signature",
                format!("a signature by {name} is not expected on this entry"),
            );
        };
        if key.key_id != *id {
            return reject(
                RejectionCode::UnknownKey,
                "signature",
                format!(
                    "the signature by {name} has key id {id:08x}, not the registered {:08x}",
                    key.key_id
                ),
            );
        }
    }
    for key in expected {
        let count = lines
            .iter()
            .filter(|(name, _)| name == key.name.as_str())
            .count();
        if count != 1 {
            return reject(
                RejectionCode::BadSignature,
                "signature",
                format!("needs exactly one signature by {}, found {count}", key.name),
            );
        }
    }
    Ok(())
}

/// Refuses a time later than the entry's own: nobody records what has not happened yet.
/// The sealed files `record` (at index `at`) names, each with `at`.
fn sealed_files_of(at: u64, record: &Record) -> Vec<(String, u64)> {
    match record {
        Record::Testimony { files, .. } => files.iter().map(|f| (f.clone(), at)).collect(),
        Record::UnsealRequest { approvals, .. } => {
            approvals.iter().map(|a| (a.sha256.clone(), at)).collect()
        }
        _ => vec![],
    }
}

pub(super) fn not_after_signing(
    time: &Timestamp,
    envelope: &Envelope,
    field: &str,
) -> Result<(), Rejection> {
    if time.instant() <= envelope.time.instant() {
        return Ok(());
    }
    let reason = format!(
        "{time} is after the time the entry was signed ({})",
        envelope.time
    );
    reject(RejectionCode::Invalid, field, reason)
}
