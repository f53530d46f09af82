//! A C2SP tlog-mirror (c2sp.org/tlog-mirror) of one Truce log, following it by pulling
//! and taking what clients push.
//!
//! [`mirror`] fetches the log's checkpoint, checks the log's signature with the key it was
//! given (and that entry 0 is a genesis naming that key), fetches the entries it lacks
//! ([`fetch`]), recomputes the tree ([`tree`]), and stores the copy ([`store`], durable
//! files laid out as tlog-tiles) only if it hashes to the checkpoint's root, which proves
//! the new checkpoint extends the copy held. A checkpoint that contradicts the copy is
//! refused and kept as evidence. The mirror then cosigns the checkpoint (cosignature/v1
//! with its own key): its cosignature says the entries are stored. [`http`] serves the
//! copy. An update that stops half way (mirror or log down) leaves the previous copy
//! served; the next one continues from there.
//!
//! [`push`] is tlog-mirror's own update protocol (`add-checkpoint`, `add-entries`, each
//! package of entries authenticated by a subtree consistency proof and stored before the
//! next is read; [`wire`] is its format), sharing the held tree with the pull path;
//! [`client`] pushes a Truce node's log to a mirror. On start the copy is rebuilt from the
//! mirror's own hash tiles (`restore`), not by rehashing every entry.

pub mod client;
pub mod fetch;
pub mod http;
pub mod mirror;
pub mod push;
mod restore;
pub mod store;
pub mod tree;
pub mod wire;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use client::{PushClient, PushOutcome};
pub use fetch::Fetcher;
pub use mirror::{Mirror, UpdateError, Updated};
pub use truce_log::cosignature::Cosigner;

/// Opens the mirror's copy of the log signed by `log_vkey` in `data`.
pub fn open(log_vkey: &str, key: Cosigner, data: &Path) -> Result<Mirror, String> {
    let origin = truce_core::keys::VerifierKey::parse(log_vkey)
        .map_err(|e| format!("the log key: {e}"))?
        .name
        .as_str()
        .to_string();
    let store =
        store::Store::open(data, &origin).map_err(|e| format!("{}: {e}", data.display()))?;
    Mirror::open(log_vkey, key, store).map_err(|e| format!("{}: {e}", data.display()))
}

/// Updates `mirror` from `log` every `interval`, forever. A failed update is logged and
/// retried; one that found a rewritten history is retried too (the evidence is kept each
/// time), so the mirror keeps serving the copy it verified.
pub async fn follow(mirror: Arc<Mirror>, log: Fetcher, interval: Duration) {
    loop {
        match mirror.update(&log, unix_now()).await {
            Ok(Updated::Grew { from, to }) => tracing::info!(from, to, "mirrored new entries"),
            Ok(Updated::UpToDate(_)) => {}
            Err(e @ UpdateError::Fork { .. }) => tracing::error!(error = %e, "refused"),
            Err(e) => tracing::warn!(error = %e, "the update failed; retrying"),
        }
        tokio::time::sleep(interval).await;
    }
}

/// Serves `mirror`'s copy on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    mirror: Arc<Mirror>,
    origin: &str,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, http::router(mirror, origin))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The cosignature's time: POSIX seconds.
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs())
}
