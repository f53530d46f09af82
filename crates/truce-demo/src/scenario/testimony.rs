//! Sealed testimony in the exercise: four custodians (two monitors, one commissioner of
//! each mediator) registered by their delegations' roots, and one fictional witness's
//! testimony sealed to them under the agreement's policy (3 approvals, one a monitor's).
//!
//! The custodians' X25519 keys are derived from their signing keys and the sealing draws
//! on a generator seeded from the log key, so that [`Exercise::sealed_files`] makes the
//! very files the entry names; `truce serve --demo` stores them and writes the custodian
//! keys beside the others, so the unsealing can be tried. Nothing here is real.

use std::collections::HashMap;

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use serde_json::json;
use sha2::{Digest, Sha256};
use truce_core::DelegationId;
use truce_core::kinds::{CUSTODIAN_REGISTERED, TESTIMONY_RECORDED};
use truce_log::{Author, SignedEntry};
use truce_seal::{Custodian, SealedPart, SecretKey};

use super::{Play, at};
use crate::Exercise;

/// The exercise's custodians, as `"delegation/officer"`.
pub const CUSTODIANS: [&str; 4] = [
    "jmt/monitor-1",
    "jmt/monitor-2",
    "tr/commissioner-1",
    "qa/commissioner-1",
];

pub(super) fn testimony(play: &mut Play<'_>) {
    let exercise = play.exercise;
    let mut roots = exercise.root_authors();
    for (i, who) in CUSTODIANS.iter().enumerate() {
        let delegation = who.split('/').next().expect("delegation/officer");
        let payload = json!({
            "key": exercise.officer(who).name().as_str(),
            "encryption_key": exercise.custodian_key(who).public().to_base64(),
        });
        let time = at(&format!("2025-11-06T{:02}:00:00Z", 9 + i));
        let root = roots.get_mut(delegation).expect("a root per delegation");
        play.notes
            .push(root.write(CUSTODIAN_REGISTERED, payload, time));
        play.next_index += 1;
    }
    let sealed = exercise.sealed_testimony();
    let policy = exercise
        .genesis()
        .testimony
        .expect("the exercise has a policy");
    let shares: Vec<_> = sealed
        .shares
        .iter()
        .zip(CUSTODIANS)
        .map(|(share, who)| {
            json!({
                "custodian": share.custodian,
                "delegation": who.split('/').next().expect("delegation/officer"),
                "encryption_key": exercise.custodian_key(who).public().to_base64(),
                "sha256": share.sha256,
            })
        })
        .collect();
    let payload = json!({
        "pseudonym": "EXERCISE Witness W-1",
        "consent": ["quote", "publish_redacted"],
        "statement": "EXERCISE (fiction): I saw two rounds land near the Chaman market before dawn.",
        "incident": play.named.get("mortar-incident").copied(),
        "sealed": {"sha256": sealed.sha256, "bytes": sealed.ciphertext.len()},
        "policy": policy,
        "shares": shares,
    });
    let mut payload = payload;
    if payload["incident"].is_null() {
        payload
            .as_object_mut()
            .expect("an object")
            .remove("incident");
    }
    play.write(
        "jmt/monitor-1",
        TESTIMONY_RECORDED,
        payload,
        &at("2025-11-07T10:00:00Z"),
    );
}

impl Exercise {
    /// The X25519 key of the custodian `who` (`"jmt/monitor-1"`): derived from their
    /// signing key, for the exercise only.
    #[must_use]
    pub fn custodian_key(&self, who: &str) -> SecretKey {
        let seed = Sha256::new()
            .chain_update(b"truce exercise custodian\0")
            .chain_update(self.officer(who).to_skey())
            .finalize();
        SecretKey::from_bytes(seed.into())
    }

    /// The exercise's sealed testimony: the same bytes every time for this exercise.
    #[must_use]
    pub fn sealed_testimony(&self) -> truce_seal::Sealed {
        let custodians: Vec<Custodian> = CUSTODIANS
            .iter()
            .map(|who| Custodian {
                name: self.officer(who).name().to_string(),
                delegation: DelegationId::parse(who.split('/').next().expect("delegation"))
                    .expect("a delegation id"),
                key: self.custodian_key(who).public(),
            })
            .collect();
        let part = SealedPart {
            identity: "EXERCISE (fiction): a shopkeeper of the Chaman market, 40s".into(),
            contact: Some("EXERCISE (fiction): through the JMT field office".into()),
            statement: Some("EXERCISE (fiction): the whole statement, names included.".into()),
            files: vec![],
        };
        let plaintext = serde_json::to_vec(&part).expect("a sealed part serializes");
        let seed = Sha256::new()
            .chain_update(b"truce exercise testimony\0")
            .chain_update(self.log_key.vkey())
            .finalize();
        let policy = self.genesis().testimony.expect("the exercise has a policy");
        let mut rng = ChaCha20Rng::from_seed(seed.into());
        truce_seal::seal_with_rng(&plaintext, &custodians, &policy, &mut rng)
            .expect("the exercise's custodians meet its policy")
    }

    /// The files the exercise's testimony entry names, by SHA-256: its sealed part and
    /// each custodian's share, for the node to hold.
    #[must_use]
    pub fn sealed_files(&self) -> Vec<(String, Vec<u8>)> {
        let sealed = self.sealed_testimony();
        std::iter::once((sealed.sha256, sealed.ciphertext))
            .chain(sealed.shares.into_iter().map(|s| (s.sha256, s.blob)))
            .collect()
    }

    /// Each delegation root's chain as [`Exercise::entries`] leaves it, by delegation id.
    fn root_authors(&self) -> HashMap<String, Author> {
        let mut heads: HashMap<String, (u64, [u8; 32])> = HashMap::new();
        for note in self.entries() {
            let entry = SignedEntry::parse(note).expect("the exercise's entries parse");
            let envelope = entry.envelope();
            heads.insert(
                envelope.author.to_string(),
                (envelope.seq, entry.leaf_hash().0),
            );
        }
        self.delegations
            .iter()
            .map(|(id, _, _, key)| {
                let author = match heads.get(key.name().as_str()) {
                    Some((seq, hash)) => {
                        Author::resume(key.clone(), &self.origin, *seq, Some(*hash))
                    }
                    None => Author::new(key.clone(), &self.origin),
                };
                (id.clone(), author)
            })
            .collect()
    }
}
