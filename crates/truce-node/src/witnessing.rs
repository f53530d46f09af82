//! The log as a tlog-witness client: after each new checkpoint, every witness the genesis
//! names (at the URL the node's configuration gives it) is asked to cosign it, each by its
//! own task, with a timeout, retries with backoff, and a re-send from the witness's size
//! on 409. Verified cosignatures are stored (`cosignatures`) for `/log/checkpoint`.
//!
//! This runs beside the sequencer and never holds it up: a witness that is down or slow
//! only delays the checkpoint that carries the quorum, never an append. Witness URLs are
//! operational (they can move without the agreement changing), so they are configuration
//! (`[[witnesses]] vkey = "..." url = "..."`), while which witnesses count, and how many,
//! is the genesis's.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;
use truce_core::Genesis;
use truce_log::consistency;
use truce_log::cosignature::{CosignedNote, CosignerKey};
use truce_log::proof::{FetchedHashes, IndexRecorder};
use truce_store::{Store, StoredCosignature};
use truce_witness::request::AddCheckpoint;

use crate::config::Config;

/// How often the newest checkpoint is looked for.
const HEAD_POLL_MS: u64 = 20;
/// How often a witness that has cosigned the round's checkpoint looks whether the round
/// is over.
const ROUND_POLL_MS: u64 = 5;
/// Re-sends after a 409 within one attempt (the witness's size changes only if someone
/// else is feeding it this log's checkpoints).
const CONFLICT_RESENDS_MAX: usize = 3;
/// The first and the longest wait after a failed attempt.
const BACKOFF_MS_MIN: u64 = 100;
const BACKOFF_MS_MAX: u64 = 10_000;

/// What the node knows of one witness, for `/api/v1/log/witnesses` and `/metrics`.
#[derive(Debug, Clone, Serialize)]
pub struct WitnessStatus {
    pub vkey: String,
    pub delegation: String,
    /// Where the node reaches it; null when the configuration names no URL for it.
    pub url: Option<String>,
    /// The largest checkpoint it cosigned for this log, and that cosignature's time.
    pub cosigned_size: Option<u64>,
    pub cosigned_at: Option<u64>,
    /// The last failure, cleared by the next success.
    pub last_error: Option<String>,
    pub errors: u64,
}

/// The witnesses' statuses, shared between their tasks and the API.
#[derive(Debug, Clone, Default)]
pub struct Witnessing {
    statuses: Arc<Mutex<BTreeMap<String, WitnessStatus>>>,
    /// The checkpoint size the witnesses are being asked for (`target`).
    round: Arc<Mutex<u64>>,
}

impl Witnessing {
    #[must_use]
    pub fn statuses(&self) -> Vec<WitnessStatus> {
        self.lock().values().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, WitnessStatus>> {
        self.statuses
            .lock()
            .expect("no task panics holding the statuses")
    }

    /// The checkpoint to ask a witness that has cosigned up to `done` for, the log being
    /// at `head`, or None to wait. The witnesses are asked in rounds: each round is one
    /// checkpoint, which every witness is asked for in turn; a new round (the newest
    /// checkpoint) starts once the round's checkpoint carries the quorum. Each asking
    /// for the newest when free, at a full append rate they would cosign different
    /// checkpoints, and one carrying the quorum would come seldom (BENCHMARKS.md). A
    /// witness that is down delays a round only if the quorum needs it, and then nothing
    /// could have carried the quorum anyway.
    fn target(&self, head: u64, done: u64, quorum: u32) -> Option<u64> {
        let mut round = self.round.lock().expect("no task panics holding the round");
        if *round > done {
            return Some(*round);
        }
        let cosigners = self
            .lock()
            .values()
            .filter(|s| s.cosigned_size == Some(*round))
            .count();
        if *round == 0 || cosigners >= quorum as usize {
            *round = head;
            return Some(head);
        }
        None
    }

    fn update(&self, vkey: &str, change: impl FnOnce(&mut WitnessStatus)) {
        if let Some(status) = self.lock().get_mut(vkey) {
            change(status);
        }
    }
}

/// Starts asking the genesis's witnesses to cosign, once the log has a genesis.
#[must_use]
pub fn spawn(
    store: Store,
    config: Arc<Config>,
    witnessing: Witnessing,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(genesis) = wait_for_genesis(&store).await else {
            return;
        };
        let (heads, _) = watch::channel(0u64);
        let heads = Arc::new(heads);
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(config.limits.witness_timeout_ms))
            .build()
            .expect("a default HTTP client builds");
        let mut tasks = tokio::task::JoinSet::new();
        for witness in &genesis.witnesses {
            let url = config.witness_url(&witness.vkey);
            witnessing.lock().insert(
                witness.vkey.clone(),
                WitnessStatus {
                    vkey: witness.vkey.clone(),
                    delegation: witness.delegation.to_string(),
                    url: url.clone(),
                    cosigned_size: None,
                    cosigned_at: None,
                    last_error: url
                        .is_none()
                        .then(|| "no URL for this witness in the node's configuration".into()),
                    errors: 0,
                },
            );
            let (Some(url), Ok(key)) = (url, CosignerKey::parse(&witness.vkey)) else {
                continue;
            };
            let asker = Asker {
                store: store.clone(),
                client: client.clone(),
                url,
                key,
                witnessing: witnessing.clone(),
                quorum: genesis.witness_quorum,
            };
            tasks.spawn(asker.run(heads.subscribe()));
        }
        if tasks.is_empty() {
            return;
        }
        tasks.spawn(poll_head(store, heads));
        while tasks.join_next().await.is_some() {}
    })
}

/// The genesis, once entry 0 is stored.
pub(crate) async fn wait_for_genesis(store: &Store) -> Option<Genesis> {
    loop {
        match store.entry(0).await {
            Ok(Some(stored)) => {
                let entry = truce_log::SignedEntry::parse(stored.note).ok()?;
                let truce_core::Body::Genesis(genesis) = entry.body() else {
                    return None;
                };
                return Some((**genesis).clone());
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "witnessing: reading the genesis"),
        }
        tokio::time::sleep(Duration::from_millis(HEAD_POLL_MS * 10)).await;
    }
}

/// Publishes the newest checkpoint's size to the witnesses' tasks.
async fn poll_head(store: Store, heads: Arc<watch::Sender<u64>>) {
    let mut interval = tokio::time::interval(Duration::from_millis(HEAD_POLL_MS));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match store.head().await {
            Ok(head) => {
                heads.send_if_modified(|size| std::mem::replace(size, head.size) != head.size);
                metrics::gauge!("truce_log_signed_size").set(head.size as f64);
            }
            Err(e) => tracing::warn!(error = %e, "witnessing: reading the log head"),
        }
        if heads.receiver_count() == 0 {
            return;
        }
    }
}

/// One witness's task.
struct Asker {
    store: Store,
    client: reqwest::Client,
    url: String,
    key: CosignerKey,
    witnessing: Witnessing,
    /// The genesis's witness quorum, for the newest witnessed size.
    quorum: u32,
}

/// Why an attempt failed.
type Failure = String;

impl Asker {
    async fn run(self, mut heads: watch::Receiver<u64>) {
        // Where this witness was left: what it cosigned for this log, as far as the node
        // stored it. If it went further (the node stopped before storing), its 409 says so.
        let mut known = self.stored_size().await;
        let mut cosigned = known;
        let mut backoff = BACKOFF_MS_MIN;
        loop {
            let head = *heads.borrow_and_update();
            // Only the sequencing process asks (PostgreSQL: others serve reads); one that
            // takes the lead later starts from where the witness is (its 409 says).
            if head <= cosigned || !self.store.leads() {
                if heads.changed().await.is_err() {
                    return;
                }
                continue;
            }
            let Some(target) = self.witnessing.target(head, cosigned, self.quorum) else {
                // This witness cosigned the round's checkpoint; the others have not yet.
                tokio::time::sleep(Duration::from_millis(ROUND_POLL_MS)).await;
                continue;
            };
            match self.attempt(&mut known, target).await {
                Ok(()) => {
                    cosigned = target;
                    backoff = BACKOFF_MS_MIN;
                }
                Err(failure) => {
                    tracing::warn!(witness = %self.key.vkey(), %failure, "a witness did not cosign");
                    self.witnessing.update(self.key.vkey(), |s| {
                        s.last_error = Some(failure);
                        s.errors += 1;
                    });
                    metrics::counter!("truce_witness_errors_total", "witness" => self.key.name().to_string()).increment(1);
                    tokio::time::sleep(Duration::from_millis(backoff)).await;
                    backoff = (backoff * 2).min(BACKOFF_MS_MAX);
                }
            }
        }
    }

    async fn stored_size(&self) -> u64 {
        let latest = self.store.latest_cosignatures().await.unwrap_or_default();
        let mine = latest.into_iter().find(|c| c.witness == self.key.vkey());
        if let Some(c) = &mine {
            self.record_success(c.size, c.cosigned_at);
        }
        mine.map_or(0, |c| c.size)
    }

    /// Asks for a cosignature of the checkpoint of `head` entries, re-sending from the
    /// witness's size when it answers 409.
    async fn attempt(&self, known: &mut u64, head: u64) -> Result<(), Failure> {
        let note = self
            .store
            .checkpoint(head)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no stored checkpoint of size {head}"))?;
        for _ in 0..=CONFLICT_RESENDS_MAX {
            if *known > head {
                return Err(format!(
                    "the witness has cosigned a checkpoint of size {known}, beyond this log's {head}"
                ));
            }
            let body = self.request(*known, head, &note).await?;
            match self.post(body).await? {
                Answer::Cosigned(line) => return self.keep(head, &note, &line),
                Answer::Conflict(size) => *known = size,
            }
        }
        Err("the witness's size kept changing (409) while cosigning".into())
    }

    async fn request(&self, old: u64, new: u64, note: &[u8]) -> Result<Vec<u8>, Failure> {
        let indexes = IndexRecorder::indexes(|r| consistency::prove(old, new, r));
        let fetched = FetchedHashes(
            self.store
                .hashes(&indexes)
                .await
                .map_err(|e| e.to_string())?,
        );
        let proof = consistency::prove(old, new, &fetched).map_err(|e| e.to_string())?;
        let request = AddCheckpoint {
            old_size: old,
            proof,
            note: note.to_vec(),
        };
        Ok(request.to_bytes())
    }

    async fn post(&self, body: Vec<u8>) -> Result<Answer, Failure> {
        let url = format!("{}/add-checkpoint", self.url.trim_end_matches('/'));
        let response = self
            .client
            .post(&url)
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| format!("{url}: {e}"))?;
        match status.as_u16() {
            200 => Ok(Answer::Cosigned(text)),
            409 => text
                .trim_end_matches('\n')
                .parse()
                .map(Answer::Conflict)
                .map_err(|_| format!("{url}: 409 without a size: {text:?}")),
            code => Err(format!("{url}: {code} {}", text.trim_end())),
        }
    }

    /// Verifies the witness's answer on the checkpoint, counts it for the round at once,
    /// and stores it in a task of its own. The next round need not wait for the write,
    /// which queues behind the sequencer's transactions at a full append rate; a
    /// cosignature lost to a crash before it is stored is asked for again (the witness's
    /// 409 names its size).
    fn keep(&self, head: u64, note: &[u8], answer: &str) -> Result<(), Failure> {
        let mut cosigned = note.to_vec();
        cosigned.extend_from_slice(answer.as_bytes());
        let parsed = CosignedNote::parse(&cosigned).map_err(|e| format!("its answer: {e}"))?;
        let cosignature = self
            .key
            .cosignature_on(&parsed)
            .ok_or("its answer carries no valid cosignature by its key")?;
        let stored = StoredCosignature {
            size: head,
            witness: self.key.vkey().to_string(),
            line: cosignature.line.into_bytes(),
            cosigned_at: cosignature.timestamp,
            stored_at_ms: crate::sequencer::unix_ms().try_into().unwrap_or(0),
        };
        self.record_success(head, cosignature.timestamp);
        let (store, quorum) = (self.store.clone(), self.quorum);
        tokio::spawn(async move {
            if let Err(e) = store.add_cosignature(&stored).await {
                tracing::warn!(error = %e, size = stored.size, "storing a witness's cosignature");
                return;
            }
            if let Ok(Some(witnessed)) = store.newest_cosigned(quorum).await {
                metrics::gauge!("truce_log_witnessed_size").set(witnessed as f64);
            }
        });
        Ok(())
    }

    fn record_success(&self, size: u64, at: u64) {
        self.witnessing.update(self.key.vkey(), |s| {
            s.cosigned_size = Some(size);
            s.cosigned_at = Some(at);
            s.last_error = None;
        });
        metrics::gauge!("truce_witness_cosigned_size", "witness" => self.key.name().to_string())
            .set(size as f64);
    }
}

enum Answer {
    Cosigned(String),
    Conflict(u64),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn witnessing(cosigned: &[Option<u64>]) -> Witnessing {
        let witnessing = Witnessing::default();
        for (i, size) in cosigned.iter().enumerate() {
            witnessing.lock().insert(
                format!("w{i}"),
                WitnessStatus {
                    vkey: format!("w{i}"),
                    delegation: "x".into(),
                    url: None,
                    cosigned_size: *size,
                    cosigned_at: None,
                    last_error: None,
                    errors: 0,
                },
            );
        }
        witnessing
    }

    #[test]
    fn witnesses_are_asked_in_rounds_of_one_checkpoint_each() {
        let w = witnessing(&[Some(4), Some(4), Some(4)]);
        // The first free witness starts a round at the newest checkpoint...
        assert_eq!(w.target(10, 4, 2), Some(10));
        // ...which the others join though the log has grown.
        assert_eq!(w.target(15, 4, 2), Some(10));
        w.update("w0", |s| s.cosigned_size = Some(10));
        // One cosignature of 10, the quorum is 2: the first witness waits.
        assert_eq!(w.target(20, 10, 2), None);
        assert_eq!(w.target(20, 4, 2), Some(10));
        w.update("w1", |s| s.cosigned_size = Some(10));
        // 10 carries the quorum: the next free witness starts a round at the newest.
        assert_eq!(w.target(20, 10, 2), Some(20));
        // The slow third joins the current round, never one it has passed.
        assert_eq!(w.target(25, 4, 2), Some(20));
        w.update("w0", |s| s.cosigned_size = Some(20));
        assert_eq!(w.target(30, 20, 2), None, "20 lacks the quorum yet");
    }
}
