//! `truce report check` does not take the node's word: for each publication the node
//! lists, it fetches the entry and its tlog-proof, and checks that the entry is in a
//! checkpoint the log key signed, that the genesis is in the same checkpoint, that the
//! checkpoint carries the genesis's witness quorum (tlog-policy), and that the entry
//! publishes this file's hash. A node that lies about any of these is caught here.

use anyhow::anyhow;
use truce_core::Body;
use truce_log::cosignature::PolicyCheck;
use truce_log::proof::TlogProof;
use truce_log::{SignedCheckpoint, SignedEntry};

use crate::Failure;
use crate::client::Node;

/// What was proved of one publication.
#[derive(Debug)]
pub struct Proved {
    /// The size of the checkpoint the entry was proved in.
    pub size: u64,
    pub cosigned: usize,
    pub quorum: u32,
}

/// Proves that entry `index` on the log signed by `log_vkey` publishes `sha256`.
pub async fn prove(
    node: &Node,
    index: u64,
    sha256: &str,
    log_vkey: &str,
) -> Result<Proved, Failure> {
    let (entry, proved) = witnessed(node, index, log_vkey).await?;
    let Body::ReportPublished(published) = entry.body() else {
        return Err(lie(format!(
            "entry {index} is not a report.published entry"
        )));
    };
    if published.sha256 != sha256 {
        return Err(lie(format!(
            "entry {index} publishes SHA-256 {}, not this file's",
            published.sha256
        )));
    }
    Ok(proved)
}

/// Entry `index`, proved to be in a checkpoint signed by `log_vkey` that carries the
/// genesis's witness quorum, with the genesis in the same tree: what the log holds, not
/// what the node says.
pub async fn witnessed(
    node: &Node,
    index: u64,
    log_vkey: &str,
) -> Result<(SignedEntry, Proved), Failure> {
    let (entry, proof, checkpoint) = included(node, index, None, log_vkey).await?;
    let (genesis_entry, _, genesis_checkpoint) =
        included(node, 0, Some(checkpoint.size), log_vkey).await?;
    if genesis_checkpoint.size != checkpoint.size || genesis_checkpoint.root != checkpoint.root {
        return Err(lie(format!(
            "the genesis was proved in another tree than entry {index}'s checkpoint of size {}",
            checkpoint.size
        )));
    }
    let Body::Genesis(genesis) = genesis_entry.body() else {
        return Err(lie("entry 0 is not the log's genesis"));
    };
    if genesis.log.vkey != log_vkey {
        return Err(lie(format!(
            "the genesis names the log key {}, not {log_vkey}",
            genesis.log.vkey
        )));
    }
    let policy = PolicyCheck::of(&proof.checkpoint, genesis)
        .map_err(|e| lie(format!("the checkpoint's cosignatures: {e}")))?;
    if !policy.is_met() {
        return Err(lie(format!(
            "the checkpoint of size {} carries {} valid witness cosignatures, but the genesis's quorum is {}; none from: {}",
            checkpoint.size,
            policy.cosigned.len(),
            policy.quorum,
            policy.missing.join(", ")
        )));
    }
    let proved = Proved {
        size: checkpoint.size,
        cosigned: policy.cosigned.len(),
        quorum: policy.quorum,
    };
    Ok((entry, proved))
}

/// The log key: `given`, else the one the node serves at `/log/vkey`.
pub async fn log_vkey(node: &Node, given: Option<&str>) -> Result<String, Failure> {
    if let Some(key) = given {
        return Ok(key.to_string());
    }
    let served = node.get_bytes("/log/vkey", &[]).await?;
    Ok(String::from_utf8_lossy(&served).trim().to_string())
}

/// Entry `index` with its proof, checked: the proof leads from the entry's leaf hash to a
/// checkpoint signed by `log_vkey` (of `size` entries when given).
async fn included(
    node: &Node,
    index: u64,
    size: Option<u64>,
    log_vkey: &str,
) -> Result<(SignedEntry, TlogProof, SignedCheckpoint), Failure> {
    let answer = node
        .get_query(&format!("/api/v1/entries/{index}"), &[])
        .await?;
    let note = answer["note"]
        .as_str()
        .ok_or_else(|| lie(format!("entry {index} came without its signed note")))?;
    let entry = SignedEntry::parse(note.as_bytes().to_vec())
        .map_err(|e| lie(format!("entry {index} does not parse: {e}")))?;
    let query: Vec<(String, String)> = size
        .map(|s| vec![("size".to_string(), s.to_string())])
        .unwrap_or_default();
    let text = node
        .get_bytes(&format!("/api/v1/entries/{index}/proof"), &query)
        .await?;
    let proof = TlogProof::parse(&String::from_utf8_lossy(&text))
        .map_err(|e| lie(format!("entry {index}'s proof: {e}")))?;
    if proof.index != index {
        return Err(lie(format!(
            "entry {index}'s proof is for entry {}",
            proof.index
        )));
    }
    let checkpoint = proof
        .verify(entry.leaf_hash(), log_vkey)
        .map_err(|e| lie(format!("entry {index}'s proof: {e}")))?;
    Ok((entry, proof, checkpoint))
}

/// The node answered something the log does not bear out.
fn lie(what: impl std::fmt::Display) -> Failure {
    Failure::check(anyhow!(
        "the node's answer is not borne out by the log: {what}"
    ))
}
