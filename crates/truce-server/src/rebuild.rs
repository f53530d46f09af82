//! `truce rebuild`: empty the projection and replay the whole log through the projector.

use truce_core::LogState;
use truce_log::SignedEntry;
use truce_store::{Lead, Store, projection};

/// Entries read and projected per transaction.
const ENTRIES_PER_CHUNK: u64 = 4_096;

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub entries: u64,
    /// The projection digest before the rebuild, and after it.
    pub digest_before: String,
    pub digest_after: String,
}

/// Rebuilds the projection of `store`, which no sequencer may be writing meanwhile.
/// `progress` is told how many entries have been replayed.
pub async fn rebuild(store: &Store, mut progress: impl FnMut(u64)) -> anyhow::Result<Rebuilt> {
    anyhow::ensure!(
        store.try_lead().await? != Lead::Refused,
        "another truce process is sequencing this log; stop it before rebuilding"
    );
    let digest_before = store.projection_digest().await?;
    let size = store.head().await?.size;
    store.clear_projection().await?;
    let mut state = LogState::new();
    for start in (0..size).step_by(ENTRIES_PER_CHUNK as usize) {
        let end = (start + ENTRIES_PER_CHUNK).min(size);
        let notes = store.notes(start, end).await?;
        anyhow::ensure!(
            notes.len() as u64 == end - start,
            "entries {start}..{end} are missing"
        );
        let mut writes = vec![];
        for (index, note) in (start..).zip(notes) {
            let entry =
                SignedEntry::parse(note).map_err(|e| anyhow::anyhow!("entry {index}: {e}"))?;
            let admission = state
                .admit(entry.view(), None)
                .map_err(|e| anyhow::anyhow!("entry {index} is not admissible: {e}"))?;
            let signer = admission.signers[0].clone();
            let applied = state.apply(admission, entry.leaf_hash().0);
            writes.extend(projection::project(
                index,
                &entry,
                &signer,
                &applied.records,
            ));
        }
        store.apply_writes(&writes).await?;
        progress(end);
    }
    Ok(Rebuilt {
        entries: size,
        digest_before,
        digest_after: store.projection_digest().await?,
    })
}
