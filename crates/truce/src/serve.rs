//! `truce serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The data directory (SQLite database, log key, demo keys) [default: ./truce-data].
    #[arg(long = "data", env = "TRUCE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// The address to listen on [default: 127.0.0.1:8080]; port 0 picks a free port.
    #[arg(long, env = "TRUCE_LISTEN")]
    listen: Option<SocketAddr>,
    /// Keep the log in PostgreSQL (postgres://...) instead of SQLite.
    #[arg(long, env = "TRUCE_DATABASE")]
    database: Option<String>,
    /// A TOML configuration file (see truce.example.toml).
    #[arg(long, env = "TRUCE_CONFIG")]
    config: Option<PathBuf>,
    /// On an empty log, write the exercise "Pakistan–Afghanistan ceasefire 2025": its
    /// constitution, then the seed article's events played through the workflow.
    #[arg(long, conflicts_with = "genesis")]
    demo: bool,
    /// The signed genesis (`truce genesis assemble`) to start the log from: entry 0 of an
    /// empty data directory, whose `log.key` must be the key the genesis names.
    #[arg(long, env = "TRUCE_GENESIS")]
    genesis: Option<PathBuf>,
}

pub async fn run(args: Args) -> Result<(), Failure> {
    let mut config = truce_server::Config::load(args.config.as_deref())
        .map_err(|e| Failure::usage(anyhow::anyhow!(e)))?;
    if let Some(data_dir) = args.data_dir {
        config.data_dir = data_dir;
    }
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if args.database.is_some() {
        config.database = args.database;
    }
    if args.genesis.is_some() {
        config.genesis = args.genesis;
    }
    let demo = args.demo.then_some(truce_server::Demo::Exercise);
    let signal = shutdown_signal();
    let node = truce_server::start(config, demo)
        .await
        .context("starting the node")?;
    // Scripts and tests read this line to find the port.
    println!("truce listening on http://{}", node.addr);
    tracing::info!(addr = %node.addr, vkey = %node.log_vkey, "serving");
    signal.await;
    tracing::info!("stopping: finishing the batch in hand");
    node.shutdown().await?;
    tracing::info!("stopped");
    Ok(())
}

/// Installs the handlers at once (so a SIGTERM that arrives right after the "listening"
/// line is not lost to the default action), then waits for Ctrl-C or SIGTERM.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            match terminate.as_mut() {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
    }
}
