//! `truce testimony request|approve|open`: unsealing on the record. The requester makes a
//! key for the request; each custodian opens their own share with their custodian key and
//! seals it again to the requester's, on their own machine; the requester combines enough
//! released shares and opens the sealed part on theirs. The node sees only ciphertexts.

use std::path::{Path, PathBuf};

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde_json::json;
use truce_seal::{PublicKey, SealedPart};

use super::{read_secret, write_secret};
use crate::Failure;
use crate::client::Post;

#[derive(clap::Args)]
pub struct Request {
    /// The private key file of the requester.
    #[arg(long)]
    key: PathBuf,
    #[arg(long)]
    testimony: u64,
    /// Why, in words (at least 10 characters).
    #[arg(long)]
    reason: String,
    /// The finding it is needed for, by log index.
    #[arg(long)]
    finding: Option<u64>,
    /// Where to write this request's private key (must not exist); `open` needs it.
    #[arg(long)]
    recipient_key_out: PathBuf,
    #[command(flatten)]
    post: Post,
}

#[derive(clap::Args)]
pub struct Approve {
    /// The custodian's signing key file.
    #[arg(long)]
    key: PathBuf,
    /// The custodian's X25519 key file (`truce custodian keygen`).
    #[arg(long)]
    custodian_key: PathBuf,
    /// The request, by log index.
    #[arg(long)]
    request: u64,
    /// The log's verifier key, known out of band; else the one the node serves. The
    /// request is proved to be on the log under it (and its witnesses) before a share
    /// is released to the key the request names.
    #[arg(long)]
    log_key: Option<String>,
    #[command(flatten)]
    post: Post,
}

#[derive(clap::Args)]
pub struct Open {
    /// The requester's signing key file.
    #[arg(long)]
    key: PathBuf,
    /// The request's private key (`--recipient-key-out` of `truce testimony request`).
    #[arg(long)]
    recipient_key: PathBuf,
    /// The request, by log index.
    #[arg(long)]
    request: u64,
    /// A new directory for the opened testimony (owner-only).
    #[arg(long)]
    out: PathBuf,
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    #[arg(long)]
    json: bool,
}

pub async fn request(args: Request) -> Result<(), Failure> {
    let node = args.post.node();
    let mut signer = node.signer(&args.key).await?;
    let time = crate::client::entry_time(args.post.time.as_deref())?;
    let recipient = truce_seal::SecretKey::generate();
    write_secret(&args.recipient_key_out, &recipient)?;
    let mut payload = json!({
        "testimony": args.testimony,
        "reason": args.reason,
        "recipient": recipient.public().to_base64(),
    });
    if let Some(finding) = args.finding {
        payload["finding"] = finding.into();
    }
    let kind = truce_core::kinds::TESTIMONY_UNSEAL_REQUESTED;
    let answer = node.append(&mut signer, kind, payload, time).await;
    if answer.is_err() {
        // The key is useless for a request the log refused.
        let _ = std::fs::remove_file(&args.recipient_key_out);
    }
    crate::submit::print_appended(&answer?, kind, args.post.json);
    Ok(())
}

pub async fn approve(args: Approve) -> Result<(), Failure> {
    let node = args.post.node();
    let mut signer = node.signer(&args.key).await?;
    let time = crate::client::entry_time(args.post.time.as_deref())?;
    let secret = read_secret(&args.custodian_key)?;
    let me = signer.name().to_string();
    // What is released, and to whom, comes from the signed entries proved on the log,
    // never from the node's listing; the listing only says who approved already.
    let proven = Proven::of(&node, args.request, args.log_key.as_deref()).await?;
    let listed = super::view::fetch(&node, proven.request.testimony).await?;
    let approved = listed
        .requests
        .iter()
        .filter(|r| r.index == args.request)
        .flat_map(|r| &r.approvals)
        .any(|a| a.custodian == me);
    if approved {
        return Err(Failure::usage(anyhow::anyhow!(
            "--request: {me} approved request {} already",
            args.request
        )));
    }
    let share = proven
        .testimony
        .shares
        .iter()
        .find(|s| s.custodian.as_str() == me)
        .ok_or_else(|| {
            Failure::usage(anyhow::anyhow!(
                "--key: {me} holds no share of testimony {}",
                proven.request.testimony
            ))
        })?;
    let sealed = &proven.testimony.sealed.sha256;
    let (key, origin) = (signer.key(), signer.origin());
    let blob = node.get_sealed(&key, &origin, &share.sha256).await?;
    if truce_seal::sha256_hex(&blob) != share.sha256 {
        return Err(lie("the share it served is not the one the log names"));
    }
    let bundle = truce_seal::open_share(&secret, &me, sealed, &blob)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--custodian-key: {e}")))?;
    if bundle.delegation != share.delegation {
        return Err(lie(
            "the share was split for another delegation than the log says",
        ));
    }
    let recipient = PublicKey::from_base64(&proven.request.recipient)
        .map_err(|e| Failure::check(anyhow::anyhow!("the request's recipient key: {e}")))?;
    let released = truce_seal::release(&bundle, &recipient)
        .map_err(|e| Failure::check(anyhow::anyhow!("releasing the share: {e}")))?;
    let sha256 = truce_seal::sha256_hex(&released);
    node.put_sealed(&key, &origin, &sha256, released).await?;
    let payload = json!({"request": args.request, "sha256": sha256});
    let kind = truce_core::kinds::TESTIMONY_UNSEAL_APPROVED;
    let answer = node.append(&mut signer, kind, payload, time).await?;
    crate::submit::print_appended(&answer, kind, args.post.json);
    Ok(())
}

/// A request to unseal and the testimony it names, as their signed entries say, each
/// proved to be in a checkpoint carrying the genesis's witness quorum: a node cannot have
/// a share released to a key of its own, nor a share of another testimony than the one
/// the request names.
struct Proven {
    request: truce_core::mechanism::UnsealRequested,
    testimony: truce_core::mechanism::TestimonyRecorded,
}

impl Proven {
    async fn of(
        node: &crate::client::Node,
        index: u64,
        log_key: Option<&str>,
    ) -> Result<Self, Failure> {
        use crate::workflow::publication_proof::{log_vkey, witnessed};
        let log_vkey = log_vkey(node, log_key).await?;
        let (entry, _) = witnessed(node, index, &log_vkey).await?;
        let truce_core::Body::UnsealRequested(request) = entry.body() else {
            return Err(Failure::usage(anyhow::anyhow!(
                "--request: entry {index} is not a request to unseal"
            )));
        };
        let (entry, _) = witnessed(node, request.testimony, &log_vkey).await?;
        let truce_core::Body::TestimonyRecorded(testimony) = entry.body() else {
            return Err(lie(format!(
                "request {index} names entry {}, which is not a testimony",
                request.testimony
            )));
        };
        Ok(Self {
            request: (**request).clone(),
            testimony: (**testimony).clone(),
        })
    }
}

/// The node answered something the log does not bear out.
fn lie(what: impl std::fmt::Display) -> Failure {
    Failure::check(anyhow::anyhow!(
        "the node's answer is not borne out by the log: {what}"
    ))
}

pub async fn open(args: Open) -> Result<(), Failure> {
    let node = crate::client::Node::new(&args.server, args.json);
    let signer = node.signer(&args.key).await?;
    let secret = read_secret(&args.recipient_key)?;
    let (testimony, at) = super::view::of_request(&node, args.request).await?;
    let request = &testimony.requests[at];
    let approvers: Vec<truce_core::DelegationId> = request
        .approvals
        .iter()
        .filter_map(|a| truce_core::DelegationId::parse(&a.delegation).ok())
        .collect();
    if !testimony.policy.is_met(approvers.iter()) {
        return Err(Failure::usage(anyhow::anyhow!(
            "--request: the approvals do not meet the policy yet: {} of the {} needed, with its minimums per delegation (truce testimony show {})",
            approvers.len(),
            testimony.policy.threshold,
            testimony.index
        )));
    }
    let (key, origin) = (signer.key(), signer.origin());
    let mut bundles = vec![];
    for approval in &request.approvals {
        let blob = node.get_sealed(&key, &origin, &approval.sha256).await?;
        let bundle = truce_seal::open_released(
            &secret,
            &approval.custodian,
            &testimony.sealed_sha256,
            &blob,
        )
        .map_err(|e| Failure::usage(anyhow::anyhow!("--recipient-key: {e}")))?;
        bundles.push(bundle);
    }
    let data_key = truce_seal::recover(&bundles, &testimony.policy)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--request: {e}")))?;
    let ciphertext = node
        .get_sealed(&key, &origin, &testimony.sealed_sha256)
        .await?;
    let plaintext = zeroize::Zeroizing::new(
        truce_seal::open(&ciphertext, &testimony.sealed_sha256, &data_key)
            .map_err(|e| Failure::check(anyhow::anyhow!("{e}")))?,
    );
    let part: SealedPart = serde_json::from_slice(&plaintext)
        .map_err(|e| Failure::check(anyhow::anyhow!("the sealed part: {e}")))?;
    write_opened(&args.out, &part)?;
    if args.json {
        println!(
            "{}",
            json!({"testimony": testimony.index, "out": args.out, "files": part.files.len()})
        );
    } else {
        println!(
            "testimony {} ({}) opened into {}",
            testimony.index,
            testimony.pseudonym,
            args.out.display()
        );
    }
    Ok(())
}

/// Writes the opened testimony into a new owner-only directory: `testimony.json` (identity,
/// contact, statement) and each file under `files/`.
fn write_opened(out: &Path, part: &SealedPart) -> Result<(), Failure> {
    use std::os::unix::fs::DirBuilderExt;
    let fail = |e: std::io::Error| Failure::usage(anyhow::anyhow!("--out {}: {e}", out.display()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(out)
        .map_err(fail)?;
    let mut summary = part.clone();
    summary.files.iter_mut().for_each(|f| f.base64.clear());
    let json = zeroize::Zeroizing::new(
        serde_json::to_string_pretty(&summary).expect("a sealed part serializes"),
    );
    truce_server::keyfile::write_secret(&out.join("testimony.json"), &json)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--out: {e}")))?;
    for file in &part.files {
        let name = Path::new(&file.name)
            .file_name()
            .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
        let bytes = BASE64
            .decode(&file.base64)
            .map_err(|e| Failure::check(anyhow::anyhow!("file {name}: {e}")))?;
        let path = out.join(&name);
        write_private(&path, &bytes).map_err(fail)?;
    }
    Ok(())
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}
