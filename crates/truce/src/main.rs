//! `truce`: the one binary of a Truce deployment.
//!
//! Exit codes: 0 success; 1 a check failed (an audit that found a fault); 2 bad usage or
//! input, including an entry or request the log refused for what it says (a 4xx problem,
//! whose field is named); 3 the log or server could not be reached or read.

mod account;
mod bench;
mod client;
mod export;
mod genesis;
mod geo;
mod import;
mod keys;
mod mirror;
mod offline;
mod rebuild;
mod serve;
mod sitrep;
mod standalone;
mod submit;
mod testimony;
mod verify;
mod witness;
mod workflow;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "truce",
    version,
    about = "The record of a ceasefire monitoring and verification mechanism"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a node: the log's sequencer and its HTTP interface.
    Serve(serve::Args),
    /// Manage signing keys: generate, register an officer's, revoke.
    #[command(subcommand)]
    Keys(keys::Command),
    /// Accounts on a node's desk, for people whose keys are registered.
    #[command(subcommand)]
    Account(account::Command),
    /// Constitute a record: draft the genesis from an agreement file, sign it with each
    /// delegation's root key offline, assemble the signatures.
    #[command(subcommand)]
    Genesis(genesis::Command),
    /// Sign a JSON payload with a key file and append it to a log.
    Submit(submit::Args),
    /// Audit a whole log: every entry, signature, tile and checkpoint.
    Verify(verify::Args),
    /// Drop the query tables and rebuild them from the log (`--check`: compare state digests).
    Rebuild(rebuild::Args),
    /// The border on the record: locate a point, import an agreed geometry.
    #[command(subcommand)]
    Geo(geo::Command),
    /// Export reports as CSV, HXL, ACLED- or UCDP-style CSV, or GeoJSON.
    #[command(subcommand)]
    Export(export::Command),
    /// Import a dataset's CSV file as reports with their provenance (UCDP GED, ACLED).
    #[command(subcommand)]
    Import(import::Command),
    /// Run a C2SP tlog-witness: cosign the checkpoints of the given logs, only when
    /// consistent with what it cosigned before.
    Witness(witness::Args),
    /// Run a C2SP tlog-mirror: keep a verified copy of a node's log, serve it as
    /// tlog-tiles, and cosign what it has stored.
    Mirror(mirror::Args),
    /// Push a node's log to a C2SP tlog-mirror (add-checkpoint, then add-entries), up to
    /// the node's current checkpoint; prints the mirror's cosignature.
    MirrorPush(mirror::PushArgs),
    /// Measure speed (results belong in BENCHMARKS.md).
    #[command(subcommand)]
    Bench(bench::Command),
    /// Custodians of sealed testimony: make a key, register one, list them.
    #[command(subcommand)]
    Custodian(testimony::CustodianCommand),
    /// Sealed testimony: record, request to unseal, approve, open, destroy, list, show.
    #[command(subcommand)]
    Testimony(testimony::Command),
    /// The workflow verbs: `truce <noun> <verb>`.
    #[command(flatten)]
    Workflow(workflow::Command),
}

/// An error with the exit code it should end the process with.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn check(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: 1,
            error: error.into(),
        }
    }

    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: 2,
            error: error.into(),
        }
    }

    pub fn unreachable(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: 3,
            error: error.into(),
        }
    }
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        Self {
            code: 3,
            error: error.into(),
        }
    }
}

fn main() -> ExitCode {
    quiet_on_closed_stdout();
    let cli = Cli::parse();
    init_tracing(matches!(
        cli.command,
        Command::Serve(_) | Command::Witness(_) | Command::Mirror(_)
    ));
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime starts");
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Keys(command) => keys::run(command).await,
            Command::Genesis(command) => genesis::run(command),
            Command::Account(command) => account::run(command).await,
            Command::Submit(args) => submit::run(args).await,
            Command::Verify(args) => verify::run(args).await,
            Command::Witness(args) => witness::run(args).await,
            Command::Mirror(args) => mirror::run(args).await,
            Command::MirrorPush(args) => mirror::push(args).await,
            Command::Bench(command) => bench::run(command).await,
            Command::Rebuild(args) => rebuild::run(args).await,
            Command::Geo(command) => geo::run(command),
            Command::Export(command) => export::run(command).await,
            Command::Import(command) => import::run(command).await,
            Command::Custodian(command) => testimony::run_custodian(command).await,
            Command::Testimony(command) => testimony::run(command).await,
            Command::Workflow(command) => workflow::run(command).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {:#}", failure.error);
            ExitCode::from(failure.code)
        }
    }
}

/// Structured logs for the server (JSON when `TRUCE_LOG_FORMAT=json`), terse warnings
/// for the other commands. `RUST_LOG` overrides the level.
fn init_tracing(serving: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if serving {
        "info,tower_http=warn,sqlx=warn"
    } else {
        "warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("TRUCE_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// `truce ... | head` closes stdout before truce is done printing. Rust ignores SIGPIPE, so
/// the next `println!` panics; end quietly instead, with the status a shell gives a
/// process killed by SIGPIPE (128 + 13), as Unix tools do. (Restoring SIGPIPE itself
/// would take `unsafe`, which the workspace forbids.)
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map_or("", String::as_str);
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}
