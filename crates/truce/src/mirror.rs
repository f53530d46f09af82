//! `truce mirror`: the CLI side of `truce-mirror` (flags, the listening socket, the task
//! following the log).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The node whose log to mirror (its tlog-tiles are read under `<URL>/log/`).
    url: String,
    /// The log's checkpoint verifier key. Required rather than read from the log: a
    /// mirror that trusted the first key it was shown would copy an impostor faithfully.
    /// Entry 0 must be a genesis naming it.
    #[arg(long)]
    log_key: String,
    /// The mirror's private key (`truce keys generate --cosigner`), for its cosignatures.
    #[arg(long)]
    key: PathBuf,
    /// Where the copy, and evidence of a rewritten history, are kept.
    #[arg(long)]
    data: PathBuf,
    /// The address to serve the copy on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7390")]
    listen: SocketAddr,
    /// How often to ask the log for a new checkpoint, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    interval_ms: u64,
}

pub async fn run(args: Args) -> Result<(), Failure> {
    let origin = truce_core::keys::VerifierKey::parse(&args.log_key)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--log-key: {e}")))?
        .name
        .as_str()
        .to_string();
    let key = truce_witness::read_key(&args.key)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--key: {e}")))?;
    let mirror = truce_mirror::open(&args.log_key, key, &args.data)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--data: {e}")))?;
    let log = truce_mirror::Fetcher::new(&format!("{}/log", args.url.trim_end_matches('/')))
        .map_err(|e| Failure::usage(anyhow::anyhow!("{}: {e}", args.url)))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| Failure::usage(anyhow::anyhow!("--listen {}: {e}", args.listen)))?;
    // Scripts and tests read this line to find the port.
    println!(
        "truce mirror listening on http://{}",
        listener.local_addr()?
    );
    let mirror = Arc::new(mirror);
    tracing::info!(vkey = %mirror.vkey(), log = %args.url, "mirroring");
    let interval = Duration::from_millis(args.interval_ms.max(1));
    let following = tokio::spawn(truce_mirror::follow(mirror.clone(), log, interval));
    let signal = crate::serve::shutdown_signal();
    let served = truce_mirror::serve(listener, mirror, &origin, signal).await;
    following.abort();
    served?;
    Ok(())
}
