//! What the CLI reads of the testimony API, typed, and how it prints it.

use serde::Deserialize;
use truce_core::mechanism::TestimonyPolicy;

use crate::Failure;

#[derive(Debug, Deserialize)]
pub struct Custodians {
    pub policy: Option<TestimonyPolicy>,
    pub custodians: Vec<Custodian>,
}

#[derive(Debug, Deserialize)]
pub struct Custodian {
    pub key: String,
    pub delegation: String,
    pub encryption_key: String,
}

/// A testimony as `GET /api/v1/testimonies/{index}` answers it (the fields used here).
#[derive(Debug, Deserialize)]
pub struct Testimony {
    pub index: u64,
    pub pseudonym: String,
    pub consent: Vec<String>,
    pub statement: Option<String>,
    pub sealed_sha256: String,
    pub policy: TestimonyPolicy,
    pub destroyed_idx: Option<u64>,
    pub destroyed_reason: Option<String>,
    #[serde(default)]
    pub shares: Vec<Share>,
    #[serde(default)]
    pub requests: Vec<Request>,
}

#[derive(Debug, Deserialize)]
pub struct Share {
    pub custodian: String,
    pub delegation: String,
}

#[derive(Debug, Deserialize)]
pub struct Request {
    pub index: u64,
    pub requester: String,
    pub reason: String,
    pub expires_at: String,
    pub approvals: Vec<Approval>,
    pub status: String,
}

#[derive(Debug, Deserialize)]
pub struct Approval {
    pub custodian: String,
    pub delegation: String,
    pub sha256: String,
}

#[derive(clap::Args)]
pub struct List {
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct Show {
    /// The testimony, by log index.
    index: u64,
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    #[arg(long)]
    json: bool,
}

/// Testimony `index` with its shares and requests.
pub async fn fetch(node: &crate::client::Node, index: u64) -> Result<Testimony, Failure> {
    let answer = node
        .get_query(&format!("/api/v1/testimonies/{index}"), &[])
        .await?;
    serde_json::from_value(answer).map_err(Failure::check)
}

/// The testimony a request is for, and the request.
pub async fn of_request(
    node: &crate::client::Node,
    request: u64,
) -> Result<(Testimony, usize), Failure> {
    let entry = node
        .get_query(&format!("/api/v1/entries/{request}"), &[])
        .await?;
    let testimony = entry["entry"]["payload"]["testimony"]
        .as_u64()
        .filter(|_| entry["entry"]["kind"] == truce_core::kinds::TESTIMONY_UNSEAL_REQUESTED)
        .ok_or_else(|| {
            Failure::usage(anyhow::anyhow!(
                "--request: entry {request} is not a request to unseal"
            ))
        })?;
    let testimony = fetch(node, testimony).await?;
    let at = testimony
        .requests
        .iter()
        .position(|r| r.index == request)
        .ok_or_else(|| {
            Failure::check(anyhow::anyhow!("the node does not list request {request}"))
        })?;
    Ok((testimony, at))
}

pub async fn list(args: List) -> Result<(), Failure> {
    let node = crate::client::Node::new(&args.server, args.json);
    let answer = node.get_query("/api/v1/testimonies", &[]).await?;
    if args.json {
        println!("{answer}");
        return Ok(());
    }
    let rows: Vec<Testimony> =
        serde_json::from_value(answer["items"].clone()).map_err(Failure::check)?;
    for t in rows {
        let state = t
            .destroyed_idx
            .map_or(String::new(), |at| format!(" (destroyed at {at})"));
        println!(
            "{} {} consent: {}{state}",
            t.index,
            t.pseudonym,
            t.consent.join(", ")
        );
    }
    Ok(())
}

pub async fn show(args: Show) -> Result<(), Failure> {
    let node = crate::client::Node::new(&args.server, args.json);
    if args.json {
        let answer = node
            .get_query(&format!("/api/v1/testimonies/{}", args.index), &[])
            .await?;
        println!("{answer}");
        return Ok(());
    }
    let t = fetch(&node, args.index).await?;
    println!("testimony {} — {}", t.index, t.pseudonym);
    println!("consent: {}", t.consent.join(", "));
    if let Some(statement) = &t.statement {
        println!("statement (may be shown): {statement}");
    }
    println!("sealed part: {}", t.sealed_sha256);
    if let Some(at) = t.destroyed_idx {
        let reason = t.destroyed_reason.as_deref().unwrap_or("?");
        println!("destroyed at entry {at} ({reason})");
    }
    for share in &t.shares {
        println!("share: {} ({})", share.custodian, share.delegation);
    }
    for r in &t.requests {
        let approvers: Vec<String> = r
            .approvals
            .iter()
            .map(|a| format!("{} ({})", a.custodian, a.delegation))
            .collect();
        println!(
            "request {} by {} ({}), until {}: {}; approved by {}",
            r.index,
            r.requester,
            r.reason,
            r.expires_at,
            r.status,
            if approvers.is_empty() {
                "no one".to_string()
            } else {
                approvers.join(", ")
            }
        );
    }
    Ok(())
}

pub fn print_custodians(view: &Custodians) {
    match &view.policy {
        Some(p) => {
            let at_least: Vec<String> = p
                .at_least
                .iter()
                .map(|(d, n)| format!("at least {n} of {d}"))
                .collect();
            println!(
                "policy: {} approvals{}{}; requests lapse after {} h",
                p.threshold,
                if at_least.is_empty() { "" } else { ", " },
                at_least.join(", "),
                p.request_hours
            );
        }
        None => println!("the agreement provides for no sealed testimony"),
    }
    for c in &view.custodians {
        println!("{} ({}): {}", c.key, c.delegation, c.encryption_key);
    }
}
