//! Restoring the sequencer's in-memory state from storage, with the pair assertion that
//! what was read agrees with the checkpoint that was written.

use truce_core::{Genesis, LogState};
use truce_log::Frontier;
use truce_store::Store;

/// The admission state and tree frontier of the log as stored.
pub async fn load(store: &Store) -> anyhow::Result<(LogState, Frontier)> {
    anyhow::ensure!(
        store.projection_whole().await?,
        "the projection is incomplete (a `truce rebuild` was stopped before it finished, or \
         an upgrade added columns only a replay can fill); run `truce rebuild` before serving"
    );
    let head = store.head().await?;
    let genesis = if head.size > 0 {
        Some(genesis(store).await?)
    } else {
        None
    };
    let keys = store.keys().await?;
    let authors = store.authors().await?;
    let records = store.records().await?;
    let indexes = Frontier::needed_indexes(head.size);
    let hashes = store.hashes(&indexes).await?;
    let frontier = Frontier::restore(head.size, hashes)
        .map_err(|_| anyhow::anyhow!("the stored tree lacks hashes of its right edge"))?;
    anyhow::ensure!(
        frontier.root() == head.root,
        "the stored tree's root {} is not the head's root {}",
        frontier.root(),
        head.root
    );
    Ok((
        LogState::restore(head.size, genesis, keys, authors, records.into_records()),
        frontier,
    ))
}

async fn genesis(store: &Store) -> anyhow::Result<Genesis> {
    store
        .genesis()
        .await?
        .ok_or_else(|| anyhow::anyhow!("the log has entries but no entry 0"))
}
