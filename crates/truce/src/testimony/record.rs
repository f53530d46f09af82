//! `truce testimony record`: the sealed part is built, encrypted and split here, on the
//! monitor's machine; the node receives ciphertexts by hash, then the signed entry naming
//! them. The custodians' keys come from the node but are checked by the log: an entry
//! sealed to a key that is not a custodian's registered one is refused.

use std::path::PathBuf;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde_json::{Value, json};
use truce_core::DelegationId;
use truce_core::mechanism::Consent;
use truce_seal::{Custodian, PublicKey, SEALED_BYTES_MAX, SealedFileContent, SealedPart};
use zeroize::Zeroizing;

use super::view::Custodians;
use crate::Failure;
use crate::client::Post;

#[derive(clap::Args)]
pub struct Record {
    /// The private key file of the monitor who took the testimony.
    #[arg(long)]
    key: PathBuf,
    /// How the record refers to the witness ("Witness K-7").
    #[arg(long)]
    pseudonym: String,
    /// What the witness consented to, comma-separated: `quote`, `share_with_parties`,
    /// `publish_redacted`; or `never`.
    #[arg(long, value_delimiter = ',', required = true, value_parser = crate::workflow::fields::named::<Consent>)]
    consent: Vec<Consent>,
    /// The part of the statement that may be shown (only with `publish_redacted`).
    #[arg(long)]
    statement: Option<String>,
    /// The incident it concerns, by log index.
    #[arg(long)]
    incident: Option<u64>,
    /// Sealed: who the witness is.
    #[arg(long, required_unless_present = "public_report")]
    identity: Option<String>,
    /// Record the way to reach a public reporter, sealed by the node when the form was
    /// sent, as this testimony (instead of sealing anything here).
    #[arg(long, conflicts_with_all = ["identity", "contact", "full_statement", "files"])]
    public_report: Option<String>,
    /// Sealed: how to reach them.
    #[arg(long)]
    contact: Option<String>,
    /// Sealed: a file holding the whole statement.
    #[arg(long)]
    full_statement: Option<PathBuf>,
    /// Sealed: a file to keep with it (repeat for more).
    #[arg(long = "file")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    post: Post,
}

pub async fn run(args: Record) -> Result<(), Failure> {
    let node = args.post.node();
    let mut signer = node.signer(&args.key).await?;
    let time = crate::client::entry_time(args.post.time.as_deref())?;
    let placeholder = SealedNames {
        sealed: json!({"sha256": "0".repeat(64), "bytes": 1}),
        policy: json!({"threshold": 2, "request_hours": 1}),
        shares: vec![json!({"custodian": signer.name(), "sha256": "0".repeat(64),
            "delegation": "placeholder",
            "encryption_key": truce_seal::SecretKey::from_bytes([1; 32]).public().to_base64()})],
    };
    // The public part checked before anything is sealed or stored: a refusal then
    // leaves nothing on the node.
    let draft = payload(&args, &placeholder);
    truce_core::Body::decode(truce_core::kinds::TESTIMONY_RECORDED, 1, &draft)
        .map_err(|r| Failure::usage(anyhow::anyhow!("{}: {}", r.field, r.reason)))?;
    let sealed = match &args.public_report {
        Some(id) => {
            let path = format!("/api/v1/public-reports/{id}/sealed-contact");
            let body = node
                .get_signed(&signer.key(), &signer.origin(), &path)
                .await?;
            serde_json::from_slice(&body).map_err(Failure::check)?
        }
        None => seal_here(&args, &node, &signer).await?,
    };
    let kind = truce_core::kinds::TESTIMONY_RECORDED;
    let answer = node
        .append(&mut signer, kind, payload(&args, &sealed), time)
        .await?;
    crate::submit::print_appended(&answer, kind, args.post.json);
    Ok(())
}

/// The entry's payload: the public part from the flags, the sealed part's names.
fn payload(args: &Record, sealed: &SealedNames) -> Value {
    let mut payload = json!({
        "pseudonym": args.pseudonym,
        "consent": args.consent,
        "sealed": sealed.sealed,
        "policy": sealed.policy,
        "shares": sealed.shares,
    });
    if let Some(statement) = &args.statement {
        payload["statement"] = statement.as_str().into();
    }
    if let Some(incident) = args.incident {
        payload["incident"] = incident.into();
    }
    payload
}

/// What the entry names of a sealed part: as `GET .../sealed-contact` answers it too.
#[derive(serde::Deserialize)]
struct SealedNames {
    sealed: Value,
    policy: Value,
    shares: Vec<Value>,
}

/// Seals the sealed part here, to the custodians the node lists, and stores the
/// ciphertexts on the node.
async fn seal_here(
    args: &Record,
    node: &crate::client::Node,
    signer: &crate::client::Signer,
) -> Result<SealedNames, Failure> {
    let answer = node.get_query("/api/v1/custodians", &[]).await?;
    let view: Custodians = serde_json::from_value(answer).map_err(Failure::check)?;
    let policy = view.policy.clone().ok_or_else(|| {
        Failure::usage(anyhow::anyhow!(
            "the agreement provides for no sealed testimony ([testimony])"
        ))
    })?;
    let custodians = custodians(&view)?;
    let plaintext = sealed_part(args)?;
    let sealed = truce_seal::seal(&plaintext, &custodians, &policy)
        .map_err(|e| Failure::usage(anyhow::anyhow!("sealing: {e}")))?;
    drop(plaintext);
    let key = signer.key();
    let origin = signer.origin();
    let bytes = sealed.ciphertext.len();
    node.put_sealed(&key, &origin, &sealed.sha256, sealed.ciphertext)
        .await?;
    let mut shares = vec![];
    for (share, custodian) in sealed.shares.into_iter().zip(&custodians) {
        shares.push(json!({
            "custodian": share.custodian,
            "delegation": custodian.delegation,
            "encryption_key": custodian.key.to_base64(),
            "sha256": share.sha256,
        }));
        node.put_sealed(&key, &origin, &share.sha256, share.blob)
            .await?;
    }
    Ok(SealedNames {
        sealed: json!({"sha256": sealed.sha256, "bytes": bytes}),
        policy: serde_json::to_value(policy).expect("a policy serializes"),
        shares,
    })
}

fn custodians(view: &Custodians) -> Result<Vec<Custodian>, Failure> {
    view.custodians
        .iter()
        .map(|c| {
            let bad = |e: String| Failure::check(anyhow::anyhow!("custodian {}: {e}", c.key));
            Ok(Custodian {
                name: c.key.clone(),
                delegation: DelegationId::parse(&c.delegation).map_err(|e| bad(e.clone()))?,
                key: PublicKey::from_base64(&c.encryption_key).map_err(bad)?,
            })
        })
        .collect()
}

/// The sealed part's JSON, held so it is wiped from memory once sealed.
fn sealed_part(args: &Record) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let statement = args
        .full_statement
        .as_ref()
        .map(|path| {
            std::fs::read_to_string(path).map_err(|e| {
                Failure::usage(anyhow::anyhow!("--full-statement {}: {e}", path.display()))
            })
        })
        .transpose()?;
    let mut files = vec![];
    for path in &args.files {
        let bytes = Zeroizing::new(
            std::fs::read(path)
                .map_err(|e| Failure::usage(anyhow::anyhow!("--file {}: {e}", path.display())))?,
        );
        files.push(SealedFileContent {
            name: path
                .file_name()
                .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned()),
            media_type: "application/octet-stream".into(),
            base64: BASE64.encode(bytes.as_slice()),
        });
    }
    let part = SealedPart {
        identity: args.identity.clone().unwrap_or_default(),
        contact: args.contact.clone(),
        statement,
        files,
    };
    let json = Zeroizing::new(serde_json::to_vec(&part).expect("a sealed part serializes"));
    if json.len() > SEALED_BYTES_MAX {
        return Err(Failure::usage(anyhow::anyhow!(
            "--file: the sealed part is {} bytes; at most {SEALED_BYTES_MAX}",
            json.len()
        )));
    }
    Ok(json)
}
