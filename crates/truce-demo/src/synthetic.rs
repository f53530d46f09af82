//! A synthetic log for benchmarks: a genesis with many delegations, and long chains of
//! notices by their roots. Not an exercise of anything real.

use rayon::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

use truce_core::genesis::{Delegation, DelegationKind, Genesis, LogIdentity, Quorum, QuorumRule};
use truce_core::kinds::{GENESIS, NOTICE_PUBLISHED};
use truce_core::state::AuthorHead;
use truce_core::{DelegationId, KeyName, Timestamp};
use truce_log::{Author, KeyPair};

/// Keys and genesis of a synthetic log whose delegations each have a root that writes.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub origin: String,
    pub log_key: KeyPair,
    /// (delegation id, root key); the first two are parties, the rest monitors.
    pub roots: Vec<(DelegationId, KeyPair)>,
}

impl Synthetic {
    /// `delegations` (at least 2) delegations with keys derived from `seed`.
    #[must_use]
    pub fn new(origin: &str, delegations: usize, seed: u64) -> Self {
        let key = |name: String| {
            let name = KeyName::parse(name).expect("a valid synthetic key name");
            let seed: [u8; 32] = Sha256::new()
                .chain_update(seed.to_be_bytes())
                .chain_update(name.as_str())
                .finalize()
                .into();
            KeyPair::from_seed(&name, seed)
        };
        let roots = (0..delegations.max(2))
            .map(|i| {
                let id = if i < 2 {
                    format!("p{i}")
                } else {
                    format!("m{i}")
                };
                let root = key(format!("{origin}/{id}/root"));
                (DelegationId::parse(id).expect("valid id"), root)
            })
            .collect();
        Self {
            origin: origin.to_string(),
            log_key: key(origin.to_string()),
            roots,
        }
    }

    fn genesis(&self) -> Genesis {
        let delegations = self
            .roots
            .iter()
            .enumerate()
            .map(|(i, (id, key))| Delegation {
                id: id.clone(),
                name: format!("Synthetic delegation {i}"),
                kind: if i < 2 {
                    DelegationKind::Party
                } else {
                    DelegationKind::Monitor
                },
                root_key: key.vkey(),
                names: BTreeMap::new(),
            });
        let parties: Vec<DelegationId> = self.roots[..2].iter().map(|(id, _)| id.clone()).collect();
        Genesis {
            title: "Synthetic log for benchmarks".into(),
            titles: BTreeMap::new(),
            exercise: true,
            log: LogIdentity {
                origin: self.origin.clone(),
                vkey: self.log_key.vkey(),
            },
            delegations: delegations.collect(),
            provisions: vec![],
            measures: vec![],
            quorum: Quorum {
                finding: QuorumRule {
                    eligible: parties.clone(),
                    delegations_min: 2,
                },
                amendment: QuorumRule {
                    eligible: parties,
                    delegations_min: 2,
                },
            },
            reply_window_hours: 72,
            border_geometry_sha256: Some(truce_geo::REFERENCE_SHA256.to_string()),
            witnesses: vec![],
            witness_quorum: 0,
            crossing_alert: None,
            importers: None,
            testimony: None,
        }
    }

    /// The genesis note, signed by every root (the first authors it).
    #[must_use]
    pub fn genesis_note(&self) -> Vec<u8> {
        let mut convener = Author::new(self.roots[0].1.clone(), &self.origin);
        let payload = serde_json::to_value(self.genesis()).expect("genesis is JSON");
        let envelope = convener.envelope(GENESIS, payload, time());
        let others: Vec<&KeyPair> = self.roots[1..].iter().map(|(_, k)| k).collect();
        convener.sign(&envelope, &others)
    }

    /// Each root's chain of `per_author` notices (about 500 bytes an entry, like a short
    /// report), signed in parallel; in each chain the entries must be appended in order.
    #[must_use]
    pub fn chains(&self, per_author: usize) -> Vec<Vec<Vec<u8>>> {
        let genesis_leaf = tlog_tiles::record_hash(&self.genesis_note()).0;
        self.sign_chains(per_author, |i, root| {
            // The convener's entry 1 is the genesis.
            if i == 0 {
                Author::resume(root.clone(), &self.origin, 1, Some(genesis_leaf))
            } else {
                Author::new(root.clone(), &self.origin)
            }
        })
    }

    /// Each root's next `per_author` notices, continuing its chain from where `head`
    /// (the log's state) says it stands: to grow a log built by [`Synthetic::chains`].
    #[must_use]
    pub fn chains_after(
        &self,
        per_author: usize,
        head: impl Fn(&KeyName) -> Option<AuthorHead> + Sync,
    ) -> Vec<Vec<Vec<u8>>> {
        self.sign_chains(per_author, |_, root| {
            Author::continuing(root.clone(), &self.origin, head(root.name()))
        })
    }

    fn sign_chains(
        &self,
        per_author: usize,
        author: impl Fn(usize, &KeyPair) -> Author + Sync,
    ) -> Vec<Vec<Vec<u8>>> {
        self.roots
            .par_iter()
            .enumerate()
            .map(|(i, (id, root))| {
                let mut author = author(i, root);
                (0..per_author)
                    .map(|n| {
                        let payload = json!({
                            "lang": "en",
                            "text": format!("Synthetic notice {n} of delegation {id}. {FILLER}"),
                            "title": format!("Notice {n}"),
                        });
                        author.write(NOTICE_PUBLISHED, payload, time())
                    })
                    .collect()
            })
            .collect()
    }
}

/// Text that gives synthetic notices the size of a short report.
const FILLER: &str = "The monitors visited the site, interviewed witnesses on both sides of the \
line, and recorded the remnants found; the parties' accounts differ on the time and \
origin of the fire, and both are kept on the record beside the monitors' own.";

fn time() -> Timestamp {
    Timestamp::parse("2025-11-06T09:00:00Z").expect("a valid time")
}
