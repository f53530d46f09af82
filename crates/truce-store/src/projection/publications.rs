//! Published situation reports in the projection: one row per `report.published` entry,
//! found by the file's SHA-256 (`truce report check`) or by the period it covers (the
//! situation report's page lists its publications).

use truce_core::KeyRecord;
use truce_core::mechanism::ReportPublished;
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index};

pub const REPORT_PUBLICATIONS: Table = Table {
    name: "report_publications",
    columns: &[
        ("idx", Column::Int),
        ("period_from", Column::Text),
        ("period_to", Column::Text),
        ("language", Column::Text),
        ("format", Column::Text),
        ("sha256", Column::Text),
        ("title", Column::Text),
        ("url", Column::Text),
        ("published_by", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM report_publications",
};

const INSERT: &str = "INSERT INTO report_publications (idx, period_from, period_to, language, \
    format, sha256, title, url, published_by, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

pub fn published(
    at: u64,
    entry: &SignedEntry,
    published: &ReportPublished,
    signer: &KeyRecord,
) -> Vec<Write> {
    let envelope = entry.envelope();
    let text = |value: &str| Arg::Text(value.to_string());
    let row = vec![
        index(at),
        text(published.period.from.as_str()),
        text(published.period.to.as_str()),
        text(&published.language),
        text(published.format.as_str()),
        text(&published.sha256),
        Arg::opt_text(published.title.as_deref()),
        Arg::opt_text(published.url.as_deref()),
        text(signer.delegation.as_str()),
        text(envelope.author.as_str()),
        text(envelope.time.as_str()),
    ];
    vec![Write {
        sql: INSERT,
        args: row,
    }]
}
