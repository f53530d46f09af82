//! Field devices out of reach of the network (`truce submit --offline`): entries signed
//! where they happen, carried or sent later, and admitted then as if posted at once.
//!
//! An author's entries form a chain (each names its sequence number and the previous
//! entry's leaf hash), which a device normally learns from the node before signing.
//! Offline it cannot ask, so the chain's position is kept in a file beside the key
//! (`<key>.chain`): written by `truce submit --sync` while online, by every online
//! `truce submit`, and advanced by each entry signed offline. The signed notes go into
//! an outbox file holding exactly the body of `POST /api/v1/entries/batch`
//! (`{"notes": [...]}`), so `truce submit --file` posts it unchanged, in order.
//!
//! Each entry keeps the time its author claims (when it was signed, in the field); the
//! node records when it logged it (`logged_at`), and the API shows both. The log's rules
//! decide whether a late entry is admitted: reports and flows may be late; an entry that
//! starts or meets a deadline (a finding's proposal, a reply, a finalization) must carry
//! the time it is submitted, so it cannot be signed offline.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use truce_core::Timestamp;
use truce_log::{Author, KeyPair};

use crate::Failure;
use crate::client::{Node, Signer, beside, into_place};

/// Where a key's chain stands on one log, kept beside the key.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Chain {
    /// The log's origin (the name in its key), which every entry names.
    origin: String,
    /// The key's name, so a chain file is never used with another key.
    key: String,
    /// The last entry's sequence number (0 before the first).
    seq: u64,
    /// The last entry's leaf hash, base64; none before the first.
    last_leaf_hash: Option<String>,
}

/// The chain file of `key_file`.
fn chain_path(key_file: &Path) -> PathBuf {
    let mut name = key_file.as_os_str().to_owned();
    name.push(".chain");
    PathBuf::from(name)
}

/// Whether the key has a chain file (it signs offline too).
pub fn has_chain(key_file: &Path) -> bool {
    chain_path(key_file).exists()
}

/// Keeps where `author`'s chain stands beside `key_file`.
pub fn remember(key_file: &Path, author: &Author, origin: &str) -> Result<(), Failure> {
    let (seq, last) = author.head();
    let chain = Chain {
        origin: origin.to_string(),
        key: author.key().name().to_string(),
        seq,
        last_leaf_hash: last.map(|h| BASE64.encode(h)),
    };
    let text = serde_json::to_string_pretty(&chain).context("writing the chain")?;
    write_whole(&chain_path(key_file), text.as_bytes())
}

/// `truce submit --sync`: records where the key's chain stands on the node, so that the
/// device can sign offline afterwards.
pub async fn sync(node: &Node, key_file: &Path) -> Result<Signer, Failure> {
    let signer = node.signer(key_file).await?;
    remember(key_file, signer.author(), &signer.origin())?;
    Ok(signer)
}

/// The author of `key_file` where its chain file says it stands.
fn offline_author(key_file: &Path) -> Result<(Author, String), Failure> {
    let key: KeyPair = truce_server::keyfile::read_key(key_file).map_err(Failure::usage)?;
    let path = chain_path(key_file);
    let text = std::fs::read_to_string(&path)
        .with_context(|| {
            format!(
                "--key: no chain state in {} (run `truce submit --sync --key {}` while online first)",
                path.display(),
                key_file.display()
            )
        })
        .map_err(Failure::usage)?;
    let chain: Chain = serde_json::from_str(&text)
        .with_context(|| format!("--key: {} is not a chain file", path.display()))
        .map_err(Failure::usage)?;
    if chain.key != key.name().as_str() {
        return Err(Failure::usage(anyhow::anyhow!(
            "--key: {} is the chain of {}, not of this key ({})",
            path.display(),
            chain.key,
            key.name()
        )));
    }
    let last = match &chain.last_leaf_hash {
        Some(h) => Some(
            BASE64
                .decode(h)
                .ok()
                .and_then(|h| <[u8; 32]>::try_from(h).ok())
                .with_context(|| format!("--key: a bad last_leaf_hash in {}", path.display()))
                .map_err(Failure::usage)?,
        ),
        None => None,
    };
    let author = Author::resume(key, &chain.origin, chain.seq, last);
    Ok((author, chain.origin))
}

/// `truce submit --offline --out FILE`: signs the entry as the next of the key's chain and
/// adds it to the outbox `out` (created if absent); answers the entry's sequence number.
pub fn sign_into(
    key_file: &Path,
    kind: &str,
    payload: Value,
    time: Timestamp,
    out: &Path,
) -> Result<u64, Failure> {
    let (mut author, origin) = offline_author(key_file)?;
    let mut notes = if out.exists() {
        read_outbox(out)?
    } else {
        vec![]
    };
    let note = author.write(kind, payload, time);
    notes.push(String::from_utf8(note).context("a signed note is UTF-8")?);
    let body = serde_json::to_vec_pretty(&json!({ "notes": notes })).context("the outbox")?;
    // The outbox first: a crash between the two leaves the chain behind, and the next
    // entry signed is refused by the log naming its sequence, rather than lost.
    write_whole(out, &body)?;
    remember(key_file, &author, &origin)?;
    Ok(author.head().0)
}

/// An outbox file: the body of `POST /api/v1/entries/batch`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Outbox {
    notes: Vec<String>,
}

/// The notes of an outbox file.
fn read_outbox(path: &Path) -> Result<Vec<String>, Failure> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--file: reading {}", path.display()))
        .map_err(Failure::usage)?;
    let outbox: Outbox = serde_json::from_str(&text)
        .with_context(|| {
            format!(
                "--file: {} is not an outbox ({{\"notes\": [...]}})",
                path.display()
            )
        })
        .map_err(Failure::usage)?;
    Ok(outbox.notes)
}

/// `truce submit --file FILE`: posts an outbox's notes unchanged, in order; answers the
/// node's answer (each note's receipt or problem). Any refused note makes it exit 2.
pub async fn send(node: &Node, path: &Path) -> Result<Value, Failure> {
    let notes = read_outbox(path)?;
    if notes.is_empty() {
        return Err(Failure::usage(anyhow::anyhow!(
            "--file: {} holds no entry",
            path.display()
        )));
    }
    let notes = notes.into_iter().map(String::into_bytes).collect();
    node.append_batch(notes).await
}

fn write_whole(target: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut file = beside(target)?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", target.display()))?;
    into_place(file, target)
}
