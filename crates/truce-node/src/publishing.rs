//! Keeps the static copy of the log's read path (`Config::publish`, see
//! `truce_store::publication`) up to date: after each new served checkpoint, every tile and
//! entry bundle the tree gained, then the checkpoint. Tiles go first, so a reader who
//! fetches the copy's checkpoint always finds every tile it needs; a crash in between
//! leaves the old checkpoint and a few tiles written ahead, which the next attempt writes
//! again (the same bytes: a tile's contents never change).
//!
//! Only the sequencing process publishes (PostgreSQL: one of several), so two processes
//! never race to write an older checkpoint over a newer one.

use std::time::Duration;

use truce_log::SignedCheckpoint;
use truce_log::tiles::new_tiles;
use truce_store::Store;
use truce_store::publication::LogPublication;

/// How often the newest served checkpoint is looked for.
const POLL_MS: u64 = 100;

/// Copies the log's read path to `publication` until aborted.
#[must_use]
pub fn spawn(
    store: Store,
    publication: LogPublication,
    log_vkey: String,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(genesis) = crate::witnessing::wait_for_genesis(&store).await else {
            return;
        };
        let publisher = Publisher {
            store,
            publication,
            log_vkey,
            quorum: genesis.witness_quorum,
        };
        publisher.run().await;
    })
}

struct Publisher {
    store: Store,
    publication: LogPublication,
    log_vkey: String,
    quorum: u32,
}

impl Publisher {
    async fn run(self) {
        let mut published: Option<Vec<u8>> = None;
        let mut interval = tokio::time::interval(Duration::from_millis(POLL_MS));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if !self.store.leads() {
                // Another process publishes; what it wrote is read again on taking over.
                published = None;
                continue;
            }
            match self.step(published.as_deref()).await {
                Ok(note) => published = note.or(published),
                Err(e) => tracing::warn!(error = %e, "publishing the log's tiles"),
            }
        }
    }

    /// Publishes the newest served checkpoint if it is not the one published last;
    /// answers the checkpoint it published, if it did.
    async fn step(&self, published: Option<&[u8]>) -> anyhow::Result<Option<Vec<u8>>> {
        let Some(note) = self.store.served_checkpoint(self.quorum).await? else {
            return Ok(None);
        };
        if published == Some(note.as_slice()) {
            return Ok(None);
        }
        let copied = match published {
            Some(note) => Some(SignedCheckpoint::verify(note, &self.log_vkey)?),
            None => self.copy_checkpoint().await?,
        };
        let from = copied.as_ref().map_or(0, |c| c.size);
        let size = self.size(&note)?;
        if let Some(copied) = copied.filter(|c| c.size > size) {
            // The served checkpoint moves back once, when the first one carrying the
            // witnesses' quorum replaces the newest: the copy waits for it to catch up.
            if self.signed_here(&copied).await? {
                return Ok(None);
            }
            // Ahead and not this log's tree (restored from an older backup, or a fork):
            // never overwritten, so it stays seen.
            anyhow::bail!(
                "the copy's checkpoint is for {from} entries with a root this log never had; left as it is"
            );
        }
        for path in new_tiles(from, size) {
            let Some(tile) = self.store.tile_within(&path, size).await? else {
                anyhow::bail!("{} is missing from the log of {size} entries", path.path());
            };
            self.publication.put(&path.path(), tile).await?;
        }
        // Checked again just before: another process that sequenced meanwhile may have
        // published a larger checkpoint, which must not be replaced by this one.
        if let Some(copied) = self.publication.get("checkpoint").await?
            && self.size(&copied).is_ok_and(|copied| copied > size)
        {
            anyhow::bail!(
                "the copy's checkpoint moved past {size} entries meanwhile; left as it is"
            );
        }
        self.publication.put("checkpoint", note.clone()).await?;
        metrics::gauge!("truce_published_size").set(size as f64);
        Ok(Some(note))
    }

    /// After a start: the copy's checkpoint, if it has one this log key signed (one it
    /// did not sign is not this log's, and is written over); its verifier key written first.
    async fn copy_checkpoint(&self) -> anyhow::Result<Option<SignedCheckpoint>> {
        let vkey = format!("{}\n", self.log_vkey).into_bytes();
        self.publication.put("vkey", vkey).await?;
        let note = self.publication.get("checkpoint").await?;
        Ok(note.and_then(|note| SignedCheckpoint::verify(&note, &self.log_vkey).ok()))
    }

    /// Whether this log signed a checkpoint with `checkpoint`'s size and root.
    async fn signed_here(&self, checkpoint: &SignedCheckpoint) -> anyhow::Result<bool> {
        let Some(note) = self.store.checkpoint(checkpoint.size).await? else {
            return Ok(false);
        };
        Ok(SignedCheckpoint::verify(&note, &self.log_vkey)?.root == checkpoint.root)
    }

    fn size(&self, note: &[u8]) -> anyhow::Result<u64> {
        Ok(SignedCheckpoint::verify(note, &self.log_vkey)?.size)
    }
}
