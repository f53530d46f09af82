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
        /// A witness's key: a C2SP cosignature/v1 key (verifier key type 0x04) for
        /// `truce witness --key`, to be named in a genesis's `witnesses`.
        #[arg(long)]
        cosigner: bool,
    },
}

pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Generate {
            name,
            output,
            json,
            cosigner: true,
        } => {
            let key = truce_log::cosignature::Cosigner::generate(&name)
                .map_err(|e| Failure::usage(anyhow::anyhow!("--name: {e}")))?;
            let text = key.to_skey();
            truce_server::keyfile::write_secret(&output, &text).map_err(Failure::usage)?;
            print_key(key.name().as_str(), &key.vkey(), &output, json);
            Ok(())
        }
        Command::Generate {
            name, output, json, ..
        } => {
            let key = KeyPair::generate(&name)
                .map_err(|e| Failure::usage(anyhow::anyhow!("--name: {e}")))?;
            truce_server::keyfile::write_key(&output, &key).map_err(Failure::usage)?;
            print_key(key.name().as_str(), &key.vkey(), &output, json);
            Ok(())
        }
    }
}

fn print_key(name: &str, vkey: &str, file: &std::path::Path, json: bool) {
    if json {
        println!("{}", json!({"name": name, "vkey": vkey, "file": file}));
    } else {
        println!("{vkey}");
    }
}
