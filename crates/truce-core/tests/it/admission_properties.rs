//! Properties of admission over varied logs of the exercise: entries dropped, repeated,
//! swapped, forged, dated or pointed elsewhere, so that a good share is refused.
//!
//! 48 cases each, from a fixed seed, to keep the suite fast in debug builds.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use truce_core::LogState;
use truce_demo::Change;

use crate::support::{Outcome, Step, config, plan, play, play_checking, submit};

const CASES: u32 = 48;

proptest! {
    #![proptest_config(config(CASES))]

    #[test]
    fn a_refused_entry_leaves_the_state_as_it_was(plan in plan()) {
        play_checking(&plan, |before, after, step| {
            if step.outcome != Outcome::Admitted {
                prop_assert!(
                    before == after,
                    "a refused entry ({:?}, {:?}) changed the state (size {} -> {})",
                    step.change,
                    step.outcome,
                    before.size(),
                    after.size()
                );
            }
            Ok(())
        })?;
    }

    #[test]
    fn replaying_the_admitted_entries_from_genesis_gives_the_same_state(plan in plan()) {
        let played = play(&plan);
        let mut replayed = LogState::new();
        for (index, note) in played.admitted_notes().enumerate() {
            let outcome = submit(&mut replayed, note.clone());
            prop_assert_eq!(outcome, Outcome::Admitted, "entry {} on replay", index);
        }
        prop_assert!(replayed == played.state, "the replay's state differs");
    }

    /// What `truce verify --state` saves to resume an audit: every state of a varied log
    /// reads back from its snapshot, through JSON, as the same state.
    #[test]
    fn a_saved_state_reads_back_as_the_same_state(plan in plan()) {
        play_checking(&plan, |_, after, step| {
            if step.outcome == Outcome::Admitted {
                let text = serde_json::to_string(&after.snapshot()).expect("serializable");
                let saved = serde_json::from_str(&text).expect("reads back");
                let restored = LogState::from_snapshot(saved).expect("a whole snapshot");
                prop_assert!(&restored == after, "size {} read back differently", after.size());
            }
            Ok(())
        })?;
    }

    #[test]
    fn admission_is_deterministic(plan in plan()) {
        let first = play(&plan);
        let second = play(&plan);
        prop_assert_eq!(first.steps.len(), second.steps.len());
        for (at, (a, b)) in first.steps.iter().zip(&second.steps).enumerate() {
            prop_assert!(a == b, "note {}: {:?} then {:?}", at, a.outcome, b.outcome);
        }
        prop_assert!(first.state == second.state, "the same log left two states");
    }

    #[test]
    fn a_forged_entry_is_never_admitted(plan in plan()) {
        for step in play(&plan).steps {
            if matches!(step.change, Change::Impostor | Change::BadSignature) {
                prop_assert_ne!(&step.outcome, &Outcome::Admitted, "{:?}", step.change);
            }
        }
    }
}

/// The properties say little if the variations are all admitted or all refused: over
/// the same plans, most entries are admitted and a good share is refused, for many
/// reasons.
#[test]
fn the_variations_admit_most_entries_and_refuse_a_good_share_for_many_reasons() {
    let mut runner = TestRunner::new(config(CASES));
    let strategy = plan();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..CASES {
        let plan = strategy.new_tree(&mut runner).unwrap().current();
        for Step { outcome, .. } in play(&plan).steps {
            *outcomes.entry(reason(&outcome)).or_default() += 1;
        }
    }
    let total: usize = outcomes.values().sum();
    let admitted = outcomes.get("admitted").copied().unwrap_or(0);
    eprintln!("{total} notes over {CASES} plans: {outcomes:?}");
    assert!(
        admitted * 10 >= total * 5,
        "under half admitted: {outcomes:?}"
    );
    assert!(
        admitted * 10 <= total * 9,
        "under a tenth refused: {outcomes:?}"
    );
    assert!(outcomes.len() >= 6, "few kinds of refusal: {outcomes:?}");
}

/// An outcome as a tally key: "admitted", "unverified", or the rejection's code and field.
fn reason(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Admitted => "admitted".into(),
        Outcome::Unverified => "unverified".into(),
        Outcome::Refused(r) => format!("{:?} {}", r.code, r.field),
    }
}
