//! A log made in memory (leaves, checkpoints signed by its key, consistency proofs) to
//! present to a witness, and a witness served on a loopback port.
#![allow(dead_code)] // Each test binary uses a different part.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use truce_log::consistency;
use truce_log::cosignature::Cosigner;
use truce_log::proof::FetchedHashes;
use truce_log::{Frontier, Hash, KeyPair, LogSigner, record_hash};
use truce_witness::LogKey;

pub const ORIGIN: &str = "truce.example/witnessed";

/// A log's history: its leaves, and for each size the stored hashes and root.
pub struct History {
    pub signer: LogSigner,
    hashes: HashMap<u64, Hash>,
    roots: Vec<Hash>,
}

impl History {
    /// `size` leaves named by `tag`, so two tags give two histories (a fork).
    pub fn new(key: &KeyPair, tag: &str, size: u64) -> Self {
        Self::forked(key, tag, 0, size)
    }

    /// The first `common` leaves the same in every history, the rest `tag`'s.
    pub fn forked(key: &KeyPair, tag: &str, common: u64, size: u64) -> Self {
        let mut frontier = Frontier::new();
        let mut hashes = HashMap::new();
        let mut roots = vec![frontier.root()];
        for i in 0..size {
            let leaf = if i < common {
                record_hash(format!("leaf {i}").as_bytes())
            } else {
                record_hash(format!("{tag} leaf {i}").as_bytes())
            };
            hashes.extend(frontier.append(leaf));
            roots.push(frontier.root());
        }
        Self {
            signer: LogSigner::new(key.clone()),
            hashes,
            roots,
        }
    }

    pub fn root(&self, size: u64) -> Hash {
        self.roots[size as usize]
    }

    pub fn checkpoint(&self, size: u64) -> Vec<u8> {
        self.signer.sign(size, self.root(size)).note
    }

    pub fn proof(&self, old: u64, new: u64) -> Vec<Hash> {
        consistency::prove(old, new, &FetchedHashes(self.hashes.clone())).unwrap()
    }

    /// An add-checkpoint body from `old` to `new` with the right proof.
    pub fn request(&self, old: u64, new: u64) -> Vec<u8> {
        request(old, &self.proof(old, new), &self.checkpoint(new))
    }
}

pub fn request(old: u64, proof: &[Hash], note: &[u8]) -> Vec<u8> {
    let mut body = format!("old {old}\n");
    for hash in proof {
        let _ = writeln!(body, "{hash}");
    }
    body.push('\n');
    let mut body = body.into_bytes();
    body.extend_from_slice(note);
    body
}

pub fn log_key() -> KeyPair {
    KeyPair::generate(ORIGIN).unwrap()
}

pub fn witness_key() -> Cosigner {
    Cosigner::generate("witness.example/w1").unwrap()
}

/// A witness of the log `log` served on a loopback port; returns its address.
pub async fn serve(key: Cosigner, log: &KeyPair, data: &Path) -> SocketAddr {
    let witness =
        truce_witness::open(key, data, vec![LogKey::parse(&log.vkey()).unwrap()]).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = truce_witness::http::router(Arc::new(witness));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// POSTs an add-checkpoint body; returns status, content type and body.
pub async fn post(addr: SocketAddr, body: Vec<u8>) -> (u16, String, String) {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/add-checkpoint"))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}
