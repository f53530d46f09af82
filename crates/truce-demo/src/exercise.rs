use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use truce_agreement::{AgreementFile, Draft};
use truce_core::genesis::{DelegationKind, Genesis};
use truce_core::kinds::{KEY_REGISTERED, KEY_REVOKED};
use truce_core::{KeyName, Role, Timestamp};
use truce_log::{Author, KeyPair};

/// The default origin of the demo log.
pub const DEMO_ORIGIN: &str = "truce.example/pk-af-2025-exercise";

/// The exercise's agreement, as a mechanism would write its own: the demo drafts, signs
/// and assembles its genesis from it through the same ceremony (`truce_agreement`), with
/// its own keys in place of the file's.
pub const AGREEMENT: &str = include_str!("../agreement.toml");

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
    /// (delegation id, name, kind, root key), in the agreement's order.
    pub delegations: Vec<(String, String, DelegationKind, KeyPair)>,
    pub officers: Vec<Officer>,
    agreement: AgreementFile,
}

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
        let agreement = AgreementFile::parse(AGREEMENT).expect("the exercise's agreement parses");
        let delegations = agreement
            .delegations
            .iter()
            .map(|d| {
                let root = make(&name(&format!("{}/root", d.id)));
                (d.id.as_str().to_string(), d.name.clone(), d.kind, root)
            })
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
            agreement,
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

    /// The exercise's constitution: its agreement file's, with this exercise's origin, log
    /// key and root keys.
    #[must_use]
    pub fn genesis(&self) -> Genesis {
        let sha256 = self
            .agreement
            .geometry
            .as_ref()
            .and_then(|g| g.sha256.clone());
        let mut genesis = self.agreement.genesis(sha256);
        genesis.log.origin.clone_from(&self.origin);
        genesis.log.vkey = self.log_key.vkey();
        for (delegation, (id, _, _, key)) in genesis.delegations.iter_mut().zip(&self.delegations) {
            debug_assert_eq!(delegation.id.as_str(), id);
            delegation.root_key = key.vkey();
        }
        genesis
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
        // The convener wrote the genesis: its chain continues from it.
        let convener = self.delegation_index(self.agreement.convener.as_str());
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

    /// `genesis` (the exercise's, or a variant of it) through the ceremony a real
    /// mechanism runs: drafted, signed by each delegation's root key on its own, and
    /// assembled (the convener's signature first).
    ///
    /// # Panics
    /// If the variant is not a valid genesis.
    #[must_use]
    pub fn genesis_note(&self, genesis: &Genesis) -> Vec<u8> {
        let at = self
            .agreement
            .adopted_at
            .clone()
            .expect("the exercise's agreement is dated");
        let at = Timestamp::parse(at).expect("a valid time");
        let draft = Draft::new(genesis, &self.agreement.convener, at)
            .unwrap_or_else(|e| panic!("the exercise's genesis is refused: {e}"));
        let signatures: Vec<_> = self
            .delegations
            .iter()
            .map(|(id, _, _, key)| (format!("{id}.sig"), draft.sign(key).expect("a root key")))
            .collect();
        draft.assemble(&signatures).expect("every root signed")
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

    /// The shipped agreement is a valid one as it stands (`truce genesis draft` takes it):
    /// its keys are the exercise's from seed 0, and its geometry the built-in reference.
    #[test]
    fn the_shipped_agreement_names_the_seed_zero_keys_and_the_reference_geometry() {
        let file = AgreementFile::parse(AGREEMENT).unwrap();
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 0);
        let expected = exercise.genesis();
        let written = file.genesis(file.geometry.as_ref().unwrap().sha256.clone());
        assert_eq!(written.log.vkey, expected.log.vkey, "log.vkey");
        for (w, e) in written.delegations.iter().zip(&expected.delegations) {
            assert_eq!(w.root_key, e.root_key, "delegation {}", w.id);
        }
        assert_eq!(written, expected);
        assert_eq!(
            written.border_geometry_sha256.as_deref(),
            Some(truce_geo::REFERENCE_SHA256)
        );
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
