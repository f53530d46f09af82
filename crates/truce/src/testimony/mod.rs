//! `truce custodian ...` and `truce testimony ...`: sealed testimony from the command
//! line, where every secret stays: the witness's identity is sealed on the monitor's
//! machine, a custodian opens their share on theirs, and the requester opens the
//! testimony on theirs. The node only ever holds ciphertexts (`truce_seal`).

mod custodian;
mod record;
mod unseal;
mod view;

use std::path::{Path, PathBuf};

use clap::Subcommand;
use truce_core::mechanism::DestroyReason;

use crate::Failure;
use crate::client::Post;
use crate::workflow::fields::named;

pub use custodian::{CustodianCommand, run_custodian};

#[derive(Subcommand)]
pub enum Command {
    /// Record a testimony: seal its identity, contact, statement and files to the
    /// custodians, store the ciphertexts on the node, put the hashes on the log
    /// (testimony.recorded; monitors).
    Record(Box<record::Record>),
    /// Ask to unseal a testimony, for a reason and a finding; makes a key for this request
    /// alone (`testimony.unseal_requested`; monitors, commissioners).
    Request(Box<unseal::Request>),
    /// As a custodian, release your share to a request: opened with your custodian key
    /// here, sealed again to the requester's key (`testimony.unseal_approved`).
    Approve(Box<unseal::Approve>),
    /// As the requester, open a testimony once the approvals meet the policy: on this
    /// machine only, into a new directory.
    Open(Box<unseal::Open>),
    /// Destroy a testimony: the node deletes its sealed part and every share; the hash
    /// stays on the log (testimony.destroyed; monitors).
    Destroy(Box<Destroy>),
    /// The testimonies on the record, newest first.
    List(view::List),
    /// One testimony: its public part, who holds its shares, requests and approvals.
    Show(view::Show),
}

#[derive(clap::Args)]
pub struct Destroy {
    /// The private key file of the signer.
    #[arg(long)]
    key: PathBuf,
    /// The testimony, by log index.
    #[arg(long)]
    testimony: u64,
    /// `consent_withdrawn`, `danger` or `other`.
    #[arg(long, value_parser = named::<DestroyReason>)]
    reason: DestroyReason,
    #[arg(long)]
    note: Option<String>,
    #[command(flatten)]
    post: Post,
}

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Record(args) => record::run(*args).await,
        Command::Request(args) => unseal::request(*args).await,
        Command::Approve(args) => unseal::approve(*args).await,
        Command::Open(args) => unseal::open(*args).await,
        Command::Destroy(args) => destroy(*args).await,
        Command::List(args) => view::list(args).await,
        Command::Show(args) => view::show(args).await,
    }
}

async fn destroy(args: Destroy) -> Result<(), Failure> {
    let mut payload = serde_json::json!({
        "testimony": args.testimony,
        "reason": args.reason,
    });
    if let Some(note) = args.note {
        payload["note"] = note.into();
    }
    let node = args.post.node();
    let mut signer = node.signer(&args.key).await?;
    let time = crate::client::entry_time(args.post.time.as_deref())?;
    let kind = truce_core::kinds::TESTIMONY_DESTROYED;
    let answer = node.append(&mut signer, kind, payload, time).await?;
    crate::submit::print_appended(&answer, kind, args.post.json);
    Ok(())
}

/// Reads an X25519 private key file `truce custodian keygen` or `testimony request` wrote.
fn read_secret(path: &Path) -> Result<truce_seal::SecretKey, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(anyhow::anyhow!("reading {}: {e}", path.display())))?;
    truce_seal::SecretKey::from_base64(&text)
        .map_err(|e| Failure::usage(anyhow::anyhow!("{}: {e}", path.display())))
}

/// Writes an X25519 private key to a new owner-only file.
fn write_secret(path: &Path, key: &truce_seal::SecretKey) -> Result<(), Failure> {
    truce_server::keyfile::write_secret(path, &key.to_base64())
        .map_err(|e| Failure::usage(anyhow::anyhow!("writing {}: {e}", path.display())))
}
