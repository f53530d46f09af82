//! The auditor enforces the genesis's witness policy: a checkpoint counts only with valid
//! cosignatures from `witness_quorum` of the genesis's witnesses, and a refusal names the
//! witnesses whose cosignature is missing.

use truce_core::DelegationId;
use truce_core::genesis::Witness;
use truce_demo::Exercise;
use truce_log::audit::{AuditError, AuditSummary, Auditor};
use truce_log::cosignature::Cosigner;
use truce_log::{Frontier, LogSigner, SignedCheckpoint, SignedEntry};

const ORIGIN: &str = "truce.example/witnessed";
const TIME: u64 = 1_764_000_000;

struct Log {
    exercise: Exercise,
    witnesses: Vec<Cosigner>,
    genesis_note: Vec<u8>,
}

/// A log whose genesis names three witnesses, run by three delegations, two of which must
/// cosign.
fn log() -> Log {
    let exercise = Exercise::generate(ORIGIN);
    let witnesses: Vec<Cosigner> = ["pk", "af", "tr"]
        .iter()
        .map(|d| Cosigner::generate(&format!("witness.example/{d}")).unwrap())
        .collect();
    let mut genesis = exercise.genesis();
    genesis.witnesses = witnesses
        .iter()
        .zip(["pk", "af", "tr"])
        .map(|(w, d)| Witness {
            vkey: w.vkey(),
            delegation: DelegationId::parse(d).unwrap(),
        })
        .collect();
    genesis.witness_quorum = 2;
    let genesis_note = exercise.genesis_note(&genesis);
    Log {
        exercise,
        witnesses,
        genesis_note,
    }
}

impl Log {
    /// The log's checkpoint over its one entry, cosigned by the given witnesses.
    fn checkpoint(&self, cosigners: &[&Cosigner]) -> SignedCheckpoint {
        let mut frontier = Frontier::new();
        frontier.append(
            SignedEntry::parse(self.genesis_note.clone())
                .unwrap()
                .leaf_hash(),
        );
        let mut checkpoint = LogSigner::new(self.exercise.log_key.clone()).sign(1, frontier.root());
        let body = checkpoint.body().to_vec();
        for cosigner in cosigners {
            let line = cosigner.cosign_line(&body, TIME);
            checkpoint.note.extend_from_slice(line.as_bytes());
        }
        checkpoint
    }

    fn audit(&self, checkpoint: &SignedCheckpoint) -> Result<AuditSummary, AuditError> {
        let vkey = self.exercise.log_key.vkey();
        let checkpoint = SignedCheckpoint::verify(&checkpoint.note, &vkey).unwrap();
        let mut auditor = Auditor::new(checkpoint, &vkey, None).unwrap();
        auditor.push_entries(&[&self.genesis_note]).unwrap();
        auditor.finish()
    }
}

#[test]
fn a_checkpoint_without_cosignatures_is_refused_naming_every_witness() {
    let log = log();
    let error = log.audit(&log.checkpoint(&[])).unwrap_err().to_string();
    assert!(error.contains("witness_quorum is 2"), "{error}");
    for witness in &log.witnesses {
        assert!(error.contains(&witness.vkey()), "{error}");
    }
}

#[test]
fn a_checkpoint_under_the_quorum_names_only_the_missing_witnesses() {
    let log = log();
    let error = log
        .audit(&log.checkpoint(&[&log.witnesses[1]]))
        .unwrap_err()
        .to_string();
    assert!(error.contains("carries 1 valid cosignatures"), "{error}");
    assert!(error.contains(&log.witnesses[0].vkey()), "{error}");
    assert!(error.contains(&log.witnesses[2].vkey()), "{error}");
    assert!(!error.contains(&log.witnesses[1].vkey()), "{error}");
}

#[test]
fn a_checkpoint_with_the_quorum_passes_and_says_who_cosigned() {
    let log = log();
    let summary = log
        .audit(&log.checkpoint(&[&log.witnesses[0], &log.witnesses[2]]))
        .unwrap();
    assert_eq!(
        summary.cosigned_by,
        vec![log.witnesses[0].vkey(), log.witnesses[2].vkey()]
    );
}

#[test]
fn cosignatures_by_strangers_or_on_another_checkpoint_do_not_count() {
    let log = log();
    let stranger = Cosigner::generate("witness.example/stranger").unwrap();
    // An impostor with a genesis witness's name but its own key.
    let impostor = Cosigner::generate("witness.example/pk").unwrap();
    let mut checkpoint = log.checkpoint(&[&log.witnesses[0], &stranger, &impostor]);
    // A genuine cosignature by a genesis witness, but on a checkpoint of another size.
    let other = b"truce.example/witnessed\n2\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    let misplaced = log.witnesses[1].cosign_line(other, TIME);
    checkpoint.note.extend_from_slice(misplaced.as_bytes());
    let error = log.audit(&checkpoint).unwrap_err().to_string();
    assert!(error.contains("carries 1 valid cosignatures"), "{error}");
}
