//! UCDP GED and ACLED CSV rows, read as `truce import` reads them (the `csv` crate, a
//! header, flexible rows), each cell put through the core mappings the importer uses:
//! the event types of UCDP's `type_of_violence` and ACLED's labels, ACLED's precisions,
//! days. (The importer's own row code lives in the `truce` binary, not a library.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_core::Day;
use truce_core::mechanism::exchange::{
    acled_disorder, acled_geo_precision, acled_label, from_acled_geo_precision, from_acled_labels,
    from_acled_time_precision, from_ucdp_violence,
};
use truce_core::mechanism::values::DatePrecision;

fuzz_target!(|data: &[u8]| {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let Ok(header) = reader.headers().cloned() else {
        return;
    };
    let column = |name: &str| header.iter().position(|h| h == name);
    let (event, sub_event) = (column("event_type"), column("sub_event_type"));
    for record in reader.records().take(64) {
        let Ok(record) = record else {
            continue;
        };
        for (name, cell) in header.iter().zip(record.iter()) {
            cell_through_mappings(name, cell);
        }
        if let (Some(e), Some(s)) = (event, sub_event)
            && let (Some(e), Some(s)) = (record.get(e), record.get(s))
            && let Some((kind, sub)) = from_acled_labels(e, s)
        {
            assert_eq!(
                from_acled_labels(&acled_label(kind), &acled_label(sub)),
                Some((kind, sub))
            );
            let _ = acled_disorder(kind);
        }
    }
});

fn cell_through_mappings(name: &str, cell: &str) {
    let code = cell.trim().parse::<u8>().ok();
    match (name, code) {
        ("type_of_violence", Some(code)) => {
            let _ = from_ucdp_violence(code);
        }
        ("where_prec", Some(code)) => {
            let _ = acled_geo_precision(code);
        }
        ("date_prec", Some(code)) => {
            let _ = DatePrecision::from_ucdp(code);
        }
        ("time_precision", Some(code)) => {
            let _ = from_acled_time_precision(code);
        }
        ("geo_precision", Some(code)) => {
            let _ = from_acled_geo_precision(code);
        }
        ("date_start" | "date_end" | "event_date", _) => {
            let _ = cell.get(..10).map(Day::parse);
        }
        _ => {
            let _ = acled_label(cell);
        }
    }
}
