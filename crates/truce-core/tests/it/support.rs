//! What the admission properties share: the exercise's log, varied at random, submitted
//! one note at a time as the sequencer submits them.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestCaseError};
use truce_core::{LogState, Rejection, Timestamp};
use truce_demo::{Change, DEMO_ORIGIN, Exercise, Plan, Variation};
use truce_log::SignedEntry;

/// The exercise and its whole log: the constitution's entries, then the scenario.
pub struct Corpus {
    pub exercise: Exercise,
    pub notes: Vec<Vec<u8>>,
}

pub fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
        // A fixed "now", so that every run writes the same notes.
        let now = Timestamp::parse("2025-11-20T12:00:00Z").expect("a valid time");
        let mut notes = exercise.entries();
        notes.extend(exercise.scenario(&now));
        Corpus { exercise, notes }
    })
}

/// A fixed seed: every run tries the same cases (a failure is also saved under
/// `proptest-regressions/`).
pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x7275_6365),
        ..ProptestConfig::default()
    }
}

/// What became of a submitted note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Admitted,
    /// Refused by parsing or by the admission rules.
    Refused(Rejection),
    /// Admissible, but a signature admission asked for does not verify.
    Unverified,
}

/// Parses, admits, checks the signatures admission asks for and applies `note`, in the
/// sequencer's order: nothing is applied unless everything passed.
pub fn submit(state: &mut LogState, note: Vec<u8>) -> Outcome {
    let entry = match SignedEntry::parse(note) {
        Ok(entry) => entry,
        Err(rejection) => return Outcome::Refused(rejection),
    };
    let admission = match state.admit(entry.view(), None) {
        Ok(admission) => admission,
        Err(rejection) => return Outcome::Refused(rejection),
    };
    if !admission.signers.iter().all(|key| entry.verify(key)) {
        return Outcome::Unverified;
    }
    state.apply(admission, entry.leaf_hash().0);
    Outcome::Admitted
}

/// One note of a varied log and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub change: Change,
    pub note: Vec<u8>,
    pub outcome: Outcome,
}

/// A varied log as submitted, and the state it left.
pub struct Played {
    pub steps: Vec<Step>,
    pub state: LogState,
}

impl Played {
    pub fn admitted_notes(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.steps
            .iter()
            .filter(|s| s.outcome == Outcome::Admitted)
            .map(|s| &s.note)
    }
}

/// Submits the variation of the corpus that `plan` describes to an empty log, calling
/// `check` with the state before and after each note.
pub fn play_checking(
    plan: &Plan,
    mut check: impl FnMut(&LogState, &LogState, &Step) -> Result<(), TestCaseError>,
) -> Result<Played, TestCaseError> {
    let corpus = corpus();
    let mut variation = Variation::new(&corpus.exercise, &corpus.notes, plan);
    let mut state = LogState::new();
    let mut steps = vec![];
    while let Some((change, note)) = variation.next_note(&state) {
        let before = state.clone();
        let outcome = submit(&mut state, note.clone());
        if outcome == Outcome::Admitted {
            variation.admitted(before.size());
        }
        let step = Step {
            change,
            note,
            outcome,
        };
        check(&before, &state, &step)?;
        steps.push(step);
    }
    Ok(Played { steps, state })
}

pub fn play(plan: &Plan) -> Played {
    play_checking(plan, |_, _, _| Ok(())).expect("no check to fail")
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        // Kept most often, so that the log goes deep into the workflow; first, so that
        // failures shrink towards it.
        24 => Just(Change::Keep),
        1 => Just(Change::Drop),
        1 => Just(Change::Twice),
        1 => Just(Change::Replay),
        1 => Just(Change::Impostor),
        1 => Just(Change::BadSignature),
        1 => (-2i8..=2).prop_map(Change::ShiftReferences),
        // An hour, a day before, a month later: replies and finalizations move
        // across their windows, reports before their events.
        1 => prop_oneof![Just(1), Just(-24), Just(24 * 30)].prop_map(Change::ShiftTime),
        1 => any::<u8>().prop_map(Change::OtherAuthor),
    ]
}

/// Plans over the corpus: always its constitution, then any prefix of the scenario.
pub fn plan() -> impl Strategy<Value = Plan> {
    let corpus = corpus();
    let total = corpus.notes.len();
    let constitution = usize::try_from(corpus.exercise.entries_count()).expect("small");
    (
        constitution..=total,
        prop::collection::vec(change(), 0..=total),
        prop::collection::vec((0..total, 1..=3usize), 0..=4),
    )
        .prop_map(|(length, changes, swaps)| Plan {
            length,
            changes,
            swaps,
        })
}
