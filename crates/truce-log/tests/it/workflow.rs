//! The workflow's admission rules: the exercise scenario is admitted under the
//! sequencer's clock, and each rule of findings, replies, quorum, measures and talks
//! refuses what it must, naming the field.

use crate::support::assert_refused;
use serde_json::{Value, json};
use truce_core::kinds::{
    FINDING_FINALIZED, FINDING_PROPOSED, FINDING_SIGNED, MEASURE_UPDATED, STATEMENT_FILED,
};
use truce_core::state::{Clock, Record};
use truce_core::{Body, LogState, Rejection, RejectionCode, Timestamp};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::{Author, SignedEntry};

const NOW: i64 = 1_795_000_000; // 2026-11-18

fn now() -> Timestamp {
    Timestamp::from_unix_seconds(NOW)
}

fn clock() -> Clock {
    Clock {
        now_unix_s: NOW,
        future_skew_s: 300,
    }
}

/// The exercise after its scenario, and the indexes of the scenario's findings.
struct Played {
    exercise: Exercise,
    state: LogState,
    /// The final one (mortar), the one in its reply window (drone), the unsigned one.
    findings: [u64; 3],
    measure: u64,
}

impl Played {
    fn new() -> Self {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 3);
        let mut state = LogState::new();
        let (mut findings, mut measure) = (vec![], None);
        for note in exercise
            .entries()
            .into_iter()
            .chain(exercise.scenario(&now()))
        {
            let index = state.size();
            let entry = SignedEntry::parse(note).unwrap();
            match entry.body() {
                Body::FindingProposed(_) => findings.push(index),
                Body::FindingFinalized(_) => measure = Some(index),
                _ => {}
            }
            apply(&mut state, &entry, Some(clock()))
                .unwrap_or_else(|e| panic!("scenario entry {index} refused: {e}"));
        }
        Self {
            exercise,
            state,
            findings: findings.try_into().expect("three findings"),
            measure: measure.expect("a finalization"),
        }
    }

    fn author(&self, who: &str) -> Author {
        let key = self.exercise.officer(who);
        Author::continuing(key.clone(), DEMO_ORIGIN, self.state.author(key.name()))
    }

    /// Signs and submits; `clock` as the sequencer would pass it, or none as an auditor.
    fn submit(
        &mut self,
        who: &str,
        kind: &str,
        payload: Value,
        time: Timestamp,
        clock: Option<Clock>,
    ) -> Result<(), Rejection> {
        let note = self.author(who).write(kind, payload, time);
        apply(&mut self.state, &SignedEntry::parse(note)?, clock)
    }

    fn finding(&self, index: u64) -> truce_core::state::FindingRecord {
        match self.state.record(index) {
            Some(Record::Finding(f)) => (**f).clone(),
            other => panic!("entry {index} is not a finding: {other:?}"),
        }
    }
}

fn apply(state: &mut LogState, entry: &SignedEntry, clock: Option<Clock>) -> Result<(), Rejection> {
    let admission = state.admit(entry.view(), clock)?;
    assert!(admission.signers.iter().all(|k| entry.verify(k)));
    state.apply(admission, entry.leaf_hash().0);
    Ok(())
}

fn hours_later(hours: i64) -> Timestamp {
    Timestamp::from_unix_seconds(NOW + hours * 3_600)
}

#[test]
fn the_scenario_leaves_findings_at_each_stage_and_a_measure_from_the_ladder() {
    let played = Played::new();
    let [mortar, drone, access] = played.findings;
    let final_one = played.finding(mortar);
    assert_eq!(final_one.status(), "final");
    assert_eq!(final_one.dissent.len(), 1, "the dissent is kept");
    assert_eq!(final_one.measure, Some(played.measure));
    assert_eq!(played.finding(drone).status(), "awaiting_reply");
    assert_eq!(
        played.finding(drone).reply_due,
        hours_later(72),
        "the genesis gives 72 hours to reply"
    );
    assert_eq!(played.finding(access).status(), "awaiting_signatures");
    match played.state.record(played.measure) {
        Some(Record::Measure {
            party,
            ordinal,
            step,
            ..
        }) => {
            assert_eq!(party.as_str(), "af");
            assert_eq!((*ordinal, step.as_deref()), (1, Some("formal-notice")));
        }
        other => panic!("no measure: {other:?}"),
    }
}

#[test]
fn a_finding_signed_by_too_few_delegations_cannot_become_final() {
    let mut played = Played::new();
    let access = played.findings[2];
    played
        .submit(
            "tr/commissioner-1",
            FINDING_SIGNED,
            json!({"finding": access, "vote": "concur", "reasoning": ""}),
            now(),
            None,
        )
        .unwrap();
    let reason = assert_refused(
        played.submit(
            "tr/commissioner-1",
            FINDING_FINALIZED,
            json!({"finding": access}),
            hours_later(100),
            None,
        ),
        RejectionCode::Unauthorized,
        "payload.finding",
    );
    assert!(reason.contains("quorum is 2"), "{reason}");
}

#[test]
fn a_finding_cannot_become_final_inside_the_reply_window_but_can_after_it() {
    let mut played = Played::new();
    let drone = played.findings[1];
    let reason = assert_refused(
        played.submit(
            "tr/commissioner-1",
            FINDING_FINALIZED,
            json!({"finding": drone}),
            hours_later(1),
            None,
        ),
        RejectionCode::Conflict,
        "time",
    );
    assert!(reason.contains("pk may still reply"), "{reason}");
    played
        .submit(
            "tr/commissioner-1",
            FINDING_FINALIZED,
            json!({"finding": drone}),
            hours_later(73),
            None,
        )
        .unwrap();
    assert_eq!(played.finding(drone).status(), "final");
}

#[test]
fn a_reply_after_the_deadline_is_refused_and_one_inside_it_lets_the_finding_be_final() {
    let mut played = Played::new();
    let [mortar, drone, _] = played.findings;
    let reply = |party: &str| {
        json!({"figures": null, "finding": drone, "incident": played.finding(drone).incident, "kind": "reply",
            "lang": "en", "party": party, "sources": [], "text": "Our reply."})
    };
    let (late, early, wrong_party) = (reply("pk"), reply("pk"), reply("af"));
    assert_refused(
        played.submit("pk/liaison-1", STATEMENT_FILED, late, hours_later(73), None),
        RejectionCode::Conflict,
        "time",
    );
    assert_refused(
        played.submit(
            "af/liaison-1",
            STATEMENT_FILED,
            wrong_party,
            hours_later(1),
            None,
        ),
        RejectionCode::Unauthorized,
        "payload.party",
    );
    played
        .submit("pk/liaison-1", STATEMENT_FILED, early, hours_later(1), None)
        .unwrap();
    assert_eq!(played.finding(drone).status(), "ready");
    played
        .submit(
            "qa/commissioner-1",
            FINDING_FINALIZED,
            json!({"finding": drone}),
            hours_later(2),
            None,
        )
        .unwrap();
    // A final finding takes no more votes or replies.
    assert_refused(
        played.submit(
            "qa/commissioner-1",
            FINDING_SIGNED,
            json!({"finding": mortar, "vote": "dissent", "reasoning": "late"}),
            now(),
            None,
        ),
        RejectionCode::Conflict,
        "payload.finding",
    );
}

#[test]
fn deadline_bound_entries_cannot_be_backdated_under_the_sequencers_clock() {
    let mut played = Played::new();
    let investigation = played.finding(played.findings[0]).investigation;
    let proposal = json!({"investigation": investigation, "provision": "humanitarian",
        "determination": "inconclusive", "confidence": "low", "reasoning": "x"});
    assert_refused(
        played.submit(
            "jmt/monitor-1",
            FINDING_PROPOSED,
            proposal.clone(),
            hours_later(-1),
            Some(clock()),
        ),
        RejectionCode::Invalid,
        "time",
    );
    played
        .submit(
            "jmt/monitor-1",
            FINDING_PROPOSED,
            proposal,
            now(),
            Some(clock()),
        )
        .unwrap();
}

#[test]
fn votes_are_one_per_delegation_and_only_by_eligible_signers() {
    let mut played = Played::new();
    let drone = played.findings[1];
    let vote = json!({"finding": drone, "vote": "concur", "reasoning": ""});
    assert_refused(
        played.submit(
            "tr/commissioner-1",
            FINDING_SIGNED,
            vote.clone(),
            now(),
            None,
        ),
        RejectionCode::Conflict,
        "payload.finding",
    );
    assert_refused(
        played.submit("af/liaison-1", FINDING_SIGNED, vote, now(), None),
        RejectionCode::Unauthorized,
        "author",
    );
    let silent_dissent = json!({"finding": drone, "vote": "dissent", "reasoning": ""});
    assert_refused(
        played.submit("jmt/monitor-1", FINDING_SIGNED, silent_dissent, now(), None),
        RejectionCode::Invalid,
        "payload.reasoning",
    );
}

#[test]
fn the_ladder_escalates_with_each_final_violation_and_a_completed_measure_is_closed() {
    let mut played = Played::new();
    let access = played.findings[2];
    for who in ["tr/commissioner-1", "qa/commissioner-1"] {
        played
            .submit(
                who,
                FINDING_SIGNED,
                json!({"finding": access, "vote": "concur", "reasoning": ""}),
                now(),
                None,
            )
            .unwrap();
    }
    let second_measure = played.state.size();
    played
        .submit(
            "qa/commissioner-1",
            FINDING_FINALIZED,
            json!({"finding": access}),
            hours_later(73),
            None,
        )
        .unwrap();
    match played.state.record(second_measure) {
        Some(Record::Measure { ordinal, step, .. }) => {
            assert_eq!((*ordinal, step.as_deref()), (2, Some("public-statement")));
        }
        other => panic!("no measure: {other:?}"),
    }
    let done = json!({"measure": played.measure, "status": "completed", "note": ""});
    played
        .submit(
            "tr/commissioner-1",
            MEASURE_UPDATED,
            done.clone(),
            now(),
            None,
        )
        .unwrap();
    assert_refused(
        played.submit("tr/commissioner-1", MEASURE_UPDATED, done, now(), None),
        RejectionCode::Conflict,
        "payload.measure",
    );
}

#[test]
fn a_finalization_dated_into_the_clock_skew_cannot_cut_the_reply_window() {
    let mut played = Played::new();
    let drone = played.findings[1];
    let due = hours_later(72).unix_seconds();
    let sequencer_now = Clock {
        now_unix_s: due - 299,
        future_skew_s: 300,
    };
    assert_refused(
        played.submit(
            "tr/commissioner-1",
            FINDING_FINALIZED,
            json!({"finding": drone}),
            Timestamp::from_unix_seconds(due),
            Some(sequencer_now),
        ),
        RejectionCode::Invalid,
        "time",
    );
    let reply = json!({"figures": null, "finding": drone, "incident": played.finding(drone).incident,
        "kind": "reply", "lang": "en", "party": "pk", "sources": [], "text": "Our reply."});
    played
        .submit(
            "pk/liaison-1",
            STATEMENT_FILED,
            reply,
            Timestamp::from_unix_seconds(due - 299),
            Some(sequencer_now),
        )
        .unwrap();
}

#[test]
fn an_auditor_refuses_a_reply_dated_before_the_finding_it_answers() {
    let mut played = Played::new();
    let drone = played.findings[1];
    let reply = json!({"figures": null, "finding": drone, "incident": played.finding(drone).incident,
        "kind": "reply", "lang": "en", "party": "pk", "sources": [], "text": "Backdated."});
    assert_refused(
        played.submit(
            "pk/liaison-1",
            STATEMENT_FILED,
            reply,
            Timestamp::from_unix_seconds(NOW - 30 * 86_400),
            None,
        ),
        RejectionCode::Invalid,
        "time",
    );
}
