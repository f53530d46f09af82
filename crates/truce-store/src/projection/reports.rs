//! Reports (allegations) in the projection.

use truce_core::KeyRecord;
use truce_core::mechanism::Report;
use truce_log::SignedEntry;

use super::geography::ReportGeography;
use super::{Arg, Column, Table, Write, index, int};

pub const REPORTS: Table = Table {
    name: "reports",
    columns: &[
        ("idx", Column::Int),
        ("author", Column::Text),
        ("delegation", Column::Text),
        ("signed_at", Column::Text),
        ("title", Column::Text),
        ("event_type", Column::Text),
        ("sub_event_type", Column::Text),
        ("occurred_start", Column::Text),
        ("occurred_start_unix", Column::Int),
        ("date_prec", Column::Int),
        ("lat", Column::Real),
        ("lon", Column::Real),
        ("where_prec", Column::Int),
        ("accused", Column::Text),
        ("killed_low", Column::Int),
        ("killed_best", Column::Int),
        ("killed_high", Column::Int),
        ("injured_low", Column::Int),
        ("injured_best", Column::Int),
        ("injured_high", Column::Int),
        ("status", Column::Text),
        ("payload", Column::Text),
        // Where the report's points lie in the agreed geometry (`geography`), all null
        // when the genesis agrees none.
        ("country", Column::Text),
        ("admin1", Column::Text),
        ("admin1_code", Column::Text),
        ("border_distance_km", Column::Real),
        ("nearest_crossing", Column::Text),
        ("crossing_distance_km", Column::Real),
        ("launch_country", Column::Text),
        ("launch_admin1_code", Column::Text),
        ("launch_border_distance_km", Column::Real),
        ("impact_country", Column::Text),
        ("impact_admin1_code", Column::Text),
        ("impact_border_distance_km", Column::Real),
        ("cross_border", Column::Int),
        // The dataset row an imported report came from (`Report::provenance`).
        ("provenance_dataset", Column::Text),
        ("provenance_row", Column::Text),
        ("provenance_version", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM reports",
};

pub const REPORT_PROVISIONS: Table = Table {
    name: "report_provisions",
    columns: &[("report_idx", Column::Int), ("provision", Column::Text)],
    order_by: "report_idx, provision",
    delete_all: "DELETE FROM report_provisions",
};

pub(super) const INSERT_REPORT: &str = "INSERT INTO reports (idx, author, delegation, signed_at, title, event_type, \
    sub_event_type, occurred_start, occurred_start_unix, date_prec, lat, lon, where_prec, accused, \
    killed_low, killed_best, killed_high, injured_low, injured_best, injured_high, status, payload, \
    country, admin1, admin1_code, border_distance_km, nearest_crossing, crossing_distance_km, \
    launch_country, launch_admin1_code, launch_border_distance_km, \
    impact_country, impact_admin1_code, impact_border_distance_km, cross_border, \
    provenance_dataset, provenance_row, provenance_version) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
    $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38)";

/// Report counts per party, side and status, for the compliance summary. A report counts
/// once against its accused and once as made by its filer's delegation; whatever changes a
/// report's status must move its counts too (nothing does yet: reports stay open).
pub const REPORT_COUNTS: Table = Table {
    name: "report_counts",
    columns: &[
        ("party", Column::Text),
        ("side", Column::Text),
        ("status", Column::Text),
        ("n", Column::Int),
    ],
    order_by: "party, side, status",
    delete_all: "DELETE FROM report_counts",
};

/// Adds its last argument to a count (the batcher sums increments of one key).
pub(super) const COUNT_REPORT: &str = "INSERT INTO report_counts (party, side, status, n) VALUES ($1, $2, $3, $4) \
    ON CONFLICT (party, side, status) DO UPDATE SET n = report_counts.n + excluded.n";

pub(super) const INSERT_PROVISION: &str =
    "INSERT INTO report_provisions (report_idx, provision) VALUES ($1, $2)";

pub fn submitted(
    at: u64,
    entry: &SignedEntry,
    report: &Report,
    signer: &KeyRecord,
    geography: Option<&ReportGeography>,
) -> Vec<Write> {
    let envelope = entry.envelope();
    let (killed, injured) = (report.casualties.killed, report.casualties.injured);
    let payload = entry.payload_text().to_string();
    let mut row = vec![
        index(at),
        Arg::Text(envelope.author.to_string()),
        Arg::Text(signer.delegation.to_string()),
        Arg::Text(envelope.time.to_string()),
        Arg::Text(report.title.clone()),
        Arg::Text(report.event_type.clone()),
        Arg::Text(report.sub_event_type.clone()),
        Arg::Text(report.occurred.start.to_string()),
        int(report.occurred.start.unix_seconds()),
        int(report.occurred.precision.ucdp()),
        Arg::Real(report.location.point.lat),
        Arg::Real(report.location.point.lon),
        int(report.location.precision),
        Arg::opt_text(
            report
                .accused
                .as_ref()
                .map(truce_core::DelegationId::as_str),
        ),
        int(killed.low),
        int(killed.best),
        int(killed.high),
        int(injured.low),
        int(injured.best),
        int(injured.high),
        Arg::Text("open".into()),
        Arg::Text(payload),
    ];
    row.extend(ReportGeography::columns(geography));
    let provenance = report.provenance.as_ref();
    row.extend([
        Arg::opt_text(provenance.map(|p| p.dataset.as_str())),
        Arg::opt_text(provenance.map(|p| p.row.as_str())),
        Arg::opt_text(provenance.and_then(|p| p.version.as_deref())),
    ]);
    let mut writes = vec![Write {
        sql: INSERT_REPORT,
        args: row,
    }];
    let accused = report.accused.as_ref().map(|a| (a.as_str(), "against"));
    let made = Some((signer.delegation.as_str(), "made"));
    writes.extend(
        [accused, made]
            .into_iter()
            .flatten()
            .map(|(party, side)| Write {
                sql: COUNT_REPORT,
                args: vec![
                    Arg::Text(party.to_string()),
                    Arg::Text(side.into()),
                    Arg::Text("open".into()),
                    int(1),
                ],
            }),
    );
    // A provision named twice is one row.
    let mut provisions: Vec<&String> = report.provisions.iter().collect();
    provisions.sort();
    provisions.dedup();
    writes.extend(provisions.into_iter().map(|p| Write {
        sql: INSERT_PROVISION,
        args: vec![index(at), Arg::Text(p.clone())],
    }));
    writes
}
