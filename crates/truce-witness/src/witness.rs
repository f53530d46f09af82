//! The add-checkpoint decision: verify, compare with the latest cosigned checkpoint,
//! persist, cosign. One lock per log makes the compare and the persist one step, so two
//! requests can never both be checked against the same old state (tlog-witness's race).

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::Mutex;
use truce_log::consistency::{self, ConsistencyError, TreeHead};
use truce_log::cosignature::{CosignedNote, Cosigner};
use truce_log::{CheckpointError, SignedCheckpoint};

use crate::forks::{self, Fork};
use crate::logs::LogKey;
use crate::request::AddCheckpoint;
use crate::store::{Store, origin_hash};

/// Why a checkpoint was not cosigned, each with its tlog-witness status.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// 400.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// 404: the spec's answer for an origin the witness does not know.
    #[error("this witness does not cosign for the log {0:?}")]
    UnknownLog(String),
    /// 403.
    #[error("{0}")]
    Signature(String),
    /// 409, with the size of the latest cosigned checkpoint.
    #[error("the latest checkpoint cosigned for this log has size {0}")]
    Conflict(u64),
    /// 400 for an old size above the checkpoint's, else 422.
    #[error("{0}")]
    Inconsistent(ConsistencyError),
    /// 500: the state could not be read or persisted; nothing was cosigned.
    #[error("storage: {0}")]
    Storage(#[from] std::io::Error),
}

/// One witnessed log: its key and the latest checkpoint cosigned for it.
#[derive(Debug)]
struct Witnessed {
    key: LogKey,
    latest: Option<SignedCheckpoint>,
}

impl Witnessed {
    fn head(&self) -> TreeHead {
        self.latest.as_ref().map_or(TreeHead::EMPTY, |c| TreeHead {
            size: c.size,
            root: c.root,
        })
    }
}

#[derive(Debug)]
pub struct Witness {
    key: Cosigner,
    store: Arc<Store>,
    /// By origin. Logs are fixed at start, so the map itself needs no lock.
    logs: BTreeMap<String, Mutex<Witnessed>>,
}

impl Witness {
    /// A witness of `logs`, restoring from `store` the latest checkpoint of each (checked
    /// again with the log's key: a file edited by hand is refused, not trusted).
    pub fn open(
        key: Cosigner,
        store: Store,
        logs: BTreeMap<String, LogKey>,
    ) -> Result<Self, String> {
        let mut witnessed = BTreeMap::new();
        for (origin, log) in logs {
            let latest = store
                .latest(&origin)
                .map_err(|e| format!("reading the state of {origin}: {e}"))?
                .map(|note| SignedCheckpoint::verify(&note, &log.vkey))
                .transpose()
                .map_err(|e| format!("the stored checkpoint of {origin}: {e}"))?;
            witnessed.insert(origin, Mutex::new(Witnessed { key: log, latest }));
        }
        Ok(Self {
            key,
            store: Arc::new(store),
            logs: witnessed,
        })
    }

    #[must_use]
    pub fn vkey(&self) -> String {
        self.key.vkey()
    }

    /// The latest cosigned checkpoint of the log whose origin hashes to `hash`, with the
    /// log's signature and this witness's cosignature.
    pub async fn latest(&self, hash: &str) -> Option<Vec<u8>> {
        for (origin, log) in &self.logs {
            if origin_hash(origin) == hash {
                return log.lock().await.latest.as_ref().map(|c| c.note.clone());
            }
        }
        None
    }

    /// Handles an add-checkpoint request body; returns the cosignature line.
    pub async fn add_checkpoint(&self, body: &[u8], now: u64) -> Result<String, Refusal> {
        let request = AddCheckpoint::parse(body).map_err(|e| Refusal::Malformed(e.0))?;
        let origin = origin_of(&request.note)?;
        let log = self
            .logs
            .get(&origin)
            .ok_or_else(|| Refusal::UnknownLog(origin.clone()))?;
        let mut log = log.lock().await;
        let checkpoint = match judge(&request, &log.key, log.head()) {
            Ok(checkpoint) => checkpoint,
            Err(refused) => {
                if let Some(proof) = refused.fork {
                    let held = log.latest.as_ref().map(|c| c.note.clone());
                    let size = log.head().size;
                    // Written after the lock is released: evidence never delays cosigning.
                    drop(log);
                    self.keep_evidence(&origin, size, held.unwrap_or_default(), proof)
                        .await?;
                }
                return Err(refused.refusal);
            }
        };
        let line = self.key.cosign_line(checkpoint.body(), now.max(1));
        let mut note = with_log_signature_only(&checkpoint, &log.key)?;
        note.extend_from_slice(line.as_bytes());
        let stored = SignedCheckpoint { note, ..checkpoint };
        let store = self.store.clone();
        let saved = stored.clone();
        tokio::task::spawn_blocking(move || store.save_latest(&origin, &saved.note))
            .await
            .expect("the save task does not panic")?;
        log.latest = Some(stored);
        Ok(line)
    }

    async fn keep_evidence(
        &self,
        origin: &str,
        size: u64,
        held: Vec<u8>,
        proof: ForkProof,
    ) -> Result<(), Refusal> {
        let forks = self.store.log_dir(origin).join("forks");
        let kept = tokio::task::spawn_blocking(move || {
            let fork = Fork {
                size,
                held: ("cosigned", &held),
                refused: &proof.refused,
                reason: &proof.reason,
            };
            forks::keep(&forks, &fork).map(|kept| (kept, proof.reason))
        })
        .await
        .expect("the evidence task does not panic")?;
        forks::report(&kept.0, &kept.1);
        Ok(())
    }
}

/// A refused add-checkpoint request, and the evidence of a fork when it proves one.
#[derive(Debug)]
pub struct Refused {
    pub refusal: Refusal,
    pub fork: Option<ForkProof>,
}

/// A checkpoint the log signed that conflicts with the one held: the same size, another
/// root. Nothing else proves a fork (a consistency proof that fails proves only that its
/// sender sent a bad proof), so nothing else is kept.
#[derive(Debug)]
pub struct ForkProof {
    pub reason: String,
    /// The refused checkpoint with the log's own signature only: deterministic, so the same
    /// checkpoint sent again, with other cosignatures or none, is the same evidence.
    pub refused: Vec<u8>,
}

impl From<Refusal> for Refused {
    fn from(refusal: Refusal) -> Self {
        Self {
            refusal,
            fork: None,
        }
    }
}

/// tlog-witness's add-checkpoint rules for a request against the checkpoint `held` for
/// the log `log`: the log's signature, the old size (409 unless it is `held`'s), then
/// consistency. Shared by the witness and by a mirror's pending checkpoint
/// (c2sp.org/tlog-mirror handles add-checkpoint "identically to a witness").
pub fn judge(
    request: &AddCheckpoint,
    log: &LogKey,
    held: TreeHead,
) -> Result<SignedCheckpoint, Refused> {
    let checkpoint = verify(&request.note, log)?;
    let new = TreeHead {
        size: checkpoint.size,
        root: checkpoint.root,
    };
    if request.old_size > new.size {
        return Err(Refusal::Inconsistent(ConsistencyError::OldSizeTooLarge {
            old: request.old_size,
            new: new.size,
        })
        .into());
    }
    if request.old_size != held.size {
        let split = new.size == held.size && new.root != held.root;
        let fork = split
            .then(|| fork_proof(&checkpoint, log, "split view: same size, another root"))
            .transpose()?;
        return Err(Refused {
            refusal: Refusal::Conflict(held.size),
            fork,
        });
    }
    if let Err(error) = consistency::check(held, new, &request.proof) {
        let split = matches!(error, ConsistencyError::SameSizeDifferentRoot(_));
        let fork = split
            .then(|| fork_proof(&checkpoint, log, &error.to_string()))
            .transpose()?;
        return Err(Refused {
            refusal: Refusal::Inconsistent(error),
            fork,
        });
    }
    Ok(checkpoint)
}

/// The origin line of a checkpoint note (its first line).
pub fn origin_of(note: &[u8]) -> Result<String, Refusal> {
    let parsed = CosignedNote::parse(note)
        .map_err(|e| Refusal::Malformed(format!("the checkpoint is not a signed note: {e}")))?;
    let text = String::from_utf8(parsed.body).expect("a parsed note is UTF-8");
    Ok(text.lines().next().unwrap_or_default().to_string())
}

fn verify(note: &[u8], log: &LogKey) -> Result<SignedCheckpoint, Refusal> {
    SignedCheckpoint::verify(note, &log.vkey).map_err(|e| match e {
        CheckpointError::Signature(_) => Refusal::Signature(format!(
            "no valid signature by the log key {} (or a signature by it that does not verify)",
            log.vkey
        )),
        other => Refusal::Malformed(other.to_string()),
    })
}

fn fork_proof(
    checkpoint: &SignedCheckpoint,
    log: &LogKey,
    reason: &str,
) -> Result<ForkProof, Refusal> {
    Ok(ForkProof {
        reason: reason.to_string(),
        refused: with_log_signature_only(checkpoint, log)?,
    })
}

/// The checkpoint's body with only the log's own signature line(s) that verified: what
/// a witness keeps before adding its cosignature, and what a mirror keeps as its pending
/// checkpoint.
pub fn with_log_signature_only(
    checkpoint: &SignedCheckpoint,
    log: &LogKey,
) -> Result<Vec<u8>, Refusal> {
    let parsed = CosignedNote::parse(&checkpoint.note).map_err(Refusal::Malformed)?;
    let mut note = parsed.body.clone();
    note.push(b'\n');
    for signature in &parsed.signatures {
        if signature.name() == log.origin && signature.id() == log.key_id {
            note.extend_from_slice(&signature.to_bytes());
        }
    }
    Ok(note)
}
