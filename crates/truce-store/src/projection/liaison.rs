//! The liaison channel in the projection: a row per contact, completed in place by its
//! acknowledgement (with the seconds the party took, entry time to entry time) and by its
//! outcome.

use truce_core::KeyRecord;
use truce_core::mechanism::{LiaisonAcknowledged, LiaisonContact, LiaisonOutcome};
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int, text};

pub const LIAISON_CONTACTS: Table = Table {
    name: "liaison_contacts",
    columns: &[
        ("idx", Column::Int),
        ("party", Column::Text),
        ("channel", Column::Text),
        ("subject", Column::Text),
        ("incident_idx", Column::Int),
        ("route", Column::Text),
        ("window_start", Column::Text),
        ("window_end", Column::Text),
        ("opened_at", Column::Text),
        ("opened_s", Column::Int),
        ("day", Column::Text),
        ("acknowledged_idx", Column::Int),
        ("acknowledged_at", Column::Text),
        ("response_s", Column::Int),
        ("acknowledgement_note", Column::Text),
        ("outcome", Column::Text),
        ("outcome_idx", Column::Int),
        ("outcome_note", Column::Text),
        ("reported_by", Column::Text),
        ("author", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM liaison_contacts",
};

const INSERT: &str = "INSERT INTO liaison_contacts (idx, party, channel, subject, incident_idx, \
    route, window_start, window_end, opened_at, opened_s, day, reported_by, author) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
const ACKNOWLEDGE: &str = "UPDATE liaison_contacts SET acknowledged_idx = $1, \
    acknowledged_at = $2, response_s = $3 - opened_s, acknowledgement_note = $4 WHERE idx = $5";
const OUTCOME: &str = "UPDATE liaison_contacts SET outcome = $1, outcome_idx = $2, \
    outcome_note = $3 WHERE idx = $4";

pub fn contact(
    at: u64,
    entry: &SignedEntry,
    contact: &LiaisonContact,
    signer: &KeyRecord,
) -> Vec<Write> {
    let envelope = entry.envelope();
    let movement = contact.movement.as_ref();
    let args = vec![
        index(at),
        text(contact.party.as_str()),
        text(contact.channel.as_str()),
        text(contact.subject.clone()),
        contact.incident.map_or(Arg::NullInt, index),
        Arg::opt_text(movement.map(|m| m.route.as_str())),
        Arg::opt_text(movement.map(|m| m.start.as_str())),
        Arg::opt_text(movement.map(|m| m.end.as_str())),
        text(envelope.time.as_str()),
        int(envelope.time.unix_seconds()),
        text(envelope.time.instant().date().to_string()),
        text(signer.delegation.as_str()),
        text(envelope.author.as_str()),
    ];
    vec![Write { sql: INSERT, args }]
}

pub fn acknowledged(at: u64, entry: &SignedEntry, ack: &LiaisonAcknowledged) -> Vec<Write> {
    let time = &entry.envelope().time;
    let args = vec![
        index(at),
        text(time.as_str()),
        int(time.unix_seconds()),
        Arg::opt_text(ack.note.as_deref()),
        index(ack.contact),
    ];
    vec![Write {
        sql: ACKNOWLEDGE,
        args,
    }]
}

pub fn outcome(at: u64, outcome: &LiaisonOutcome) -> Vec<Write> {
    let args = vec![
        text(outcome.outcome.as_str()),
        index(at),
        Arg::opt_text(outcome.note.as_deref()),
        index(outcome.contact),
    ];
    vec![Write { sql: OUTCOME, args }]
}
