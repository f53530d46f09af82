//! `truce witness`: the CLI side of `truce-witness` (flags, files, the listening socket).

use std::net::SocketAddr;
use std::path::PathBuf;

use truce_witness::LogKey;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7380")]
    listen: SocketAddr,
    /// The witness's private key (`truce keys generate --cosigner`).
    #[arg(long)]
    key: PathBuf,
    /// Where the latest cosigned checkpoint of each log, and evidence of forks, are kept.
    #[arg(long)]
    data: PathBuf,
    /// A log to witness, by its checkpoint verifier key (whose name is its origin).
    /// Repeatable.
    #[arg(long = "log", value_name = "VKEY")]
    logs: Vec<String>,
    /// A file of logs to witness, one `log <vkey> [<url>]` line each (C2SP tlog-policy's
    /// syntax; `#` comments).
    #[arg(long = "logs", value_name = "FILE")]
    logs_file: Option<PathBuf>,
}

pub async fn run(args: Args) -> Result<(), Failure> {
    let logs = logs(&args).map_err(|e| Failure::usage(anyhow::anyhow!(e)))?;
    let key = truce_witness::read_key(&args.key)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--key: {e}")))?;
    let vkey = key.vkey();
    let witness = truce_witness::open(key, &args.data, logs)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--data: {e}")))?;
    let signal = crate::serve::shutdown_signal();
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| Failure::usage(anyhow::anyhow!("--listen {}: {e}", args.listen)))?;
    // Scripts and tests read this line to find the port.
    println!(
        "truce witness listening on http://{}",
        listener.local_addr()?
    );
    tracing::info!(%vkey, "witnessing");
    truce_witness::serve(listener, witness, signal).await?;
    Ok(())
}

fn logs(args: &Args) -> Result<Vec<LogKey>, String> {
    let mut logs = args
        .logs
        .iter()
        .map(|vkey| LogKey::parse(vkey).map_err(|e| format!("--log {vkey}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(path) = &args.logs_file {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("--logs {}: {e}", path.display()))?;
        logs.extend(truce_witness::logs::parse_file(
            &text,
            &path.display().to_string(),
        )?);
    }
    Ok(logs)
}
