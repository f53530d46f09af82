//! `truce keys ...`: make keys, and (as a delegation's root) register and revoke officers'.

use std::path::PathBuf;

use serde_json::json;
use truce_core::Role;
use truce_log::KeyPair;

use crate::Failure;
use crate::client::{Node, Post};

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
    /// Register an officer's key in the root's delegation (a `key.registered` entry signed
    /// by the delegation's root key).
    Register {
        /// The delegation's root private key file.
        #[arg(long)]
        key: PathBuf,
        /// The officer's verifier key, as `truce keys generate` printed it.
        #[arg(long)]
        vkey: String,
        /// liaison (parties), monitor (monitors), commissioner (mediators) or device.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        post: Post,
    },
    /// Revoke a key of the root's delegation (a `key.revoked` entry): from this entry on it
    /// signs nothing, and the node ends the accounts and tokens that hold it.
    Revoke {
        /// The delegation's root private key file.
        #[arg(long)]
        key: PathBuf,
        /// The name of the key to revoke.
        #[arg(long)]
        name: String,
        /// Why, for the record.
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        post: Post,
    },
}

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Generate {
            name,
            output,
            json,
            cosigner,
        } => generate(&name, &output, json, cosigner),
        Command::Register {
            key,
            vkey,
            role,
            post,
        } => register(key, &vkey, &role, &post).await,
        Command::Revoke {
            key,
            name,
            reason,
            post,
        } => revoke(key, &name, &reason, &post).await,
    }
}

fn generate(name: &str, output: &PathBuf, json: bool, cosigner: bool) -> Result<(), Failure> {
    let bad_name = |e: &dyn std::fmt::Display| Failure::usage(anyhow::anyhow!("--name: {e}"));
    let (name, vkey, secret) = if cosigner {
        let key = truce_log::cosignature::Cosigner::generate(name).map_err(|e| bad_name(&e))?;
        (key.name().to_string(), key.vkey(), key.to_skey())
    } else {
        let key = KeyPair::generate(name).map_err(|e| bad_name(&e))?;
        (key.name().to_string(), key.vkey(), key.to_skey())
    };
    truce_server::keyfile::write_secret(output, &secret).map_err(Failure::usage)?;
    if json {
        println!("{}", json!({"name": name, "vkey": vkey, "file": output}));
    } else {
        println!("{vkey}");
    }
    Ok(())
}

async fn register(root: PathBuf, vkey: &str, role: &str, post: &Post) -> Result<(), Failure> {
    let role = Role::parse(role)
        .filter(|r| *r != Role::Root)
        .ok_or_else(|| {
            Failure::usage(anyhow::anyhow!(
                "--role: {role:?} is not liaison, monitor, commissioner or device"
            ))
        })?;
    let officer = truce_core::keys::VerifierKey::parse(vkey)
        .map_err(|e| Failure::usage(anyhow::anyhow!("--vkey: {e}")))?;
    let node = post.node();
    let signer = node.signer(&root).await?;
    let delegation = delegation_of(&node, signer.name()).await?;
    let payload = json!({
        "delegation": delegation,
        "name": officer.name.as_str(),
        "role": role.as_str(),
        "vkey": vkey,
    });
    append(
        post,
        &node,
        signer,
        truce_core::kinds::KEY_REGISTERED,
        payload,
    )
    .await
}

async fn revoke(root: PathBuf, name: &str, reason: &str, post: &Post) -> Result<(), Failure> {
    let node = post.node();
    let signer = node.signer(&root).await?;
    let payload = json!({"name": name, "reason": reason});
    append(post, &node, signer, truce_core::kinds::KEY_REVOKED, payload).await
}

/// Signs `payload` as the root's next entry of `kind`, posts it and says what was appended.
async fn append(
    post: &Post,
    node: &Node,
    mut signer: crate::client::Signer,
    kind: &str,
    payload: serde_json::Value,
) -> Result<(), Failure> {
    let answer =
        crate::submit::post(node, &mut signer, kind, payload, post.time.as_deref()).await?;
    crate::submit::print_appended(&answer, kind, post.json);
    Ok(())
}

/// The delegation whose root `root_name` is, as the log records it.
async fn delegation_of(node: &Node, root_name: &str) -> Result<String, Failure> {
    let key = node
        .get_query(&format!("/api/v1/keys/{root_name}"), &[])
        .await?;
    if key["role"] != "root" {
        let reason = format!("--key: {root_name} is not a delegation's root key on this log");
        return Err(Failure::usage(anyhow::anyhow!(reason)));
    }
    Ok(key["delegation"].as_str().unwrap_or_default().to_string())
}
