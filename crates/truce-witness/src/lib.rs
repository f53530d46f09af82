//! A C2SP tlog-witness (c2sp.org/tlog-witness) with Ed25519 cosignature/v1 cosignatures
//! (c2sp.org/tlog-cosignature).
//!
//! For each log it is configured with ([`logs`]: origin and checkpoint verifier key), it
//! keeps the latest checkpoint it cosigned ([`store`], a data directory written durably)
//! and cosigns a new one only if the log signed it and it is consistent with that one
//! ([`witness`]): a checkpoint of the same size with another root is refused and kept as
//! evidence of a fork ([`forks`]); one a consistency proof does not lead to is refused. [`http`] answers
//! with the spec's status codes.
//!
//! It never talks to the log itself and never stores anything but checkpoints: it needs no
//! database and no entries.

pub mod forks;
pub mod http;
pub mod logs;
pub mod request;
pub mod store;
pub mod witness;

use std::path::Path;
use std::sync::Arc;

pub use logs::LogKey;
pub use truce_log::cosignature::Cosigner;
pub use witness::Witness;

/// Reads a witness's private key file (written by `truce keys generate --cosigner`).
pub fn read_key(path: &Path) -> Result<Cosigner, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("reading key file {}: {e}", path.display()))?;
    Cosigner::from_skey(&text).map_err(|e| format!("key file {}: {e}", path.display()))
}

/// Serves `witness` on `listener` until `shutdown` completes. Every answer is given only
/// after what it reports is on disk, so stopping at any moment loses nothing.
pub async fn serve(
    listener: tokio::net::TcpListener,
    witness: Witness,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, http::router(Arc::new(witness)))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Opens the witness's state in `data` for `logs`.
pub fn open(key: Cosigner, data: &Path, logs: Vec<LogKey>) -> Result<Witness, String> {
    let logs = logs::by_origin(logs)?;
    let store = store::Store::open(data).map_err(|e| format!("{}: {e}", data.display()))?;
    Witness::open(key, store, logs)
}
