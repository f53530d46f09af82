//! An ACLED row as a report: its event and sub-event type labels read back through
//! `exchange::from_acled_labels`, `time_precision` and `geo_precision` through their
//! inverses, actor 1 (and its associates) as perpetrators and actor 2 as targets,
//! `fatalities` as an exact count, and `event_id_cnty` as the provenance.

use truce_core::mechanism::exchange::{
    ACLED, acled_label, from_acled_geo_precision, from_acled_labels, from_acled_time_precision,
};
use truce_core::mechanism::report::{
    Actor, ActorSide, Casualties, EVENT_TYPES, LIST_ITEMS_MAX, Location, Occurred,
};
use truce_core::mechanism::values::{Point, Range};
use truce_core::mechanism::{Provenance, Report};

use super::table::{BadRow, Row, clip};
use super::{Read, day, source};

/// The columns without which a file is not ACLED's.
pub const REQUIRED: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
];

/// The report a row tells of, or the first thing wrong with it.
pub fn report(row: &Row<'_>, version: Option<&str>) -> Result<Read, BadRow> {
    let id = row.required("event_id_cnty")?.to_string();
    let (event_type, sub) = event_types(row)?;
    let fatalities: u32 = row.number("fatalities", "a whole number")?;
    let killed = Range {
        low: fatalities,
        best: fatalities,
        high: fatalities,
    };
    let report = Report {
        accused: None,
        actors: actors(row),
        casualties: Casualties {
            children_killed: None,
            civilians_killed: None,
            // ACLED counts no injuries.
            injured: Range {
                low: 0,
                best: 0,
                high: 0,
            },
            killed,
            women_killed: None,
        },
        event_type: event_type.into(),
        location: location(row)?,
        occurred: occurred(row)?,
        provisions: vec![],
        provenance: Some(Provenance {
            dataset: ACLED.into(),
            row: id.clone(),
            version: version.map(Into::into),
        }),
        sources: sources(row),
        sub_event_type: sub.into(),
        summary: clip(row.text("notes"), 20_000),
        title: clip(&title(row), 200),
    };
    Ok(Read {
        id,
        report,
        adjusted: None,
    })
}

fn event_types(row: &Row<'_>) -> Result<(&'static str, &'static str), BadRow> {
    let (label, sub_label) = (row.required("event_type")?, row.required("sub_event_type")?);
    let known = EVENT_TYPES
        .iter()
        .any(|(slug, _)| acled_label(slug).eq_ignore_ascii_case(label));
    if !known {
        let reason = format!("{label:?} is not an ACLED event type");
        return Err(row.bad("event_type", reason));
    }
    from_acled_labels(label, sub_label).ok_or_else(|| {
        let reason = format!("{sub_label:?} is not an ACLED sub-event type of {label:?}");
        row.bad("sub_event_type", reason)
    })
}

fn actors(row: &Row<'_>) -> Vec<Actor> {
    let named = |column: &str, side: ActorSide| {
        let names: Vec<String> = row
            .text(column)
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| clip(n, 200))
            .collect();
        names.into_iter().map(move |name| Actor {
            name,
            party: None,
            side,
        })
    };
    let perpetrators = named("actor1", ActorSide::Perpetrator)
        .chain(named("assoc_actor_1", ActorSide::Perpetrator));
    let targets =
        named("actor2", ActorSide::Target).chain(named("assoc_actor_2", ActorSide::Target));
    perpetrators.chain(targets).take(LIST_ITEMS_MAX).collect()
}

fn location(row: &Row<'_>) -> Result<Location, BadRow> {
    let code: u8 = row.number("geo_precision", "an ACLED geo_precision, 1 to 3")?;
    let precision = from_acled_geo_precision(code)
        .ok_or_else(|| row.bad("geo_precision", format!("{code} is not 1 to 3")))?;
    Ok(Location {
        impact: None,
        launch: None,
        place: clip(row.text("location"), 200),
        point: Point {
            lat: row.degrees("latitude", 90.0)?,
            lon: row.degrees("longitude", 180.0)?,
        },
        precision,
    })
}

fn occurred(row: &Row<'_>) -> Result<Occurred, BadRow> {
    let code: u8 = row.number("time_precision", "an ACLED time_precision, 1 to 3")?;
    let precision = from_acled_time_precision(code)
        .ok_or_else(|| row.bad("time_precision", format!("{code} is not 1 to 3")))?;
    Ok(Occurred {
        end: None,
        precision,
        start: day(row, "event_date")?,
    })
}

fn sources(row: &Row<'_>) -> Vec<truce_core::mechanism::values::Source> {
    let named: Vec<&str> = row
        .text("source")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if named.is_empty() {
        return vec![source("ACLED, no named source")];
    }
    named
        .into_iter()
        .take(LIST_ITEMS_MAX)
        .map(|name| source(&format!("ACLED, citing {name}")))
        .collect()
}

fn title(row: &Row<'_>) -> String {
    let what = row.text("sub_event_type");
    match row.text("location") {
        "" => format!("{what} (ACLED {})", row.text("event_id_cnty")),
        place => format!("{what}: {place}"),
    }
}
