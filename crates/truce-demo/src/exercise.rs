use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use truce_core::genesis::{
    CrossingAlert, Delegation, DelegationKind, Genesis, LogIdentity, MeasureStep, Provision,
    Quorum, QuorumRule,
};
use truce_core::kinds::{GENESIS, KEY_REGISTERED, KEY_REVOKED};
use truce_core::{DelegationId, KeyName, Role, Timestamp};
use truce_log::{Author, KeyPair};

/// The default origin of the demo log.
pub const DEMO_ORIGIN: &str = "truce.example/pk-af-2025-exercise";

const EXERCISE_NOTE: &str = "Exercise text: the agreement's actual provisions are not public.";

/// A fictional officer of a delegation, with their key.
#[derive(Debug, Clone)]
pub struct Officer {
    pub delegation: &'static str,
    pub role: Role,
    pub key: KeyPair,
}

impl Officer {
    /// The officer's short name, as the demo names its key file and account:
    /// `pk-liaison-1`.
    #[must_use]
    pub fn account_name(&self) -> String {
        let short = self
            .key
            .name()
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or_default();
        format!("{}-{short}", self.delegation)
    }
}

/// The exercise's keys: the log key, each delegation's root key, and its officers.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub origin: String,
    pub log_key: KeyPair,
    /// (delegation id, name, kind, root key)
    pub delegations: Vec<(&'static str, &'static str, DelegationKind, KeyPair)>,
    pub officers: Vec<Officer>,
}

const DELEGATIONS: [(&str, &str, DelegationKind); 5] = [
    ("pk", "Pakistan", DelegationKind::Party),
    (
        "af",
        "Afghanistan (de facto authorities in Kabul)",
        DelegationKind::Party,
    ),
    ("tr", "Türkiye (mediator)", DelegationKind::Mediator),
    ("qa", "Qatar (mediator)", DelegationKind::Mediator),
    (
        "jmt",
        "Joint Monitoring Team (exercise)",
        DelegationKind::Monitor,
    ),
];

const OFFICERS: [(&str, Role, &str); 7] = [
    ("pk", Role::Liaison, "liaison-1"),
    ("af", Role::Liaison, "liaison-1"),
    ("tr", Role::Commissioner, "commissioner-1"),
    ("qa", Role::Commissioner, "commissioner-1"),
    ("jmt", Role::Monitor, "monitor-1"),
    ("jmt", Role::Monitor, "monitor-2"),
    ("jmt", Role::Device, "field-tablet-1"),
];

impl Exercise {
    /// An exercise with fresh random keys.
    #[must_use]
    pub fn generate(origin: &str) -> Self {
        Self::build(origin, |name| {
            KeyPair::generate(name.as_str()).expect("valid demo key name")
        })
    }

    /// An exercise whose keys are derived from `seed`: the same seed gives the same keys.
    /// For tests and benchmarks only: anyone who knows the seed can sign.
    #[must_use]
    pub fn from_seed(origin: &str, seed: u64) -> Self {
        Self::build(origin, |name| {
            let digest = Sha256::new()
                .chain_update(seed.to_be_bytes())
                .chain_update(name.as_str())
                .finalize();
            KeyPair::from_seed(name, digest.into())
        })
    }

    /// An exercise run by an existing log key (whose name is the origin), with fresh keys
    /// for everyone else.
    #[must_use]
    pub fn generate_for(log_key: KeyPair) -> Self {
        let mut exercise = Self::generate(log_key.name().as_str());
        exercise.log_key = log_key;
        exercise
    }

    fn build(origin: &str, make: impl Fn(&KeyName) -> KeyPair) -> Self {
        let name = |suffix: &str| KeyName::parse(format!("{origin}/{suffix}")).expect("valid");
        let log_key = make(&KeyName::parse(origin).expect("origin is a valid key name"));
        let delegations = DELEGATIONS
            .iter()
            .map(|&(id, title, kind)| (id, title, kind, make(&name(&format!("{id}/root")))))
            .collect();
        let officers = OFFICERS
            .iter()
            .map(|&(delegation, role, suffix)| Officer {
                delegation,
                role,
                key: make(&name(&format!("{delegation}/{suffix}"))),
            })
            .collect();
        Self {
            origin: origin.to_string(),
            log_key,
            delegations,
            officers,
        }
    }

    /// The key of the officer `who` (`"af/liaison-1"`).
    ///
    /// # Panics
    /// If the exercise has no such officer.
    #[must_use]
    pub fn officer(&self, who: &str) -> &KeyPair {
        let name = format!("{}/{who}", self.origin);
        let officer = self.officers.iter().find(|o| o.key.name().as_str() == name);
        &officer.expect("a demo officer").key
    }

    /// The root key of a delegation.
    #[must_use]
    pub fn root(&self, delegation: &str) -> &KeyPair {
        &self
            .delegations
            .iter()
            .find(|d| d.0 == delegation)
            .expect("a demo delegation")
            .3
    }

    /// The exercise's constitution.
    #[must_use]
    pub fn genesis(&self) -> Genesis {
        let id = |s: &str| DelegationId::parse(s).expect("valid id");
        Genesis {
            title: "Pakistan–Afghanistan ceasefire 2025 (exercise)".into(),
            exercise: true,
            log: LogIdentity {
                origin: self.origin.clone(),
                vkey: self.log_key.vkey(),
            },
            delegations: self
                .delegations
                .iter()
                .map(|(d, title, kind, key)| Delegation {
                    id: id(d),
                    name: (*title).to_string(),
                    kind: *kind,
                    root_key: key.vkey(),
                })
                .collect(),
            provisions: provisions(),
            measures: measures(),
            quorum: Quorum {
                finding: QuorumRule {
                    eligible: vec![id("tr"), id("qa"), id("jmt")],
                    delegations_min: 2,
                },
                amendment: QuorumRule {
                    eligible: vec![id("pk"), id("af"), id("tr"), id("qa")],
                    delegations_min: 4,
                },
            },
            reply_window_hours: 72,
            border_geometry_sha256: Some(truce_geo::REFERENCE_SHA256.to_string()),
            witnesses: vec![],
            witness_quorum: 0,
            // Exercise value: the agreement's real terms are not public.
            crossing_alert: Some(CrossingAlert {
                closure_days: 14,
                provision: "humanitarian".into(),
            }),
        }
    }

    /// The exercise's first entries, in order: the genesis signed by every delegation's
    /// root key, the registration of each officer by their delegation's root, and the
    /// revocation of a field tablet reported lost.
    #[must_use]
    pub fn entries(&self) -> Vec<Vec<u8>> {
        let mut roots: Vec<Author> = self
            .delegations
            .iter()
            .map(|d| Author::new(d.3.clone(), &self.origin))
            .collect();
        let at = |s: &str| Timestamp::parse(s).expect("valid demo time");
        let mut notes = vec![self.genesis_note(&self.genesis())];
        // The convener (the mediators) wrote the genesis: its chain continues from it.
        let convener = 2;
        let genesis = truce_log::SignedEntry::parse(notes[0].clone()).expect("a signed genesis");
        roots[convener] = Author::resume(
            self.delegations[convener].3.clone(),
            &self.origin,
            1,
            Some(genesis.leaf_hash().0),
        );
        for (i, officer) in self.officers.iter().enumerate() {
            let root = self.delegation_index(officer.delegation);
            let time = at(&format!("2025-10-31T{:02}:00:00Z", 9 + i));
            notes.push(roots[root].write(KEY_REGISTERED, registration(officer), time));
        }
        let tablet = self.officers.last().expect("the demo has officers");
        let revocation = json!({
            "name": tablet.key.name().as_str(),
            "reason": "Exercise: the tablet was reported lost at a checkpoint.",
        });
        let jmt = self.delegation_index("jmt");
        notes.push(roots[jmt].write(KEY_REVOKED, revocation, at("2025-11-05T08:30:00Z")));
        notes
    }

    /// `genesis` (the exercise's, or a variant of it) signed by every delegation's root
    /// key: the mediators convene and every other root co-signs.
    #[must_use]
    pub fn genesis_note(&self, genesis: &Genesis) -> Vec<u8> {
        let convener = 2; // the mediators, as in `entries`
        let mut author = Author::new(self.delegations[convener].3.clone(), &self.origin);
        let cosigners: Vec<&KeyPair> = self
            .delegations
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != convener)
            .map(|(_, d)| &d.3)
            .collect();
        let genesis = serde_json::to_value(genesis).expect("genesis is JSON");
        let at = Timestamp::parse("2025-10-30T16:00:00Z").expect("valid demo time");
        let envelope = author.envelope(GENESIS, genesis, at);
        author.sign(&envelope, &cosigners)
    }

    fn delegation_index(&self, id: &str) -> usize {
        self.delegations
            .iter()
            .position(|d| d.0 == id)
            .expect("a demo delegation")
    }
}

fn registration(officer: &Officer) -> Value {
    json!({
        "delegation": officer.delegation,
        "name": officer.key.name().as_str(),
        "role": officer.role.as_str(),
        "vkey": officer.key.vkey(),
    })
}

fn provisions() -> Vec<Provision> {
    let provision = |id: &str, title: &str, text: &str| Provision {
        id: id.into(),
        title: title.into(),
        text: format!("{text} {EXERCISE_NOTE}"),
    };
    vec![
        provision(
            "ceasefire",
            "Cessation of hostilities",
            "Neither party fires across the Durand Line or carries out air or drone strikes on the other's territory.",
        ),
        provision(
            "armed-groups",
            "Armed groups",
            "Neither party allows its territory to be used for attacks on the other.",
        ),
        provision(
            "sovereignty",
            "Territorial integrity",
            "Each party respects the other's territorial integrity.",
        ),
        provision(
            "humanitarian",
            "Crossings and civilians",
            "Crossings reopen for trade and humanitarian passage; returns of Afghan nationals are orderly, safe and dignified.",
        ),
        provision(
            "access",
            "Cooperation with the mechanism",
            "Each party gives the monitors access to sites and answers allegations within the reply window.",
        ),
    ]
}

fn measures() -> Vec<MeasureStep> {
    let step = |id: &str, title: &str, description: &str| MeasureStep {
        id: id.into(),
        title: title.into(),
        description: description.into(),
    };
    vec![
        step(
            "formal-notice",
            "Formal notice",
            "The commission notifies the violating party in writing.",
        ),
        step(
            "public-statement",
            "Public statement",
            "The commission names the violation publicly.",
        ),
        step(
            "referral",
            "Referral to the guarantors",
            "The mediators take the matter up with the violating party's government.",
        ),
        step(
            "compensation",
            "Compensation",
            "The violating party compensates the victims as the commission determines.",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_core::LogState;
    use truce_log::SignedEntry;

    #[test]
    fn the_demo_entries_are_admitted_in_order_and_their_signatures_verify() {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
        let mut state = LogState::new();
        for (index, note) in exercise.entries().into_iter().enumerate() {
            let entry = SignedEntry::parse(note).unwrap();
            let admission = state
                .admit(entry.view(), None)
                .unwrap_or_else(|e| panic!("entry {index}: {e}"));
            for key in &admission.signers {
                assert!(
                    entry.verify(key),
                    "entry {index}: signature by {}",
                    key.name
                );
            }
            state.apply(admission, entry.leaf_hash().0);
        }
        assert_eq!(state.size(), 9);
        let tablet = state
            .key(&format!("{DEMO_ORIGIN}/jmt/field-tablet-1"))
            .unwrap();
        assert_eq!(tablet.revoked_at, Some(8));
    }

    #[test]
    fn the_same_seed_gives_the_same_keys() {
        let a = Exercise::from_seed(DEMO_ORIGIN, 7);
        let b = Exercise::from_seed(DEMO_ORIGIN, 7);
        assert_eq!(a.log_key.vkey(), b.log_key.vkey());
        assert_ne!(
            a.log_key.vkey(),
            Exercise::from_seed(DEMO_ORIGIN, 8).log_key.vkey()
        );
    }
}
