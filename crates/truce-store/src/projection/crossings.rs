//! The border crossings in the projection: one row per status and one per flow, each
//! with the delegation that reported it. Which status is current, and for how long a
//! crossing has been closed, is worked out when asked (against the reader's clock), so
//! nothing here is rewritten as later entries arrive.

use truce_core::KeyRecord;
use truce_core::mechanism::{CrossingFlow, CrossingStatus};
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int, text};

pub const CROSSING_STATUSES: Table = Table {
    name: "crossing_statuses",
    columns: &[
        ("idx", Column::Int),
        ("crossing", Column::Text),
        ("status", Column::Text),
        ("since", Column::Text),
        // `since` as Unix seconds, to order statuses by when they took effect.
        ("since_s", Column::Int),
        ("source", Column::Text),
        ("note", Column::Text),
        ("reported_by", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM crossing_statuses",
};

pub const CROSSING_FLOWS: Table = Table {
    name: "crossing_flows",
    columns: &[
        ("idx", Column::Int),
        ("crossing", Column::Text),
        ("start_day", Column::Text),
        ("end_day", Column::Text),
        ("days", Column::Int),
        ("direction", Column::Text),
        ("category", Column::Text),
        ("count_low", Column::Int),
        ("count_best", Column::Int),
        ("count_high", Column::Int),
        ("precision", Column::Text),
        ("source", Column::Text),
        ("note", Column::Text),
        ("reported_by", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM crossing_flows",
};

const INSERT_STATUS: &str = "INSERT INTO crossing_statuses \
    (idx, crossing, status, since, since_s, source, note, reported_by, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const INSERT_FLOW: &str = "INSERT INTO crossing_flows (idx, crossing, start_day, end_day, days, \
    direction, category, count_low, count_best, count_high, precision, source, note, \
    reported_by, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

pub fn status(
    at: u64,
    entry: &SignedEntry,
    status: &CrossingStatus,
    signer: &KeyRecord,
) -> Vec<Write> {
    let envelope = entry.envelope();
    let row = vec![
        index(at),
        text(status.crossing.as_str()),
        text(status.status.as_str()),
        text(status.since.as_str()),
        int(status.since.unix_seconds()),
        text(status.source.clone()),
        Arg::opt_text(status.note.as_deref()),
        text(signer.delegation.as_str()),
        text(envelope.author.as_str()),
        text(envelope.time.as_str()),
    ];
    vec![Write {
        sql: INSERT_STATUS,
        args: row,
    }]
}

pub fn flow(at: u64, entry: &SignedEntry, flow: &CrossingFlow, signer: &KeyRecord) -> Vec<Write> {
    let envelope = entry.envelope();
    let row = vec![
        index(at),
        text(flow.crossing.as_str()),
        text(flow.start.as_str()),
        text(flow.end.as_str()),
        int(flow.days()),
        text(flow.direction.as_str()),
        text(flow.category.as_str()),
        int(flow.count.low),
        int(flow.count.best),
        int(flow.count.high),
        text(flow.precision.as_str()),
        text(flow.source.clone()),
        Arg::opt_text(flow.note.as_deref()),
        text(signer.delegation.as_str()),
        text(envelope.author.as_str()),
        text(envelope.time.as_str()),
    ];
    vec![Write {
        sql: INSERT_FLOW,
        args: row,
    }]
}
