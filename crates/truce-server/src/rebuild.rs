//! `truce rebuild`: empty the projection and replay the whole log through the projector.
//!
//! The replay is a pipeline of three stages, so that the machine's cores work at once:
//! reading and parsing a chunk of entries (parsing on every core), admitting and
//! projecting them in log order (one thread: admission depends on every entry before),
//! and writing the chunk's rows (the database's own thread). While it runs the
//! projection is marked incomplete and its secondary indexes are set aside; they are
//! built once at the end. A rebuild stopped halfway leaves the projection marked
//! incomplete, and the server refuses to start on it until a rebuild finishes.

use rayon::prelude::*;
use tokio::sync::mpsc;
use truce_core::LogState;
use truce_log::SignedEntry;
use truce_store::projection::Write;
use truce_store::{Lead, Store, projection};

/// Entries read, projected and written per chunk (each chunk one transaction).
const ENTRIES_PER_CHUNK: u64 = 2_048;

/// Chunks a stage may run ahead of the next: enough to keep both busy, few enough to
/// bound memory (a chunk of reports is a few megabytes).
const CHUNKS_AHEAD: usize = 1;

/// Rebuilds the projection of `store`, which no sequencer may be writing meanwhile.
/// `progress` is told how many entries have been written. Returns how many entries the
/// log holds (all of them replayed).
pub async fn rebuild(store: &Store, mut progress: impl FnMut(u64)) -> anyhow::Result<u64> {
    anyhow::ensure!(
        store.try_lead().await? != Lead::Refused,
        "another truce process is sequencing this log; stop it before rebuilding"
    );
    let size = store.head().await?.size;
    store.clear_projection().await?;
    store.set_aside_indexes().await?;
    let (parsed_tx, parsed_rx) = mpsc::channel(CHUNKS_AHEAD);
    let (writes_tx, mut writes_rx) = mpsc::channel(CHUNKS_AHEAD);
    let reader = tokio::spawn(read_and_parse(store.clone(), size, parsed_tx));
    let projector = tokio::task::spawn_blocking(move || project_in_order(parsed_rx, &writes_tx));
    while let Some((end, writes)) = writes_rx.recv().await {
        store.apply_writes(&writes).await?;
        progress(end);
    }
    // The stages end when their input does; an error in one ends the others' channels.
    reader.await??;
    projector.await??;
    store.restore_indexes().await?;
    store.finish_rebuild().await?;
    Ok(size)
}

/// A chunk of parsed entries and the log index of its first.
type Parsed = (u64, Vec<SignedEntry>);

async fn read_and_parse(
    store: Store,
    size: u64,
    parsed: mpsc::Sender<Parsed>,
) -> anyhow::Result<()> {
    for start in (0..size).step_by(ENTRIES_PER_CHUNK as usize) {
        let end = (start + ENTRIES_PER_CHUNK).min(size);
        let notes = store.notes(start, end).await?;
        anyhow::ensure!(
            notes.len() as u64 == end - start,
            "entries {start}..{end} are missing"
        );
        let entries = tokio::task::spawn_blocking(move || parse_all(start, notes)).await??;
        if parsed.send((start, entries)).await.is_err() {
            break; // the projector stopped, and says why
        }
    }
    Ok(())
}

/// Parses a chunk's entries on every core: parsing is most of a replay's own work and,
/// unlike admission, does not depend on the entries before.
fn parse_all(start: u64, notes: Vec<Vec<u8>>) -> anyhow::Result<Vec<SignedEntry>> {
    notes
        .into_par_iter()
        .enumerate()
        .map(|(i, note)| {
            SignedEntry::parse(note).map_err(|e| anyhow::anyhow!("entry {}: {e}", start + i as u64))
        })
        .collect()
}

/// Admits every entry in log order, as the sequencer did, and hands on each chunk's
/// writes with the log size they bring the projection to.
fn project_in_order(
    mut parsed: mpsc::Receiver<Parsed>,
    writes: &mpsc::Sender<(u64, Vec<Write>)>,
) -> anyhow::Result<()> {
    let mut state = LogState::new();
    while let Some((start, entries)) = parsed.blocking_recv() {
        let mut chunk = vec![];
        let end = start + entries.len() as u64;
        for (index, entry) in (start..).zip(entries) {
            let admission = state
                .admit(entry.view(), None)
                .map_err(|e| anyhow::anyhow!("entry {index} is not admissible: {e}"))?;
            let signer = admission.signers[0].clone();
            let applied = state.apply(admission, entry.leaf_hash().0);
            chunk.extend(projection::project(
                index,
                &entry,
                &signer,
                &applied.records,
            ));
        }
        if writes.blocking_send((end, chunk)).is_err() {
            break; // the writer stopped, and says why
        }
    }
    Ok(())
}
