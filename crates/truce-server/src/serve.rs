//! The HTTP server's accept loop, with the limits `axum::serve` does not set (issue 17,
//! finding 10): a client has `header_read_timeout_ms` to send a request's headers, or its
//! connection is closed; at most `connections_max` connections are served at once, and
//! further ones wait in the listen queue (accepted as slots free). Without them, a few
//! hundred clients each sending a header byte now and then (slowloris) held the node.
//!
//! HTTP/1.1 only: hyper's header timeout does not exist for HTTP/2, whose idle connections
//! would hold slots for ever; nothing of Truce uses HTTP/2 (a TLS proxy in front may).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};

use truce_node::config::Limits;

/// Serves `app` on `listener` until `stopped`, then waits for the connections being
/// served, at most `request_timeout_ms` (a request that takes longer is cut anyway).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    mut stopped: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.connections_max.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(limits.header_read_timeout_ms));
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            _ = &mut stopped => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut stopped => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection closed: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    let grace = Duration::from_millis(limits.request_timeout_ms);
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
    Ok(())
}
