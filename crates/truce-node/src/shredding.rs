//! Crypto-shredding: once `testimony.destroyed` is on the log, the node deletes the
//! testimony's sealed part, every custodian's share and every share released to a request.
//! The hashes stay on the log. The task looks every second and at every start, so a
//! destruction the node crashed in the middle of is finished when it comes back; the API
//! refuses those files (410) from the moment the entry is appended. Files uploaded but
//! never named by an entry are deleted after [`ORPHAN_AFTER`].

use std::time::Duration;

use tokio::task::JoinHandle;
use truce_store::{EvidenceStore, Store};

/// How often the task looks for files to delete.
const EVERY: Duration = Duration::from_secs(1);
/// How long a sealed file may wait for an entry to name it: a testimony recorded, a share
/// released. One no entry names by then (its entry was refused, or never sent) is deleted.
pub const ORPHAN_AFTER: Duration = Duration::from_hours(1);
/// Orphans are looked for once in this many rounds.
const ORPHAN_ROUNDS: u32 = 600;

/// Starts the task.
#[must_use]
pub fn spawn(store: Store, sealed: EvidenceStore) -> JoinHandle<()> {
    tokio::spawn(async move {
        for round in 0u32.. {
            if let Err(e) = shred(&store, &sealed).await {
                tracing::warn!(error = %e, "deleting destroyed testimony");
            }
            if round % ORPHAN_ROUNDS == 0
                && let Err(e) = orphans(&store, &sealed, ORPHAN_AFTER).await
            {
                tracing::warn!(error = %e, "deleting sealed files no entry names");
            }
            tokio::time::sleep(EVERY).await;
        }
    })
}

/// Deletes every file of every destroyed testimony still held; answers how many.
pub async fn shred(store: &Store, sealed: &EvidenceStore) -> anyhow::Result<usize> {
    let mut deleted = 0;
    for sha256 in store.destroyed_sealed_files().await? {
        if sealed.delete(&sha256).await? {
            tracing::info!(%sha256, "deleted a destroyed testimony's file");
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// Deletes the sealed files older than `age` that no entry names; answers how many.
pub async fn orphans(
    store: &Store,
    sealed: &EvidenceStore,
    age: Duration,
) -> anyhow::Result<usize> {
    let mut deleted = 0;
    for sha256 in sealed.older_than(age).await? {
        if store.sealed_file_use(&sha256).await?.is_none() && sealed.delete(&sha256).await? {
            tracing::info!(%sha256, "deleted a sealed file no entry names");
            deleted += 1;
        }
    }
    Ok(deleted)
}
