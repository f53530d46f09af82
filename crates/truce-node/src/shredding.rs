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
        // Every destruction on the log at the first pass, then only newer ones.
        let mut after = None;
        for round in 0u32.. {
            match shred(&store, &sealed, after).await {
                Ok(latest) => after = latest.or(after),
                Err(e) => tracing::warn!(error = %e, "deleting destroyed testimony"),
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

/// Deletes every file of the testimonies destroyed after entry `after` (all, for `None`),
/// and the sealed contacts of dismissed public reports that no testimony names (then
/// forgotten); answers the latest destruction seen.
pub async fn shred(
    store: &Store,
    sealed: &EvidenceStore,
    after: Option<u64>,
) -> anyhow::Result<Option<u64>> {
    let (files, latest) = store.destroyed_sealed_files(after).await?;
    for sha256 in files {
        delete(sealed, &sha256, "a destroyed testimony's file").await?;
    }
    for (id, contact, _) in store.sealed_contacts(true).await? {
        for sha256 in contact.files() {
            if store.sealed_file_use(&sha256).await?.is_none() {
                delete(
                    sealed,
                    &sha256,
                    "a dismissed public report's sealed contact",
                )
                .await?;
            }
        }
        store.forget_sealed_contact(&id).await?;
    }
    Ok(latest)
}

async fn delete(sealed: &EvidenceStore, sha256: &str, what: &str) -> anyhow::Result<()> {
    if sealed.delete(sha256).await? {
        tracing::info!(%sha256, "deleted {what}");
    }
    Ok(())
}

/// Deletes the sealed files older than `age` that no entry and no public report names;
/// answers how many.
pub async fn orphans(
    store: &Store,
    sealed: &EvidenceStore,
    age: Duration,
) -> anyhow::Result<usize> {
    let contacts: std::collections::HashSet<String> = store
        .sealed_contacts(false)
        .await?
        .into_iter()
        .flat_map(|(_, contact, _)| contact.files())
        .collect();
    let mut deleted = 0;
    for sha256 in sealed.older_than(age).await? {
        let named = contacts.contains(&sha256) || store.sealed_file_use(&sha256).await?.is_some();
        if !named && sealed.delete(&sha256).await? {
            tracing::info!(%sha256, "deleted a sealed file no entry names");
            deleted += 1;
        }
    }
    Ok(deleted)
}
