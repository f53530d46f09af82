//! `truce rebuild`: empty the projection and replay the whole log through the projector.
//!
//! The replay is a pipeline of three stages, so that the machine's cores work at once:
//! reading and parsing a chunk of entries (parsing, and locating reports in the agreed
//! geometry, on every core), admitting and
//! projecting them in log order (one thread: admission depends on every entry before),
//! and writing the chunk's rows (the database's own thread). While it runs the
//! projection is marked incomplete and its secondary indexes are set aside; they are
//! built once at the end. A rebuild stopped halfway leaves the projection marked
//! incomplete, and the server refuses to start on it until a rebuild finishes.

use std::path::Path;

use rayon::prelude::*;
use tokio::sync::mpsc;
use truce_core::LogState;
use truce_geo::Geometry;
use truce_log::SignedEntry;
use truce_store::projection::{ReportGeography, Write, geography};
use truce_store::{Lead, Store, projection};

/// Entries read, projected and written per chunk (each chunk one transaction).
const ENTRIES_PER_CHUNK: u64 = 2_048;

/// Chunks a stage may run ahead of the next: enough to keep both busy, few enough to
/// bound memory (a chunk of reports is a few megabytes).
const CHUNKS_AHEAD: usize = 1;

/// Rebuilds the projection of `store`, which no sequencer may be writing meanwhile;
/// `data_dir` is the node's, where an imported geometry the genesis names is kept.
/// `progress` is told how many entries have been written. Returns how many entries the
/// log holds (all of them replayed).
pub async fn rebuild(
    store: &Store,
    data_dir: &Path,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<u64> {
    anyhow::ensure!(
        store.try_lead().await? != Lead::Refused,
        "another truce process is sequencing this log; stop it before rebuilding"
    );
    let size = store.head().await?.size;
    // Before anything is emptied: a geometry the node lacks stops the rebuild here.
    let geometry = agreed_geometry(store, data_dir, size).await?;
    store.clear_projection().await?;
    store.set_aside_indexes().await?;
    let (parsed_tx, parsed_rx) = mpsc::channel(CHUNKS_AHEAD);
    let (writes_tx, mut writes_rx) = mpsc::channel(CHUNKS_AHEAD);
    let reader = tokio::spawn(read_and_parse(store.clone(), size, geometry, parsed_tx));
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

/// The geometry the log's genesis (entry 0) names, if any.
async fn agreed_geometry(
    store: &Store,
    data_dir: &Path,
    size: u64,
) -> anyhow::Result<Option<&'static Geometry>> {
    if size == 0 {
        return Ok(None);
    }
    match store.genesis().await {
        Ok(Some(genesis)) => {
            crate::geography::resolve(data_dir, genesis.border_geometry_sha256.as_deref())
                .map_err(anyhow::Error::msg)
        }
        Ok(None) => anyhow::bail!("entry 0 is missing"),
        // Admission will say what is wrong with this log.
        Err(truce_store::StoreError::Corrupt(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// An entry and, for a report, where its points lie.
type Located = (SignedEntry, Option<ReportGeography>);

/// A chunk of parsed entries and the log index of its first.
type Parsed = (u64, Vec<Located>);

async fn read_and_parse(
    store: Store,
    size: u64,
    geometry: Option<&'static Geometry>,
    parsed: mpsc::Sender<Parsed>,
) -> anyhow::Result<()> {
    for start in (0..size).step_by(ENTRIES_PER_CHUNK as usize) {
        let end = (start + ENTRIES_PER_CHUNK).min(size);
        let notes = store.notes(start, end).await?;
        anyhow::ensure!(
            notes.len() as u64 == end - start,
            "entries {start}..{end} are missing"
        );
        let entries =
            tokio::task::spawn_blocking(move || parse_all(start, notes, geometry)).await??;
        if parsed.send((start, entries)).await.is_err() {
            break; // the projector stopped, and says why
        }
    }
    Ok(())
}

/// Parses a chunk's entries and locates its reports on every core: that is most of a
/// replay's own work and, unlike admission, does not depend on the entries before.
fn parse_all(
    start: u64,
    notes: Vec<Vec<u8>>,
    geometry: Option<&Geometry>,
) -> anyhow::Result<Vec<Located>> {
    notes
        .into_par_iter()
        .enumerate()
        .map(|(i, note)| {
            let entry = SignedEntry::parse(note)
                .map_err(|e| anyhow::anyhow!("entry {}: {e}", start + i as u64))?;
            let located = geometry.and_then(|g| geography::locate_entry(g, &entry));
            Ok((entry, located))
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
        for (index, (entry, located)) in (start..).zip(entries) {
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
                located.as_ref(),
            ));
        }
        if writes.blocking_send((end, chunk)).is_err() {
            break; // the writer stopped, and says why
        }
    }
    Ok(())
}
