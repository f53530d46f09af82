//! The agreement's amendments in the projection.

use truce_core::canonical::to_canonical;
use truce_core::mechanism::AgreementAmended;
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, int};

pub const AMENDMENTS: Table = Table {
    name: "amendments",
    columns: &[
        ("idx", Column::Int),
        ("author", Column::Text),
        ("signed_at", Column::Text),
        ("signatures", Column::Text),
        ("reason", Column::Text),
        ("reply_window_hours", Column::Int),
        ("provisions", Column::Text),
        ("measures", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM amendments",
};

const INSERT: &str = "INSERT INTO amendments \
    (idx, author, signed_at, signatures, reason, reply_window_hours, provisions, measures) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

fn json(value: &impl serde::Serialize) -> String {
    to_canonical(&serde_json::to_value(value).expect("serializable"))
}

pub fn amended(at: u64, entry: &SignedEntry, amendment: &AgreementAmended) -> Vec<Write> {
    let envelope = entry.envelope();
    let signatures: Vec<&str> = entry
        .view()
        .signatures
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    vec![Write {
        sql: INSERT,
        args: vec![
            index(at),
            Arg::Text(envelope.author.to_string()),
            Arg::Text(envelope.time.to_string()),
            Arg::Text(signatures.join(",")),
            Arg::Text(amendment.reason.clone()),
            int(amendment.reply_window_hours),
            Arg::Text(json(&amendment.provisions)),
            Arg::Text(json(&amendment.measures)),
        ],
    }]
}
