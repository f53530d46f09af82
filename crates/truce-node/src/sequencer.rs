//! The sequencer: the only writer of the log.
//!
//! Submissions queue on a channel. The sequencer takes them in batches (a batch closes at
//! `batch_entries_max` entries or `batch_wait_ms` after its first, or as soon as the queue
//! is empty after the last note of a batch request), admits each under the
//! rules of `truce-core` in arrival order, grows the tree, signs one checkpoint for the
//! batch, and writes the batch and its checkpoint in one transaction. Only when that
//! transaction is durable does any submitter hear that its entry was accepted.
//!
//! Architecture invariant: nothing else writes the log tables, and a checkpoint is
//! visible to readers only once it and every entry it covers are durable.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::{mpsc, oneshot};
use truce_core::rejection::{Rejection, RejectionCode};
use truce_core::state::{Admission, Clock};
use truce_core::{Body, KeyName, KeyRecord, LogState};
use truce_geo::Geometry;
use truce_log::keypair::KeyPair;
use truce_log::{Frontier, Hash, LogSigner, SignedCheckpoint, SignedEntry};
use truce_store::projection::{self, ReportGeography, geography};
use truce_store::{Batch, Lead, NewEntry, Store, StoreError};

use crate::config::Limits;
use crate::forwarding::{ForwardError, Forwarder};
use crate::geography::{Agreed, AgreedGeometry};

/// How often a process that does not lead asks again to become the sequencer.
const LEAD_RETRY: Duration = Duration::from_millis(200);
/// How often the sequencer, while it appends, records again where it is reached.
const ADVERTISE_EVERY: Duration = Duration::from_secs(10);

/// What an accepted submission gets back, once its batch is durable.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub index: u64,
    pub leaf_hash: Hash,
    pub checkpoint: Arc<SignedCheckpoint>,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// The entry was not appended and may be submitted again.
    #[error("{0}")]
    Unavailable(String),
    /// The entry was forwarded to the sequencing process, which did not answer: it may or
    /// may not be on the log, so look it up before submitting it again.
    #[error("{0}")]
    Unknown(String),
}

/// An entry checked as far as it can be without the log's state
/// ([`SequencerHandle::prepare`]), ready to queue.
pub struct Prepared {
    entry: SignedEntry,
    verified: Vec<[u8; 32]>,
    geography: Option<(ReportGeography, &'static Geometry)>,
    forwarded: bool,
}

impl Prepared {
    /// Marks an entry another process forwarded here: it is sequenced here or refused,
    /// never forwarded again.
    #[must_use]
    pub fn forwarded(self) -> Self {
        Self {
            forwarded: true,
            ..self
        }
    }
}

struct Submission {
    entry: SignedEntry,
    /// Public keys whose signatures on the entry were already verified.
    verified: Vec<[u8; 32]>,
    /// Where a report's points lie, located before sequencing, and in which geometry
    /// (`None` for other kinds, or when the geometry was not yet known). The sequencer
    /// locates again if the geometry in force is not that one.
    geography: Option<(ReportGeography, &'static Geometry)>,
    /// The last note of a batch request (`enqueue_prepared`): no more are coming from it.
    ends_request: bool,
    /// Forwarded here by another process ([`Prepared::forwarded`]).
    forwarded: bool,
    reply: oneshot::Sender<Result<Receipt, SubmitError>>,
}

/// Every key ever registered, by name. A name is bound to one public key forever, so a
/// signature checked against this map before sequencing stays checked (whether the key may
/// still sign is decided at admission).
type KnownKeys = Arc<RwLock<HashMap<KeyName, KeyRecord>>>;

/// A cheap, cloneable way to submit entries.
#[derive(Clone)]
pub struct SequencerHandle {
    tx: mpsc::Sender<Submission>,
    known: KnownKeys,
    entry_bytes_max: usize,
    geometry: AgreedGeometry,
    /// This node's log key: the origin every entry must name, and the key a genesis must.
    log_vkey: Arc<str>,
    /// Where this process is reached by the others on its database, once it listens.
    url: Arc<OnceLock<String>>,
}

impl SequencerHandle {
    /// Where the other processes on this database reach this one (to forward writes
    /// while it sequences); set once, when it listens.
    pub fn reached_at(&self, url: String) {
        let _ = self.url.set(url);
    }

    /// Checks an entry, queues it, and waits until it is durable on the log.
    pub async fn submit(&self, note: Vec<u8>) -> Result<Receipt, SubmitError> {
        self.enqueue(note)?.await
    }

    /// Checks an entry and queues it, returning a future of its receipt. Entries enqueued
    /// one after another by the same caller reach the sequencer in that order, so an author
    /// may queue its next entry before the previous one is durable.
    pub fn enqueue(
        &self,
        note: Vec<u8>,
    ) -> Result<impl Future<Output = Result<Receipt, SubmitError>> + use<>, SubmitError> {
        let prepared = self.prepare(note)?;
        self.enqueue_prepared(prepared, false)
    }

    /// The work an entry needs before sequencing and no log state: size, parse, the
    /// signatures of keys already known, where a report's points lie. Callers with many
    /// entries run it on several threads, then enqueue the results in order.
    pub fn prepare(&self, note: Vec<u8>) -> Result<Prepared, SubmitError> {
        if note.len() > self.entry_bytes_max {
            let reason = format!(
                "is {} bytes; this log accepts at most {}",
                note.len(),
                self.entry_bytes_max
            );
            return Err(Rejection::new(RejectionCode::TooLarge, "note", reason).into());
        }
        let entry = SignedEntry::parse(note)?;
        self.check_log(&entry)?;
        let verified = self.preverify(&entry)?;
        let agreed = self.geometry.get();
        // A first genesis naming a geometry this node lacks is refused here, before it
        // queues (once the log has one, admission refuses any other without this work).
        if let (Body::Genesis(genesis), None) = (entry.body(), agreed) {
            self.geometry.resolve(genesis).map_err(geometry_missing)?;
        }
        let geography = agreed.and_then(Agreed::geometry).and_then(|geometry| {
            geography::locate_entry(geometry, &entry).map(|found| (found, geometry))
        });
        Ok(Prepared {
            entry,
            verified,
            geography,
            forwarded: false,
        })
    }

    /// Queues a prepared entry, returning a future of its receipt (see [`Self::enqueue`]).
    /// `ends_request`: it is the last of a batch request, so the sequencer need not wait
    /// `batch_wait_ms` for more once its queue is empty (a scheduling hint only).
    pub fn enqueue_prepared(
        &self,
        prepared: Prepared,
        ends_request: bool,
    ) -> Result<impl Future<Output = Result<Receipt, SubmitError>> + use<>, SubmitError> {
        let Prepared {
            entry,
            verified,
            geography,
            forwarded,
        } = prepared;
        let (reply, answer) = oneshot::channel();
        self.tx
            .try_send(Submission {
                entry,
                verified,
                geography,
                ends_request,
                forwarded,
                reply,
            })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => {
                    metrics::counter!("truce_submit_queue_full_total").increment(1);
                    SubmitError::Unavailable(
                        "the sequencer's queue is full; submit again shortly".into(),
                    )
                }
                mpsc::error::TrySendError::Closed(_) => {
                    SubmitError::Unavailable("the node is shutting down".into())
                }
            })?;
        Ok(async move {
            answer.await.unwrap_or_else(|_| {
                Err(SubmitError::Unavailable(
                    "the sequencer stopped before the entry was durable".into(),
                ))
            })
        })
    }

    /// The entry is meant for this log: its origin is this node's, and a genesis names this
    /// node's log key. Admission checks later entries against the genesis; before there is
    /// one, only the node's own key tells a genesis copied from another log (whoever posted
    /// first would otherwise constitute the log).
    fn check_log(&self, entry: &SignedEntry) -> Result<(), Rejection> {
        let origin = self.log_vkey.split('+').next().expect("a vkey has a name");
        if entry.envelope().origin != origin {
            let reason = format!("this node serves the log {origin:?}");
            return Err(Rejection::new(RejectionCode::Invalid, "origin", reason));
        }
        if let Body::Genesis(genesis) = entry.body()
            && genesis.log.vkey != *self.log_vkey
        {
            let reason = format!("this node's log key is {}", self.log_vkey);
            return Err(Rejection::new(
                RejectionCode::Invalid,
                "payload.log.vkey",
                reason,
            ));
        }
        Ok(())
    }

    /// Verifies the signatures it can before the entry reaches the sequencer, so that this
    /// work runs in parallel on the request's thread. A signature that fails is final.
    fn preverify(&self, entry: &SignedEntry) -> Result<Vec<[u8; 32]>, Rejection> {
        let candidates: Vec<KeyRecord> = if let Body::Genesis(genesis) = entry.body() {
            let root = |d: &truce_core::Delegation| {
                KeyRecord::new(&d.root_key, truce_core::Role::Root, d.id.clone(), 0).ok()
            };
            genesis.delegations.iter().filter_map(root).collect()
        } else {
            let known = self.known.read().expect("known keys lock");
            known
                .get(&entry.envelope().author)
                .cloned()
                .into_iter()
                .collect()
        };
        let mut verified = vec![];
        for key in candidates
            .iter()
            .filter(|k| entry.signature_by(k).is_some())
        {
            if !entry.verify(key) {
                let reason = format!("the signature by {} does not verify", key.name);
                return Err(Rejection::new(
                    RejectionCode::BadSignature,
                    "signature",
                    reason,
                ));
            }
            verified.push(key.public_key.to_bytes());
        }
        Ok(verified)
    }
}

pub struct Sequencer {
    store: Store,
    signer: LogSigner,
    state: LogState,
    frontier: Frontier,
    limits: Limits,
    known: KnownKeys,
    geometry: AgreedGeometry,
    /// False after a storage failure until the state is reloaded from storage.
    in_step: bool,
    /// Where this process is reached (`SequencerHandle::reached_at`), and when the store
    /// was last told so while it leads (None: not since it took the lead).
    url: Arc<OnceLock<String>>,
    advertised: Option<Instant>,
    forwarder: Forwarder,
}

/// Where a batch goes.
enum Ready {
    /// This process sequences it.
    Lead,
    /// The process reached at this URL sequences the log.
    Forward(String),
}

impl Sequencer {
    /// Starts the sequencer task; it runs until every handle is dropped, finishing the
    /// batch in hand.
    #[must_use]
    pub fn spawn(
        store: Store,
        log_key: KeyPair,
        state: LogState,
        frontier: Frontier,
        limits: Limits,
        geometry: AgreedGeometry,
    ) -> (SequencerHandle, tokio::task::JoinHandle<()>) {
        let known: KnownKeys = Arc::new(RwLock::new(
            state.keys().map(|k| (k.name.clone(), k.clone())).collect(),
        ));
        let (tx, rx) = mpsc::channel(limits.submit_queue_entries_max);
        let log_vkey: Arc<str> = log_key.vkey().into();
        let url = Arc::new(OnceLock::new());
        let handle = SequencerHandle {
            tx,
            known: known.clone(),
            entry_bytes_max: limits.entry_bytes_max,
            geometry: geometry.clone(),
            log_vkey: log_vkey.clone(),
            url: url.clone(),
        };
        metrics::gauge!("truce_log_size").set(frontier.size() as f64);
        let sequencer = Self {
            store,
            signer: LogSigner::new(log_key),
            state,
            frontier,
            known,
            geometry,
            in_step: true,
            url,
            advertised: None,
            forwarder: Forwarder::new(log_vkey, &limits),
            limits,
        };
        (handle, tokio::spawn(sequencer.run(rx)))
    }

    async fn run(mut self, mut rx: mpsc::Receiver<Submission>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            self.fill(&mut batch, &mut rx).await;
            self.dispatch(batch).await;
        }
        tracing::info!(size = self.frontier.size(), "sequencer stopped");
    }

    /// Sequences the batch, or forwards it to the process that sequences; one that could
    /// not be sent there (it just stopped) waits for the next sequencer, as long as a
    /// submitter waits to take the lead.
    async fn dispatch(&mut self, mut batch: Vec<Submission>) {
        let started = Instant::now();
        let wait_max = Duration::from_millis(self.limits.request_timeout_ms / 2);
        loop {
            match self.get_ready().await {
                Err(e) => {
                    tracing::error!(error = %e, "the sequencer cannot write; refusing the batch");
                    refuse(batch, &format!("the log cannot be written right now: {e}"));
                }
                Ok(Ready::Lead) => self.process(batch).await,
                Ok(Ready::Forward(url)) => match self.forward(batch, &url).await {
                    Some(unsent) if started.elapsed() < wait_max => {
                        tokio::time::sleep(LEAD_RETRY).await;
                        batch = unsent;
                        continue;
                    }
                    Some(unsent) => refuse(
                        unsent,
                        "the process sequencing this log is not reached; submit again",
                    ),
                    None => {}
                },
            }
            return;
        }
    }

    /// Forwards the batch to the sequencer at `url` and relays each outcome; answers the
    /// submissions that were not sent (the sequencer was not reached), to try again.
    async fn forward(&self, batch: Vec<Submission>, url: &str) -> Option<Vec<Submission>> {
        // Forwarded here already: refused rather than passed on, so no request travels
        // between processes that each think the other sequences.
        let (again, batch): (Vec<Submission>, Vec<Submission>) =
            batch.into_iter().partition(|s| s.forwarded);
        refuse(
            again,
            "this process no longer sequences the log; submit again",
        );
        let waiting: Vec<Submission> = batch.into_iter().filter(|s| !s.reply.is_closed()).collect();
        let entries: Vec<&SignedEntry> = waiting.iter().map(|s| &s.entry).collect();
        let (outcomes, error) = self.forwarder.forward(url, &entries).await;
        metrics::counter!("truce_entries_forwarded_total").increment(outcomes.len() as u64);
        let mut rest = waiting.into_iter();
        for (submission, outcome) in rest.by_ref().zip(outcomes) {
            let _ = submission.reply.send(outcome);
        }
        match error {
            None => None,
            Some(ForwardError::NotSent(why)) => {
                tracing::warn!(%url, %why, "the sequencer was not reached");
                Some(rest.collect())
            }
            Some(ForwardError::Unknown(why)) => {
                tracing::warn!(%url, %why, "a forwarded batch's outcome is unknown");
                let message = "forwarded to the sequencer, which did not answer; look the entry up before submitting it again";
                for submission in rest {
                    let _ = submission
                        .reply
                        .send(Err(SubmitError::Unknown(message.into())));
                }
                None
            }
            Some(ForwardError::Refused(why)) => {
                tracing::warn!(%url, %why, "the sequencer refused a forwarded batch whole");
                refuse(
                    rest.collect(),
                    &format!("the sequencer refused the forwarded request: {why}"),
                );
                None
            }
        }
    }

    /// Adds submissions to the batch until it is full or its wait is over.
    async fn fill(&self, batch: &mut Vec<Submission>, rx: &mut mpsc::Receiver<Submission>) {
        let deadline =
            tokio::time::Instant::now() + Duration::from_millis(self.limits.batch_wait_ms);
        while batch.len() < self.limits.batch_entries_max {
            match rx.try_recv() {
                Ok(submission) => batch.push(submission),
                Err(mpsc::error::TryRecvError::Disconnected) => return,
                // The last note of a batch request: its sender waits for this batch, and
                // nothing else is queued, so waiting would only idle.
                Err(mpsc::error::TryRecvError::Empty)
                    if batch.last().is_some_and(|s| s.ends_request) =>
                {
                    return;
                }
                Err(mpsc::error::TryRecvError::Empty) => {
                    match tokio::time::timeout_at(deadline, rx.recv()).await {
                        Ok(Some(submission)) => batch.push(submission),
                        Ok(None) | Err(_) => return,
                    }
                }
            }
        }
    }

    /// Waits to lead the log (PostgreSQL: another process may be sequencing) and makes
    /// sure the in-memory state matches storage.
    async fn get_ready(&mut self) -> anyhow::Result<Ready> {
        let mut waited = Duration::ZERO;
        // Half the request timeout, so that the submitter hears the refusal from here
        // rather than a timeout that leaves the outcome unknown.
        let wait_max = Duration::from_millis(self.limits.request_timeout_ms / 2);
        loop {
            match self.store.try_lead().await? {
                Lead::Held => break,
                // Whoever led before may have appended: our state is stale.
                Lead::Acquired => {
                    self.in_step = false;
                    self.advertised = None;
                    break;
                }
                Lead::Refused => {
                    if let Some(url) = self.store.sequencer_url().await?
                        && self.url.get() != Some(&url)
                    {
                        return Ok(Ready::Forward(url));
                    }
                    anyhow::ensure!(
                        waited < wait_max,
                        "another truce process is sequencing this log; retry, or send writes to it"
                    );
                    tokio::time::sleep(LEAD_RETRY).await;
                    waited += LEAD_RETRY;
                }
            }
        }
        if !self.in_step {
            let (state, frontier) = crate::loader::load(&self.store).await?;
            // Another process may have written the genesis: this node locates reports in
            // the geometry it names from now on, or writes nothing.
            match state.genesis() {
                Some(genesis) => {
                    self.geometry.settle(genesis).map_err(anyhow::Error::msg)?;
                }
                None => self.geometry.clear(),
            }
            tracing::info!(
                size = frontier.size(),
                "sequencer state reloaded from storage"
            );
            self.state = state;
            self.frontier = frontier;
            *self.known.write().expect("known keys lock") = self
                .state
                .keys()
                .map(|k| (k.name.clone(), k.clone()))
                .collect();
            self.in_step = true;
        }
        // Said again now and then: a process that lost the lead unnoticed may have
        // written its own address since.
        let stale = self
            .advertised
            .is_none_or(|at| at.elapsed() >= ADVERTISE_EVERY);
        if stale && let Some(url) = self.url.get() {
            self.store.advertise_sequencer(url, unix_ms()).await?;
            self.advertised = Some(Instant::now());
        }
        Ok(Ready::Lead)
    }

    async fn process(&mut self, submissions: Vec<Submission>) {
        let started = Instant::now();
        let clock = Clock {
            now_unix_s: unix_ms() / 1000,
            future_skew_s: self.limits.claimed_time_future_s_max,
        };
        let first_index = self.frontier.size();
        let mut pending = PendingBatch::default();
        for submission in submissions {
            // Nobody waits for it any more (the request timed out or the client left):
            // appending it would only surprise its author.
            if submission.reply.is_closed() {
                metrics::counter!("truce_submissions_abandoned_total").increment(1);
                continue;
            }
            match self.admit(&submission, clock, pending.agreed) {
                Ok((admission, agreed)) => pending.add(self, submission, admission, agreed),
                Err(rejection) => {
                    metrics::counter!("truce_entries_rejected_total", "reason" => rejection.code.slug()).increment(1);
                    let _ = submission.reply.send(Err(rejection.into()));
                }
            }
        }
        if pending.entries.is_empty() {
            return;
        }
        let checkpoint = self.signer.sign(self.frontier.size(), self.frontier.root());
        let agreed = pending.agreed;
        let (batch, replies) = pending.into_batch(first_index, checkpoint);
        match self.store.append(&batch).await {
            Ok(()) => {
                // Only a durable genesis fixes the geometry for later batches.
                if let Some(agreed) = agreed {
                    self.geometry.set(agreed);
                }
                self.acknowledge(&batch, replies, started);
            }
            Err(e) => self.fail(&e, replies),
        }
    }

    /// Admission under the log's rules, then the node's own checks: the geometry a
    /// genesis names must be one this node has (returned, to be in force once the batch
    /// holding it is durable), and a crossing must be one of the agreed gazetteer.
    /// `batch_agreed` is what a genesis earlier in the same batch agreed.
    fn admit(
        &self,
        submission: &Submission,
        clock: Clock,
        batch_agreed: Option<Agreed>,
    ) -> Result<(Admission, Option<Agreed>), Rejection> {
        let admission = self.state.admit(submission.entry.view(), Some(clock))?;
        let mut agreed = None;
        if let Body::Genesis(genesis) = submission.entry.body() {
            agreed = Some(self.geometry.agreed(genesis).map_err(geometry_missing)?);
        }
        let in_force = batch_agreed.or_else(|| self.geometry.get());
        if let Some(geometry) = in_force.and_then(Agreed::geometry) {
            known_crossing(geometry, &submission.entry)?;
        }
        for key in &admission.signers {
            let checked = submission.verified.contains(&key.public_key.to_bytes());
            if !checked && !submission.entry.verify(key) {
                let reason = format!("the signature by {} does not verify", key.name);
                return Err(Rejection::new(
                    RejectionCode::BadSignature,
                    "signature",
                    reason,
                ));
            }
        }
        Ok((admission, agreed))
    }

    fn acknowledge(&self, batch: &Batch, replies: Vec<(Reply, u64, Hash)>, started: Instant) {
        {
            let mut known = self.known.write().expect("known keys lock");
            for key in &batch.keys {
                known.insert(key.name.clone(), key.clone());
            }
        }
        let checkpoint = Arc::new(batch.checkpoint.clone());
        for (reply, index, leaf_hash) in replies {
            let receipt = Receipt {
                index,
                leaf_hash,
                checkpoint: checkpoint.clone(),
            };
            let _ = reply.send(Ok(receipt));
        }
        metrics::counter!("truce_entries_appended_total").increment(batch.entries.len() as u64);
        metrics::counter!("truce_batches_total").increment(1);
        metrics::histogram!("truce_batch_entries").record(batch.entries.len() as f64);
        metrics::histogram!("truce_batch_seconds").record(started.elapsed().as_secs_f64());
        metrics::gauge!("truce_log_size").set(batch.end() as f64);
        tracing::debug!(
            size = batch.end(),
            entries = batch.entries.len(),
            "batch durable"
        );
    }

    /// The batch was not written: nobody is told it was, and the in-memory state, which
    /// already included it, is reloaded from storage before the next batch.
    fn fail(&mut self, error: &StoreError, replies: Vec<(Reply, u64, Hash)>) {
        tracing::error!(%error, "appending a batch failed; nothing in it was acknowledged");
        self.in_step = false;
        let message = match error {
            StoreError::Conflict { .. } => {
                "another process appended to the log; submit again".to_string()
            }
            _ => "the log could not be written; submit again".to_string(),
        };
        for (reply, _, _) in replies {
            let _ = reply.send(Err(SubmitError::Unavailable(message.clone())));
        }
    }
}

type Reply = oneshot::Sender<Result<Receipt, SubmitError>>;

/// The admitted part of a batch, accumulated in order.
#[derive(Default)]
struct PendingBatch {
    entries: Vec<NewEntry>,
    nodes: Vec<(u64, Hash)>,
    keys: BTreeMap<KeyName, KeyRecord>,
    authors: BTreeMap<KeyName, truce_core::state::AuthorHead>,
    projection: Vec<projection::Write>,
    records: Vec<(u64, truce_core::state::Record)>,
    replies: Vec<(Reply, u64, Hash)>,
    /// What a genesis in this batch agreed, in force for the rest of it.
    agreed: Option<Agreed>,
}

impl PendingBatch {
    fn add(
        &mut self,
        sequencer: &mut Sequencer,
        submission: Submission,
        admission: Admission,
        agreed: Option<Agreed>,
    ) {
        let leaf_hash = submission.entry.leaf_hash();
        let signer = admission.signers[0].clone();
        let index = sequencer.frontier.size();
        let applied = sequencer.state.apply(admission, leaf_hash.0);
        self.agreed = agreed.or(self.agreed);
        let in_force = self
            .agreed
            .or_else(|| sequencer.geometry.get())
            .and_then(Agreed::geometry);
        let geography = match (submission.geography, in_force) {
            (Some((found, located_in)), Some(geometry)) if std::ptr::eq(located_in, geometry) => {
                Some(found)
            }
            // Located in another geometry, or not yet located: here, on the serial path,
            // which only a batch holding the genesis (or racing it) takes.
            (_, geometry) => geometry.and_then(|g| geography::locate_entry(g, &submission.entry)),
        };
        self.projection.extend(projection::project(
            index,
            &submission.entry,
            &signer,
            &applied.records,
            geography.as_ref(),
        ));
        for key in applied.keys {
            self.keys.insert(key.name.clone(), key);
        }
        self.authors.insert(applied.author, applied.head);
        self.records.extend(applied.records);
        self.nodes.extend(sequencer.frontier.append(leaf_hash));
        self.entries.push(NewEntry {
            note: submission.entry.into_note(),
            leaf_hash,
            logged_at_ms: unix_ms(),
        });
        self.replies
            .push((submission.reply, applied.index, leaf_hash));
    }

    fn into_batch(
        self,
        first_index: u64,
        checkpoint: SignedCheckpoint,
    ) -> (Batch, Vec<(Reply, u64, Hash)>) {
        let batch = Batch {
            first_index,
            entries: self.entries,
            nodes: self.nodes,
            keys: self.keys.into_values().collect(),
            authors: self.authors.into_iter().collect(),
            projection: self.projection,
            records: self.records,
            checkpoint,
            signed_at_ms: unix_ms(),
        };
        (batch, self.replies)
    }
}

/// A crossing's status or flow must name a crossing of the agreed gazetteer (a node-only
/// check: an auditor without the geometry checks only the id's form).
fn known_crossing(geometry: &truce_geo::Geometry, entry: &SignedEntry) -> Result<(), Rejection> {
    let id = match entry.body() {
        Body::CrossingStatus(status) => &status.crossing,
        Body::CrossingFlow(flow) => &flow.crossing,
        _ => return Ok(()),
    };
    if let Some(crossing) = geometry.crossings().iter().find(|c| c.id == id.as_str()) {
        return match entry.body() {
            Body::CrossingFlow(flow) => entered_country(geometry, crossing, &flow.direction),
            _ => Ok(()),
        };
    }
    let known: Vec<&str> = geometry.crossings().iter().map(|c| c.id.as_str()).collect();
    Err(Rejection::new(
        RejectionCode::Invalid,
        "payload.crossing",
        format!(
            "{} is not a crossing of the agreed geometry ({})",
            id.as_str(),
            known.join(", ")
        ),
    ))
}

/// A flow's direction must enter a country of the agreed geometry, and one the crossing
/// has a side in when the gazetteer names its places.
fn entered_country(
    geometry: &truce_geo::Geometry,
    crossing: &truce_geo::Crossing,
    direction: &truce_core::mechanism::Direction,
) -> Result<(), Rejection> {
    let country = truce_geo::Country::parse(&direction.country_code());
    let sides: Vec<_> = if crossing.places.is_empty() {
        geometry.countries().collect()
    } else {
        crossing.places.keys().copied().collect()
    };
    if country.is_ok_and(|country| sides.contains(&country)) {
        return Ok(());
    }
    let allowed: Vec<String> = sides
        .iter()
        .map(|c| format!("to_{}", c.code().to_ascii_lowercase()))
        .collect();
    Err(Rejection::new(
        RejectionCode::Invalid,
        "payload.direction",
        format!(
            "{direction} does not enter a country on either side of {} ({})",
            crossing.id,
            allowed.join(", ")
        ),
    ))
}

/// A genesis naming a geometry this node cannot load: refused before it is sequenced, as
/// the node could not locate the reports that follow.
fn geometry_missing(reason: String) -> Rejection {
    Rejection::new(
        RejectionCode::Invalid,
        "payload.border_geometry_sha256",
        reason,
    )
}

fn refuse(batch: Vec<Submission>, message: &str) {
    for submission in batch {
        let _ = submission
            .reply
            .send(Err(SubmitError::Unavailable(message.to_string())));
    }
}

/// This node's clock as a timestamp, to the second (for entries the server writes).
#[must_use]
pub fn now() -> truce_core::Timestamp {
    truce_core::Timestamp::from_unix_seconds(unix_ms() / 1000)
}

#[must_use]
pub fn unix_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since.as_millis()).expect("milliseconds fit in i64")
}
