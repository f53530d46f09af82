//! `truce keys ...`.

use std::path::PathBuf;

use serde_json::json;
use truce_log::KeyPair;

use crate::Failure;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Generate an Ed25519 key: the private key goes to a file, the verifier key to stdout.
    Generate {
        /// The key's name, e.g. truce.example/pk-af-2025/pk/liaison-2.
        #[arg(long)]
        name: String,
        /// Where to write the private key (created with owner-only permissions).
        #[arg(long, short = 'o')]
        output: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Generate { name, output, json } => {
            let key = KeyPair::generate(&name)
                .map_err(|e| Failure::usage(anyhow::anyhow!("--name: {e}")))?;
            truce_server::keyfile::write_key(&output, &key).map_err(Failure::usage)?;
            if json {
                let out = json!({"name": key.name().as_str(), "vkey": key.vkey(), "file": output});
                println!("{out}");
            } else {
                println!("{}", key.vkey());
            }
            Ok(())
        }
    }
}
