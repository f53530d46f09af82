//! `truce custodian keygen|register|list`: the custodians of sealed testimony. A custodian
//! makes their X25519 key on their own machine (`keygen`) and gives the public half to
//! their delegation's root, which registers it on the log (`register`).

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::write_secret;
use crate::Failure;
use crate::client::Post;

#[derive(Subcommand)]
pub enum CustodianCommand {
    /// Make a custodian's X25519 key: the private key goes to a new file (owner-only),
    /// the public key is printed for the delegation's root to register.
    Keygen {
        /// Where to write the private key (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Name an officer a custodian, with their encryption key (custodian.registered;
    /// signed by their delegation's root key).
    Register(Box<Register>),
    /// The agreement's policy and the active custodians.
    List {
        #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
        server: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
pub struct Register {
    /// The delegation root's private key file.
    #[arg(long)]
    key: PathBuf,
    /// The officer's signing key name (`<origin>/<delegation>/<name>`).
    #[arg(long)]
    officer: String,
    /// The officer's custodian public key, as `truce custodian keygen` printed it.
    #[arg(long)]
    encryption_key: String,
    #[command(flatten)]
    post: Post,
}

pub async fn run_custodian(command: CustodianCommand) -> Result<(), Failure> {
    match command {
        CustodianCommand::Keygen { out } => {
            let secret = truce_seal::SecretKey::generate();
            write_secret(&out, &secret)?;
            println!("{}", secret.public().to_base64());
            Ok(())
        }
        CustodianCommand::Register(args) => register(*args).await,
        CustodianCommand::List { server, json } => {
            let node = crate::client::Node::new(&server, json);
            let answer = node.get_query("/api/v1/custodians", &[]).await?;
            if json {
                println!("{answer}");
                return Ok(());
            }
            let view: super::view::Custodians =
                serde_json::from_value(answer).map_err(Failure::check)?;
            super::view::print_custodians(&view);
            Ok(())
        }
    }
}

async fn register(args: Register) -> Result<(), Failure> {
    let payload = json!({"key": args.officer, "encryption_key": args.encryption_key});
    let node = args.post.node();
    let mut signer = node.signer(&args.key).await?;
    let time = crate::client::entry_time(args.post.time.as_deref())?;
    let kind = truce_core::kinds::CUSTODIAN_REGISTERED;
    let answer = node.append(&mut signer, kind, payload, time).await?;
    crate::submit::print_appended(&answer, kind, args.post.json);
    Ok(())
}
