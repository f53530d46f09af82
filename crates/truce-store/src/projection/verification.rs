//! Verification statuses and casualty reconciliations in the projection: one row per
//! entry; the latest of a report's (or an incident's) is the one in force.

use truce_core::mechanism::{CasualtiesReconciled, ReportVerified};
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int};

pub const REPORT_VERIFICATIONS: Table = Table {
    name: "report_verifications",
    columns: &[
        ("idx", Column::Int),
        ("report_idx", Column::Int),
        ("status", Column::Text),
        ("rule", Column::Text),
        ("corroborating", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM report_verifications",
};

pub const CASUALTY_RECONCILIATIONS: Table = Table {
    name: "casualty_reconciliations",
    columns: &[
        ("idx", Column::Int),
        ("incident_idx", Column::Int),
        ("killed_low", Column::Int),
        ("killed_best", Column::Int),
        ("killed_high", Column::Int),
        ("injured_low", Column::Int),
        ("injured_best", Column::Int),
        ("injured_high", Column::Int),
        ("explanation", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM casualty_reconciliations",
};

const INSERT_VERIFICATION: &str = "INSERT INTO report_verifications \
    (idx, report_idx, status, rule, corroborating, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
const INSERT_RECONCILIATION: &str = "INSERT INTO casualty_reconciliations (idx, incident_idx, \
    killed_low, killed_best, killed_high, injured_low, injured_best, injured_high, \
    explanation, author, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

pub fn verified(at: u64, entry: &SignedEntry, verified: &ReportVerified) -> Vec<Write> {
    let envelope = entry.envelope();
    let corroborating: Vec<String> = verified.corroborating.iter().map(u64::to_string).collect();
    let args = vec![
        index(at),
        index(verified.report),
        Arg::Text(verified.status.as_str().into()),
        Arg::Text(verified.rule.clone()),
        Arg::Text(corroborating.join(",")),
        Arg::Text(envelope.author.as_str().into()),
        Arg::Text(envelope.time.as_str().into()),
    ];
    vec![Write {
        sql: INSERT_VERIFICATION,
        args,
    }]
}

pub fn reconciled(at: u64, entry: &SignedEntry, reconciled: &CasualtiesReconciled) -> Vec<Write> {
    let envelope = entry.envelope();
    let (k, i) = (reconciled.killed, reconciled.injured);
    let args = vec![
        index(at),
        index(reconciled.incident),
        int(k.low),
        int(k.best),
        int(k.high),
        int(i.low),
        int(i.best),
        int(i.high),
        Arg::Text(reconciled.explanation.clone()),
        Arg::Text(envelope.author.as_str().into()),
        Arg::Text(envelope.time.as_str().into()),
    ];
    vec![Write {
        sql: INSERT_RECONCILIATION,
        args,
    }]
}
