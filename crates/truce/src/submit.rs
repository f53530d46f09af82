//! `truce submit`: sign a JSON payload as the next entry of a key's chain and post it.

use std::path::PathBuf;

use anyhow::Context;
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde_json::Value;
use truce_core::Timestamp;
use truce_log::Author;

use crate::Failure;

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
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> Result<(), Failure> {
    let key = truce_server::keyfile::read_key(&args.key).map_err(Failure::usage)?;
    let payload = read_payload(&args.payload)?;
    let time = match &args.time {
        Some(text) => Timestamp::parse(text.clone())
            .map_err(|e| Failure::usage(anyhow::anyhow!("--time: {e}")))?,
        None => Timestamp::from_unix_seconds(now_unix_s()),
    };
    let server = args.server.trim_end_matches('/');
    let client = reqwest::Client::new();
    let origin = origin(&client, server).await?;
    let mut author = resume(&client, server, key, &origin).await?;
    let note = author.write(&args.kind, payload, time);
    let response = client
        .post(format!("{server}/api/v1/entries"))
        .header("content-type", "text/plain; charset=utf-8")
        .body(note)
        .send()
        .await
        .with_context(|| format!("posting to {server}"))?;
    let status = response.status();
    let body: Value = response
        .json()
        .await
        .context("reading the server's answer")?;
    if !status.is_success() {
        let detail = body["detail"].as_str().unwrap_or("no detail");
        if args.json {
            println!("{body}");
        }
        return Err(Failure::check(anyhow::anyhow!(
            "the log refused the entry ({status}): {detail}"
        )));
    }
    if args.json {
        println!("{body}");
    } else {
        println!(
            "appended as entry {} (leaf hash {})",
            body["index"],
            body["leaf_hash"].as_str().unwrap_or("?")
        );
    }
    Ok(())
}

fn read_payload(arg: &str) -> Result<Value, Failure> {
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

/// The log's origin: the name in its verifier key.
async fn origin(client: &reqwest::Client, server: &str) -> Result<String, Failure> {
    let vkey = client
        .get(format!("{server}/log/vkey"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let name = vkey.trim().split('+').next().unwrap_or_default();
    if name.is_empty() {
        return Err(Failure::check(anyhow::anyhow!(
            "{server}/log/vkey is not a verifier key"
        )));
    }
    Ok(name.to_string())
}

/// The author positioned after its last entry on the log (or at the start if the key is
/// not registered yet: the log will then say why it refuses).
async fn resume(
    client: &reqwest::Client,
    server: &str,
    key: truce_log::KeyPair,
    origin: &str,
) -> Result<Author, Failure> {
    let url = format!("{server}/api/v1/keys/{}", key.name());
    let response = client.get(url).send().await?;
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(Author::new(key, origin));
    }
    let head: Value = response.error_for_status()?.json().await?;
    let seq = head["seq"].as_u64().unwrap_or(0);
    let last = head["last_leaf_hash"]
        .as_str()
        .and_then(|h| BASE64.decode(h).ok())
        .and_then(|h| <[u8; 32]>::try_from(h).ok());
    Ok(Author::resume(key, origin, seq, last))
}

fn now_unix_s() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
}
