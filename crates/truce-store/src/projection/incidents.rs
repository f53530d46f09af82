//! Incidents, the reports linked to them, and the parties' statements, in the projection.

use truce_core::mechanism::{IncidentOpened, ReportLinked, Statement};
use truce_core::{DelegationId, KeyRecord};
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int};

pub const INCIDENTS: Table = Table {
    name: "incidents",
    columns: &[
        ("idx", Column::Int),
        ("opened_by", Column::Text),
        ("signed_at", Column::Text),
        ("title", Column::Text),
        ("summary", Column::Text),
        ("accused", Column::Text),
        ("status", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM incidents",
};

pub const INCIDENT_REPORTS: Table = Table {
    name: "incident_reports",
    columns: &[
        ("incident_idx", Column::Int),
        ("report_idx", Column::Int),
        ("linked_at", Column::Int),
    ],
    order_by: "incident_idx, report_idx",
    delete_all: "DELETE FROM incident_reports",
};

pub const STATEMENTS: Table = Table {
    name: "statements",
    columns: &[
        ("idx", Column::Int),
        ("incident_idx", Column::Int),
        ("finding_idx", Column::Int),
        ("party", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
        ("kind", Column::Text),
        ("lang", Column::Text),
        ("text", Column::Text),
        ("killed_low", Column::Int),
        ("killed_best", Column::Int),
        ("killed_high", Column::Int),
        ("injured_low", Column::Int),
        ("injured_best", Column::Int),
        ("injured_high", Column::Int),
        ("payload", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM statements",
};

const INSERT_INCIDENT: &str = "INSERT INTO incidents (idx, opened_by, signed_at, title, summary, accused, status) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
/// A report linked twice stays linked once, from the first time.
const LINK: &str = "INSERT INTO incident_reports (incident_idx, report_idx, linked_at) VALUES ($1, $2, $3) \
    ON CONFLICT (incident_idx, report_idx) DO NOTHING";
const INSERT_STATEMENT: &str = "INSERT INTO statements (idx, incident_idx, finding_idx, party, author, signed_at, kind, lang, text, \
    killed_low, killed_best, killed_high, injured_low, injured_best, injured_high, payload) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

pub fn opened(
    at: u64,
    entry: &SignedEntry,
    incident: &IncidentOpened,
    signer: &KeyRecord,
) -> Vec<Write> {
    let mut accused: Vec<&str> = incident.accused.iter().map(DelegationId::as_str).collect();
    accused.sort_unstable();
    accused.dedup();
    let row = vec![
        index(at),
        Arg::Text(signer.delegation.to_string()),
        Arg::Text(entry.envelope().time.to_string()),
        Arg::Text(incident.title.clone()),
        Arg::Text(incident.summary.clone()),
        Arg::Text(accused.join(",")),
        Arg::Text("open".into()),
    ];
    let mut writes = vec![Write {
        sql: INSERT_INCIDENT,
        args: row,
    }];
    writes.extend(incident.reports.iter().map(|report| Write {
        sql: LINK,
        args: vec![index(at), index(*report), index(at)],
    }));
    writes
}

pub fn linked(at: u64, link: &ReportLinked) -> Vec<Write> {
    vec![Write {
        sql: LINK,
        args: vec![index(link.incident), index(link.report), index(at)],
    }]
}

pub fn statement(at: u64, entry: &SignedEntry, statement: &Statement) -> Vec<Write> {
    let envelope = entry.envelope();
    let figure = |value: Option<u32>| value.map_or(Arg::NullInt, int);
    let (killed, injured) = (
        statement.figures.map(|f| f.killed),
        statement.figures.map(|f| f.injured),
    );
    let row = vec![
        index(at),
        index(statement.incident),
        statement.finding.map_or(Arg::NullInt, index),
        Arg::Text(statement.party.to_string()),
        Arg::Text(envelope.author.to_string()),
        Arg::Text(envelope.time.to_string()),
        Arg::Text(statement.kind.as_str().into()),
        Arg::Text(statement.lang.clone()),
        Arg::Text(statement.text.clone()),
        figure(killed.map(|r| r.low)),
        figure(killed.map(|r| r.best)),
        figure(killed.map(|r| r.high)),
        figure(injured.map(|r| r.low)),
        figure(injured.map(|r| r.best)),
        figure(injured.map(|r| r.high)),
        Arg::Text(entry.payload_text().to_string()),
    ];
    vec![Write {
        sql: INSERT_STATEMENT,
        args: row,
    }]
}
