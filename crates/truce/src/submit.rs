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
    key: Option<PathBuf>,
    /// The entry's kind, e.g. key.registered.
    #[arg(long)]
    kind: Option<String>,
    /// The payload as JSON text; `@FILE` reads it from a file, `@-` from standard input.
    #[arg(long)]
    payload: Option<String>,
    /// The node to submit to.
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// The time the author claims (RFC 3339, UTC); now if left out.
    #[arg(long)]
    time: Option<String>,
    /// Without the network: sign the entry as the next of the key's chain (kept beside
    /// the key by `--sync`) and add it to the outbox file `--out`, to post later with
    /// `--file`.
    #[arg(long, requires = "out")]
    offline: bool,
    /// The outbox file `--offline` adds the entry to.
    #[arg(long, requires = "offline")]
    out: Option<PathBuf>,
    /// Record beside the key where its chain stands on the node, so that the device can
    /// sign offline afterwards.
    #[arg(long, conflicts_with_all = ["offline", "file", "kind", "payload"])]
    sync: bool,
    /// Post the entries of an outbox written by `--offline`, unchanged and in order.
    #[arg(long, conflicts_with_all = ["offline", "sync", "kind", "payload", "key", "time"])]
    file: Option<PathBuf>,
    /// Print the node's JSON answer (or its problem, if it refuses the entry).
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> Result<(), Failure> {
    let node = Node::new(&args.server, args.json);
    if let Some(file) = &args.file {
        let answer = crate::offline::send(&node, file).await?;
        return print_batch(&answer, args.json);
    }
    let key = required(args.key.as_ref(), "--key")?;
    if args.sync {
        let signer = crate::offline::sync(&node, key).await?;
        let (seq, _) = signer.author().head();
        println!(
            "{} stands at entry {seq} of its chain on {}",
            signer.name(),
            signer.origin()
        );
        return Ok(());
    }
    let kind = required(args.kind.as_ref(), "--kind")?;
    let payload = read_payload(required(args.payload.as_ref(), "--payload")?)?;
    if let Some(out) = &args.out {
        let time = entry_time(args.time.as_deref())?;
        let seq = crate::offline::sign_into(key, kind, payload, time, out)?;
        println!(
            "{kind} signed as entry {seq} of the chain, kept in {} to post with --file",
            out.display()
        );
        return Ok(());
    }
    let mut signer = node.signer(key).await?;
    let answer = post(&node, &mut signer, kind, payload, args.time.as_deref()).await?;
    // A device that also signs offline keeps its chain in step with what it posted.
    if crate::offline::has_chain(key) {
        crate::offline::remember(key, signer.author(), &signer.origin())?;
    }
    print_appended(&answer, kind, args.json);
    Ok(())
}

fn required<'a, T>(value: Option<&'a T>, flag: &str) -> Result<&'a T, Failure> {
    value.ok_or_else(|| Failure::usage(anyhow::anyhow!("{flag} is required")))
}

/// The node's answer to an outbox: each entry's index, or why it was refused. Exits 2
/// (a refusal naming the field) if any was refused.
fn print_batch(answer: &Value, json: bool) -> Result<(), Failure> {
    let results = answer["results"].as_array().cloned().unwrap_or_default();
    if json {
        println!("{answer}");
    }
    let mut refused = None;
    for (i, result) in results.iter().enumerate() {
        let problem = &result["problem"];
        if problem.is_object() {
            let field = problem["field"].as_str().unwrap_or("entry");
            let detail = problem["detail"].as_str().unwrap_or("refused");
            refused.get_or_insert(format!("note {i}: {field}: {detail}"));
            if !json {
                println!("note {i} refused: {field}: {detail}");
            }
        } else if !json {
            println!("note {i} appended as entry {}", result["index"]);
        }
    }
    match refused {
        Some(first) => Err(Failure::usage(anyhow::anyhow!("{first}"))),
        None => Ok(()),
    }
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
