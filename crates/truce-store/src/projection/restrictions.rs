//! Restrictions on the monitors in the projection: one row per `restriction.recorded`,
//! with the delegation that reported it. Counted per party in the compliance summary.

use truce_core::KeyRecord;
use truce_core::mechanism::RestrictionRecorded;
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int, opt_real, text};

pub const RESTRICTIONS: Table = Table {
    name: "restrictions",
    columns: &[
        ("idx", Column::Int),
        ("movement", Column::Text),
        ("kind", Column::Text),
        ("delay_minutes", Column::Int),
        ("at", Column::Text),
        ("at_s", Column::Int),
        ("day", Column::Text),
        ("controlled_by", Column::Text),
        ("place", Column::Text),
        ("lat", Column::Real),
        ("lon", Column::Real),
        ("reason_given", Column::Text),
        ("notified", Column::Int),
        ("outcome", Column::Text),
        ("provision", Column::Text),
        ("investigation_idx", Column::Int),
        ("reported_by", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM restrictions",
};

const INSERT: &str = "INSERT INTO restrictions (idx, movement, kind, delay_minutes, at, at_s, \
    day, controlled_by, place, lat, lon, reason_given, notified, outcome, provision, \
    investigation_idx, reported_by, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";

pub fn recorded(
    at: u64,
    entry: &SignedEntry,
    restriction: &RestrictionRecorded,
    signer: &KeyRecord,
) -> Vec<Write> {
    let envelope = entry.envelope();
    let args = vec![
        index(at),
        text(restriction.movement.as_str()),
        text(restriction.kind.as_str()),
        restriction.delay_minutes.map_or(Arg::NullInt, int),
        text(restriction.at.as_str()),
        int(restriction.at.unix_seconds()),
        text(restriction.at.instant().date().to_string()),
        text(restriction.controlled_by.as_str()),
        text(restriction.place.clone()),
        opt_real(restriction.position.map(|p| p.lat)),
        opt_real(restriction.position.map(|p| p.lon)),
        Arg::opt_text(restriction.reason_given.as_deref()),
        int(i64::from(restriction.notified)),
        text(restriction.outcome.clone()),
        Arg::opt_text(restriction.provision.as_deref()),
        restriction.investigation.map_or(Arg::NullInt, index),
        text(signer.delegation.as_str()),
        text(envelope.author.as_str()),
        text(envelope.time.as_str()),
    ];
    vec![Write { sql: INSERT, args }]
}
