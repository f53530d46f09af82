//! `truce submit`: sign a JSON payload as the next entry of a key's chain and post it.
//! The workflow verbs (`truce report file`, ...) build the payload from flags and then do
//! the same, through [`post`].

use std::path::PathBuf;

use anyhow::Context;
use serde_json::Value;

use crate::Failure;
use crate::client::{Node, entry_time};

#[derive(clap::Args)]
pub struct Args {
    /// The private key file of the author.
    #[arg(long)]
    key: PathBuf,
    /// The entry's kind, e.g. key.registered.
    #[arg(long)]
    kind: String,
    /// The payload as JSON text; `@FILE` reads it from a file, `@-` from standard input.
    #[arg(long)]
    payload: String,
    /// The node to submit to.
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// The time the author claims (RFC 3339, UTC); now if left out.
    #[arg(long)]
    time: Option<String>,
    /// Print the node's JSON answer (or its problem, if it refuses the entry).
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> Result<(), Failure> {
    let payload = read_payload(&args.payload)?;
    let node = Node::new(&args.server, args.json);
    let mut signer = node.signer(&args.key).await?;
    let answer = post(
        &node,
        &mut signer,
        &args.kind,
        payload,
        args.time.as_deref(),
    )
    .await?;
    print_appended(&answer, &args.kind, args.json);
    Ok(())
}

/// Signs `payload` as the signer's next entry of `kind`, at `time` (now if `None`), and
/// posts it; returns the node's answer.
pub async fn post(
    node: &Node,
    signer: &mut crate::client::Signer,
    kind: &str,
    payload: Value,
    time: Option<&str>,
) -> Result<Value, Failure> {
    let time = entry_time(time)?;
    node.append(signer, kind, payload, time).await
}

/// The node's answer to an appended entry: its JSON, or one line for a person.
pub fn print_appended(answer: &Value, kind: &str, json: bool) {
    if json {
        println!("{answer}");
    } else {
        println!(
            "{kind} appended as entry {} (leaf hash {})",
            answer["index"],
            answer["leaf_hash"].as_str().unwrap_or("?")
        );
    }
}

/// A payload given as JSON text, `@FILE` or `@-` (standard input).
pub fn read_payload(arg: &str) -> Result<Value, Failure> {
    let text = match arg.strip_prefix('@') {
        Some("-") => std::io::read_to_string(std::io::stdin()).map_err(Failure::usage)?,
        Some(file) => std::fs::read_to_string(file)
            .with_context(|| format!("--payload: reading {file}"))
            .map_err(Failure::usage)?,
        None => arg.to_string(),
    };
    serde_json::from_str(&text)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--payload: not JSON: {e}")))
}
