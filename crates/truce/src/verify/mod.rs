//! `truce verify`: a full audit of a log, from its HTTP address or its data directory.

mod source;
mod state;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use truce_log::audit::{AuditError, AuditSummary, Auditor, Resume, compare_tile};
use truce_log::tiles::{TilePath, decode_bundle};
use truce_log::{SignedCheckpoint, TILE_WIDTH};

use crate::Failure;
use source::Source;
use state::AuditState;

/// Bundles fetched ahead of the one being checked.
const FETCH_AHEAD: usize = 8;
/// Bundles checked together: enough entries that the parallel parsing and signature
/// checks keep both cores busy between the (serial) admission steps.
const BUNDLES_PER_PUSH: usize = 16;
/// Tile comparisons in flight.
const TILE_CHECKS_IN_FLIGHT: usize = 16;

#[derive(clap::Args)]
pub struct Args {
    /// The log: a node's URL (http://...) or a data directory.
    target: String,
    /// A file remembering the last checkpoint verified and what the audit established
    /// there; the next audit checks the log still extends it (and pins the log key), and
    /// checks only the entries appended since.
    #[arg(long)]
    state: Option<PathBuf>,
    /// With --state: replay every entry again instead of only the new ones (the log must
    /// still extend the saved checkpoint).
    #[arg(long, requires = "state")]
    full: bool,
    /// The log's verifier key, if not taken from the state file or the log itself.
    #[arg(long)]
    log_key: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> Result<(), Failure> {
    let started = Instant::now();
    let source = Arc::new(Source::open(&args.target).await?);
    let prior = match &args.state {
        Some(path) => AuditState::load(path).map_err(Failure::usage)?,
        None => None,
    };
    let vkey = log_key(&args, &source, prior.as_ref()).await?;
    let note = source.checkpoint().await?;
    let checkpoint = SignedCheckpoint::verify(&note, &vkey)
        .map_err(|e| fail(&args, &format!("checkpoint: {e}")))?;
    let auditor = start(checkpoint.clone(), &vkey, prior, args.full).map_err(|e| match e {
        // The state file, not the log, is at fault: bad input (exit 2), as at load.
        AuditError::SavedState(reason) => Failure::usage(anyhow::anyhow!(
            "{}: {reason}",
            args.state
                .as_deref()
                .unwrap_or(std::path::Path::new(""))
                .display()
        )),
        e => fail(&args, &e.to_string()),
    })?;
    let from = auditor.size();
    let (summary, resume) = audit(&source, auditor, args.json)
        .await
        .map_err(|e| fail(&args, &e.to_string()))?;
    if let Some(path) = &args.state {
        AuditState::from_checkpoint(&checkpoint, &vkey, resume).save(path)?;
    }
    report(
        &args,
        &checkpoint,
        &summary,
        from,
        started.elapsed().as_secs_f64(),
    );
    Ok(())
}

/// The log key: from --log-key, else pinned by the state file, else as the log serves it
/// (trust on first use). Whichever is used, a pinned key must agree.
async fn log_key(
    args: &Args,
    source: &Source,
    prior: Option<&AuditState>,
) -> Result<String, Failure> {
    let key = match (&args.log_key, prior) {
        (Some(key), _) => key.clone(),
        (None, Some(prior)) => prior.log_vkey.clone(),
        (None, None) => source.log_vkey().await?,
    };
    if let Some(prior) = prior
        && prior.log_vkey != key
    {
        return Err(fail(
            args,
            &format!(
                "the log key {key} is not the key {} pinned by the state file",
                prior.log_vkey
            ),
        ));
    }
    Ok(key)
}

/// An auditor from the saved audit's end if there is one (and not `full`), else from the
/// first entry, checking the log extends the saved checkpoint either way.
fn start(
    checkpoint: SignedCheckpoint,
    vkey: &str,
    prior: Option<AuditState>,
    full: bool,
) -> Result<Auditor, AuditError> {
    let Some(prior) = prior else {
        return Auditor::new(checkpoint, vkey, None);
    };
    let (size, root) = prior.size_and_root();
    match prior.resume {
        Some(resume) if !full => Auditor::resume(checkpoint, vkey, resume, root),
        _ => Auditor::new(checkpoint, vkey, Some((size, root))),
    }
}

/// Checks the entries from the auditor's size to its checkpoint's; answers the summary
/// and the point a later audit can resume from.
async fn audit(
    source: &Arc<Source>,
    mut auditor: Auditor,
    quiet: bool,
) -> anyhow::Result<(AuditSummary, Resume)> {
    let from = auditor.size();
    let size = auditor.checkpoint().size;
    let progress = progress_bar(size - from, quiet);
    let bundles = bundle_paths(from, size);
    // Entries of the first bundle that an earlier audit checked.
    let mut skip = (from % TILE_WIDTH) as usize;
    // Fetches and tile checks are spawned tasks, so each runs to completion on its own. As
    // plain futures they stall whenever this loop waits elsewhere, and a stalled future
    // can hold a storage connection that the awaited one needs: a deadlock.
    let mut fetched = futures::stream::iter(bundles.iter().copied().map(|path| {
        let source = source.clone();
        tokio::spawn(async move { (path, source.tile(&path, size).await) })
    }))
    .buffered(FETCH_AHEAD);
    let mut tile_checks = tokio::task::JoinSet::new();
    let mut group: Vec<Vec<u8>> = Vec::with_capacity(BUNDLES_PER_PUSH);
    let mut remaining = bundles.len();
    while let Some(joined) = fetched.next().await {
        let (path, data) = joined?;
        group.push(checked_bundle(&path, data?)?);
        remaining -= 1;
        if group.len() < BUNDLES_PER_PUSH && remaining > 0 {
            continue;
        }
        let mut entries: Vec<&[u8]> = group
            .iter()
            .flat_map(|bundle| decode_bundle(bundle).expect("checked"))
            .collect();
        // The first bundle's entries the earlier audit checked: still the same ones.
        let audited: Vec<&[u8]> = entries.drain(..std::mem::take(&mut skip)).collect();
        if !audited.is_empty() {
            auditor.confirm_audited(&audited)?;
        }
        tokio::task::block_in_place(|| auditor.push_entries(&entries))?;
        progress.inc(entries.len() as u64);
        group.clear();
        for (tile, expected) in auditor.take_full_tiles() {
            tile_checks.spawn(check_tile(source.clone(), tile, size, expected));
            while tile_checks.len() >= TILE_CHECKS_IN_FLIGHT {
                tile_checks.join_next().await.expect("non-empty")??;
            }
        }
    }
    // The last push's signatures, then the tiles left (its full ones and the partial).
    for (tile, expected) in tokio::task::block_in_place(|| auditor.last_tiles())? {
        tile_checks.spawn(check_tile(source.clone(), tile, size, expected));
    }
    while let Some(result) = tile_checks.join_next().await {
        result??;
    }
    progress.finish_and_clear();
    let resume = auditor.resume_point()?;
    Ok((auditor.finish()?, resume))
}

/// A bundle that decodes into exactly the entries its path says it holds.
fn checked_bundle(path: &TilePath, data: Vec<u8>) -> anyhow::Result<Vec<u8>> {
    let entries = decode_bundle(&data).map_err(|e| anyhow::anyhow!("{}: {e}", path.path()))?;
    anyhow::ensure!(
        entries.len() == path.width as usize,
        "{}: holds {} entries, not {}",
        path.path(),
        entries.len(),
        path.width
    );
    Ok(data)
}

async fn check_tile(
    source: Arc<Source>,
    path: TilePath,
    size: u64,
    expected: Vec<u8>,
) -> anyhow::Result<()> {
    let served = source.tile(&path, size).await?;
    Ok(compare_tile(&path, &expected, &served)?)
}

/// The entry bundles holding entries `from..size` of a tree of `size` entries: full ones,
/// then the partial last one.
fn bundle_paths(from: u64, size: u64) -> Vec<TilePath> {
    let full = size / TILE_WIDTH;
    let mut paths: Vec<TilePath> = (from / TILE_WIDTH..full)
        .map(|n| TilePath::entries(n, 256))
        .collect();
    let rest = (size % TILE_WIDTH) as u32;
    if rest > 0 {
        paths.push(TilePath::entries(full, rest));
    }
    paths
}

fn progress_bar(size: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} verifying [{bar:40}] {pos}/{len} entries ({per_sec}, {eta} left)",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}

fn fail(args: &Args, message: &str) -> Failure {
    if args.json {
        println!(
            "{}",
            json!({"ok": false, "target": args.target, "error": message})
        );
    }
    Failure::check(anyhow::anyhow!("verification FAILED: {message}"))
}

fn report(
    args: &Args,
    checkpoint: &SignedCheckpoint,
    summary: &AuditSummary,
    from: u64,
    seconds: f64,
) {
    if args.json {
        let out = json!({
            "ok": true,
            "target": args.target,
            "origin": checkpoint.origin,
            "size": summary.size,
            "root": summary.root.to_string(),
            "keys": summary.keys,
            "checked_from": from,
            "consistent_with": summary.consistent_with_prior,
            "cosigned_by": summary.cosigned_by,
            "seconds": seconds,
        });
        println!("{out}");
        return;
    }
    let resumed = if from == 0 {
        String::new()
    } else {
        let since = summary.size - from;
        format!(
            "the audit of the first {from} saved in the state file, and for the {since} appended since "
        )
    };
    println!(
        "verified {} entries of {} in {seconds:.1} s: {resumed}every signature, tile and the checkpoint hold (root {})",
        summary.size, checkpoint.origin, summary.root
    );
    if let Some(prior) = summary.consistent_with_prior {
        println!("the log extends the checkpoint of {prior} entries verified before");
    }
    for witness in &summary.cosigned_by {
        println!("cosigned by the witness {witness}");
    }
}
