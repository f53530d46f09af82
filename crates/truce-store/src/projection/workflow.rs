//! Investigations, findings, measures and talks in the projection.
//!
//! Rows that change as later entries arrive (a finding's votes and replies, a measure's
//! or a commitment's status) are rewritten from the record state the admission rules
//! computed, so the projector never has to read the database.

use truce_core::KeyRecord;
use truce_core::mechanism::{
    CommitmentMade, CommitmentUpdated, FindingProposed, FindingSigned, InvestigationOpened,
    InvestigationStep, MeasureUpdated, TalksRound,
};
use truce_core::state::{FindingRecord, Record};
use truce_core::{DelegationId, Timestamp};
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int, text};

const fn table(
    name: &'static str,
    columns: &'static [(&'static str, Column)],
    delete_all: &'static str,
) -> Table {
    Table {
        name,
        columns,
        order_by: "idx",
        delete_all,
    }
}

pub const INVESTIGATIONS: Table = table(
    "investigations",
    &[
        ("idx", Column::Int),
        ("incident_idx", Column::Int),
        ("opened_by", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
        ("mandate", Column::Text),
        ("monitors", Column::Text),
        ("tasks", Column::Text),
        ("status", Column::Text),
    ],
    "DELETE FROM investigations",
);

pub const INVESTIGATION_STEPS: Table = table(
    "investigation_steps",
    &[
        ("idx", Column::Int),
        ("investigation_idx", Column::Int),
        ("kind", Column::Text),
        ("occurred_at", Column::Text),
        ("party", Column::Text),
        ("task", Column::Int),
        ("lat", Column::Real),
        ("lon", Column::Real),
        ("author", Column::Text),
        ("text", Column::Text),
    ],
    "DELETE FROM investigation_steps",
);

pub const FINDINGS: Table = table(
    "findings",
    &[
        ("idx", Column::Int),
        ("investigation_idx", Column::Int),
        ("incident_idx", Column::Int),
        ("provision", Column::Text),
        ("determination", Column::Text),
        ("attribution", Column::Text),
        ("party", Column::Text),
        ("confidence", Column::Text),
        ("reasoning", Column::Text),
        ("proposed_by", Column::Text),
        ("signed_at", Column::Text),
        ("reply_due", Column::Text),
        ("awaiting", Column::Text),
        ("replied", Column::Text),
        ("concur", Column::Text),
        ("dissent", Column::Text),
        ("status", Column::Text),
        ("final_idx", Column::Int),
        ("measure_idx", Column::Int),
        ("intent", Column::Text),
    ],
    "DELETE FROM findings",
);

pub const FINDING_VOTES: Table = table(
    "finding_votes",
    &[
        ("idx", Column::Int),
        ("finding_idx", Column::Int),
        ("author", Column::Text),
        ("delegation", Column::Text),
        ("vote", Column::Text),
        ("reasoning", Column::Text),
        ("signed_at", Column::Text),
    ],
    "DELETE FROM finding_votes",
);

pub const MEASURES: Table = table(
    "measures",
    &[
        ("idx", Column::Int),
        ("finding_idx", Column::Int),
        ("party", Column::Text),
        ("ordinal", Column::Int),
        ("step", Column::Text),
        ("status", Column::Text),
        ("updated_idx", Column::Int),
        ("note", Column::Text),
    ],
    "DELETE FROM measures",
);

pub const TALKS_ROUNDS: Table = table(
    "talks_rounds",
    &[
        ("idx", Column::Int),
        ("title", Column::Text),
        ("place", Column::Text),
        ("starts", Column::Text),
        ("ends", Column::Text),
        ("participants", Column::Text),
        ("summary", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    "DELETE FROM talks_rounds",
);

pub const COMMITMENTS: Table = table(
    "commitments",
    &[
        ("idx", Column::Int),
        ("round_idx", Column::Int),
        ("owner", Column::Text),
        ("text", Column::Text),
        ("due", Column::Text),
        ("status", Column::Text),
        ("updated_idx", Column::Int),
        ("note", Column::Text),
    ],
    "DELETE FROM commitments",
);

const INSERT_INVESTIGATION: &str = "INSERT INTO investigations \
    (idx, incident_idx, opened_by, author, signed_at, mandate, monitors, tasks, status) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const INCIDENT_INVESTIGATED: &str =
    "UPDATE incidents SET status = 'investigating' WHERE idx = $1 AND status = 'open'";
const INSERT_STEP: &str = "INSERT INTO investigation_steps \
    (idx, investigation_idx, kind, occurred_at, party, task, lat, lon, author, text) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const CLOSE_INVESTIGATION: &str = "UPDATE investigations SET status = 'closed' WHERE idx = $1";
const INSERT_FINDING: &str = "INSERT INTO findings (idx, investigation_idx, incident_idx, provision, \
    determination, attribution, party, confidence, reasoning, proposed_by, signed_at, reply_due, \
    awaiting, replied, concur, dissent, status, final_idx, measure_idx, intent) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)";
const UPDATE_FINDING: &str = "UPDATE findings SET replied = $2, concur = $3, dissent = $4, \
    status = $5, final_idx = $6, measure_idx = $7 WHERE idx = $1";
const INSERT_VOTE: &str = "INSERT INTO finding_votes \
    (idx, finding_idx, author, delegation, vote, reasoning, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
const INSERT_MEASURE: &str = "INSERT INTO measures \
    (idx, finding_idx, party, ordinal, step, status, updated_idx, note) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const UPDATE_MEASURE: &str =
    "UPDATE measures SET status = $2, updated_idx = $3, note = $4 WHERE idx = $1";
const INSERT_ROUND: &str = "INSERT INTO talks_rounds \
    (idx, title, place, starts, ends, participants, summary, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const INSERT_COMMITMENT: &str = "INSERT INTO commitments \
    (idx, round_idx, owner, text, due, status, updated_idx, note) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const UPDATE_COMMITMENT: &str =
    "UPDATE commitments SET status = $2, updated_idx = $3, note = $4 WHERE idx = $1";

fn ids(list: &[DelegationId]) -> Arg {
    text(
        list.iter()
            .map(DelegationId::as_str)
            .collect::<Vec<_>>()
            .join(","),
    )
}

fn time(entry: &SignedEntry) -> Arg {
    text(entry.envelope().time.as_str())
}

fn opt_time(value: Option<&Timestamp>) -> Arg {
    Arg::opt_text(value.map(Timestamp::as_str))
}

fn opt_index(value: Option<u64>) -> Arg {
    value.map_or(Arg::NullInt, index)
}

pub fn investigation(
    at: u64,
    entry: &SignedEntry,
    investigation: &InvestigationOpened,
    signer: &KeyRecord,
) -> Vec<Write> {
    let monitors: Vec<&str> = investigation
        .monitors
        .iter()
        .map(truce_core::KeyName::as_str)
        .collect();
    let tasks = serde_json::to_string(&investigation.tasks).expect("strings serialize");
    let row = vec![
        index(at),
        index(investigation.incident),
        text(signer.delegation.as_str()),
        text(signer.name.as_str()),
        time(entry),
        text(investigation.mandate.clone()),
        text(monitors.join(",")),
        text(tasks),
        text("open"),
    ];
    vec![
        Write {
            sql: INSERT_INVESTIGATION,
            args: row,
        },
        Write {
            sql: INCIDENT_INVESTIGATED,
            args: vec![index(investigation.incident)],
        },
    ]
}

pub fn step(at: u64, entry: &SignedEntry, step: &InvestigationStep) -> Vec<Write> {
    let row = vec![
        index(at),
        index(step.investigation),
        text(step.kind.as_str()),
        text(step.occurred.as_str()),
        Arg::opt_text(step.party.as_ref().map(DelegationId::as_str)),
        step.task.map_or(Arg::NullInt, int),
        step.place.map_or(Arg::NullReal, |p| Arg::Real(p.lat)),
        step.place.map_or(Arg::NullReal, |p| Arg::Real(p.lon)),
        text(entry.envelope().author.as_str()),
        text(step.text.clone()),
    ];
    let mut writes = vec![Write {
        sql: INSERT_STEP,
        args: row,
    }];
    if step.kind == truce_core::mechanism::StepKind::Closed {
        writes.push(Write {
            sql: CLOSE_INVESTIGATION,
            args: vec![index(step.investigation)],
        });
    }
    writes
}

pub fn proposed(
    at: u64,
    entry: &SignedEntry,
    finding: &FindingProposed,
    changes: &[(u64, Record)],
) -> Vec<Write> {
    let Some(record) = finding_record(changes, at) else {
        return vec![];
    };
    let row = vec![
        index(at),
        index(finding.investigation),
        index(record.incident),
        text(finding.provision.clone()),
        text(finding.determination.as_str()),
        Arg::opt_text(
            finding
                .attribution
                .map(truce_core::mechanism::Attribution::as_str),
        ),
        Arg::opt_text(finding.party.as_ref().map(DelegationId::as_str)),
        text(finding.confidence.as_str()),
        text(finding.reasoning.clone()),
        text(entry.envelope().author.as_str()),
        time(entry),
        text(record.reply_due.as_str()),
        ids(&record.awaiting),
        replied(record),
        ids(&record.concur),
        ids(&record.dissent),
        text(record.status()),
        opt_index(record.final_at),
        opt_index(record.measure),
        Arg::opt_text(
            finding
                .intent
                .map(truce_core::mechanism::finding::Intent::as_str),
        ),
    ];
    vec![Write {
        sql: INSERT_FINDING,
        args: row,
    }]
}

pub fn vote(
    at: u64,
    entry: &SignedEntry,
    vote: &FindingSigned,
    signer: &KeyRecord,
    changes: &[(u64, Record)],
) -> Vec<Write> {
    let row = vec![
        index(at),
        index(vote.finding),
        text(signer.name.as_str()),
        text(signer.delegation.as_str()),
        text(vote.vote.as_str()),
        text(vote.reasoning.clone()),
        time(entry),
    ];
    let mut writes = vec![Write {
        sql: INSERT_VOTE,
        args: row,
    }];
    writes.extend(finding_updates(changes));
    writes
}

/// The rows a finding's changed state rewrites, and the measure a final finding creates.
pub fn finding_updates(changes: &[(u64, Record)]) -> Vec<Write> {
    let mut writes = vec![];
    for (at, record) in changes {
        match record {
            Record::Finding(finding) => writes.push(Write {
                sql: UPDATE_FINDING,
                args: vec![
                    index(*at),
                    replied(finding),
                    ids(&finding.concur),
                    ids(&finding.dissent),
                    text(finding.status()),
                    opt_index(finding.final_at),
                    opt_index(finding.measure),
                ],
            }),
            Record::Measure {
                finding,
                party,
                ordinal,
                step,
                status,
            } => writes.push(Write {
                sql: INSERT_MEASURE,
                args: vec![
                    index(*at),
                    index(*finding),
                    text(party.as_str()),
                    int(*ordinal),
                    Arg::opt_text(step.as_deref()),
                    text(status.as_str()),
                    index(*at),
                    text(""),
                ],
            }),
            _ => {}
        }
    }
    writes
}

pub fn measure_updated(at: u64, update: &MeasureUpdated) -> Vec<Write> {
    vec![Write {
        sql: UPDATE_MEASURE,
        args: vec![
            index(update.measure),
            text(update.status.as_str()),
            index(at),
            text(update.note.clone()),
        ],
    }]
}

pub fn round(at: u64, entry: &SignedEntry, round: &TalksRound) -> Vec<Write> {
    let row = vec![
        index(at),
        text(round.title.clone()),
        text(round.place.clone()),
        text(round.starts.as_str()),
        opt_time(round.ends.as_ref()),
        ids(&round.participants),
        text(round.summary.clone()),
        text(entry.envelope().author.as_str()),
        time(entry),
    ];
    vec![Write {
        sql: INSERT_ROUND,
        args: row,
    }]
}

pub fn commitment(at: u64, commitment: &CommitmentMade) -> Vec<Write> {
    let row = vec![
        index(at),
        index(commitment.round),
        text(commitment.owner.as_str()),
        text(commitment.text.clone()),
        opt_time(commitment.due.as_ref()),
        text("open"),
        index(at),
        text(""),
    ];
    vec![Write {
        sql: INSERT_COMMITMENT,
        args: row,
    }]
}

pub fn commitment_updated(at: u64, update: &CommitmentUpdated) -> Vec<Write> {
    vec![Write {
        sql: UPDATE_COMMITMENT,
        args: vec![
            index(update.commitment),
            text(update.status.as_str()),
            index(at),
            text(update.note.clone()),
        ],
    }]
}

fn finding_record(changes: &[(u64, Record)], at: u64) -> Option<&FindingRecord> {
    changes.iter().find_map(|(i, r)| match r {
        Record::Finding(f) if *i == at => Some(&**f),
        _ => None,
    })
}

/// `party:index` pairs of the replies received.
fn replied(finding: &FindingRecord) -> Arg {
    text(
        finding
            .replied
            .iter()
            .map(|(party, at)| format!("{party}:{at}"))
            .collect::<Vec<_>>()
            .join(","),
    )
}
