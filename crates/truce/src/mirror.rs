//! `truce mirror`: the CLI side of `truce-mirror` (flags, the listening socket, the task
//! following the log).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The node whose log to follow (its tlog-tiles are read under `<URL>/log/`).
    /// Without it the mirror only takes what is pushed to it (`POST /add-checkpoint`,
    /// `POST /add-entries`, which it serves in either case).
    url: Option<String>,
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
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| Failure::usage(anyhow::anyhow!("--listen {}: {e}", args.listen)))?;
    // Scripts and tests read this line to find the port.
    println!(
        "truce mirror listening on http://{}",
        listener.local_addr()?
    );
    let mirror = Arc::new(mirror);
    let following = if let Some(url) = &args.url {
        let log = truce_mirror::Fetcher::new(&format!("{}/log", url.trim_end_matches('/')))
            .map_err(|e| Failure::usage(anyhow::anyhow!("{url}: {e}")))?;
        tracing::info!(vkey = %mirror.vkey(), log = %url, "mirroring, following the log");
        let interval = Duration::from_millis(args.interval_ms.max(1));
        Some(tokio::spawn(truce_mirror::follow(
            mirror.clone(),
            log,
            interval,
        )))
    } else {
        tracing::info!(vkey = %mirror.vkey(), "mirroring what is pushed");
        None
    };
    let signal = crate::serve::shutdown_signal();
    let served = truce_mirror::serve(listener, mirror, &origin, signal).await;
    if let Some(following) = following {
        following.abort();
    }
    served?;
    Ok(())
}

#[derive(clap::Args)]
pub struct PushArgs {
    /// The node whose log to push (its tlog-tiles are read under `<URL>/log/`).
    #[arg(long)]
    log: String,
    /// The mirror's submission prefix (a `truce mirror`: its address).
    #[arg(long)]
    mirror: String,
}

/// Pushes the node's log up to its current checkpoint; exit 3 if the mirror or the node
/// cannot be reached or refuses.
pub async fn push(args: PushArgs) -> Result<(), Failure> {
    let prefix = format!("{}/log", args.log.trim_end_matches('/'));
    let mut client = truce_mirror::PushClient::new(&prefix, &args.mirror)
        .map_err(|e| Failure::usage(anyhow::anyhow!("{e}")))?;
    let outcome = client
        .push()
        .await
        .map_err(|e| Failure::unreachable(anyhow::anyhow!("{e}")))?;
    println!("mirrored {} entries", outcome.size);
    print!("{}", outcome.cosignatures);
    Ok(())
}
