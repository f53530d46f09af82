//! `truce account create`: an account on a node's desk for a person whose key a root has
//! registered. The node keeps the key sealed under the password (`custody`), and signs with
//! it only for that person; revoking the key ends the account.

use std::io::{BufRead as _, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::Failure;
use crate::client::Node;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Create an account holding a registered, unrevoked key (`POST /api/v1/people`).
    Create {
        /// The account's login name: 1 to 64 of a-z, 0-9, '.', '_' and '-'.
        #[arg(long)]
        name: String,
        /// The person's private key file.
        #[arg(long)]
        key: PathBuf,
        /// A file whose first line is the password (at least 8 characters); `-` reads it
        /// from standard input.
        #[arg(long)]
        password_file: PathBuf,
        /// The node.
        #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
        server: String,
        /// Print the node's JSON answer.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(command: Command) -> Result<(), Failure> {
    let Command::Create {
        name,
        key,
        password_file,
        server,
        json,
    } = command;
    let skey = truce_server::keyfile::read_key(&key)
        .map_err(Failure::usage)?
        .to_skey();
    let password = first_line(&password_file)?;
    let node = Node::new(&server, json);
    let body = json!({"name": name, "password": password, "skey": skey});
    let person = node.post_json("/api/v1/people", &body).await?;
    if json {
        println!("{person}");
    } else {
        println!(
            "account {} created: {} of delegation {}, key {}",
            person["name"].as_str().unwrap_or(&name),
            person["role"].as_str().unwrap_or("?"),
            person["delegation"].as_str().unwrap_or("?"),
            person["key"].as_str().unwrap_or("?"),
        );
    }
    Ok(())
}

/// The first line of a file (or of standard input for `-`), without its newline; at most
/// 4 KiB is read, whatever the file holds.
fn first_line(path: &Path) -> Result<String, Failure> {
    let fail = |e: std::io::Error| {
        Failure::usage(anyhow::anyhow!("--password-file {}: {e}", path.display()))
    };
    let source: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(fail)?)
    };
    let mut line = String::new();
    BufReader::new(source.take(4096))
        .read_line(&mut line)
        .map_err(fail)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
