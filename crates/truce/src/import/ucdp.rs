//! A UCDP GED row as a report: `type_of_violence` gives the event type
//! (`exchange::from_ucdp_violence`), `where_prec` and `date_prec` the precisions, `low`,
//! `best` and `high` the deaths (and `deaths_civilians` the civilians among them), side A
//! the perpetrator and side B the target, and `id` the provenance.

use truce_core::mechanism::exchange::{UCDP_GED, from_ucdp_violence};
use truce_core::mechanism::report::{Actor, ActorSide, Casualties, Location, Occurred};
use truce_core::mechanism::values::{DatePrecision, Point, Range};
use truce_core::mechanism::{Provenance, Report};

use super::table::{BadRow, Row, clip};
use super::{Read, day, deaths, source};

/// The columns without which a file is not UCDP GED.
pub const REQUIRED: &[&str] = &[
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "latitude",
    "longitude",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
];

/// The report a row tells of, or the first thing wrong with it.
pub fn report(row: &Row<'_>, version: Option<&str>) -> Result<Read, BadRow> {
    let id = row.required("id")?.to_string();
    let (killed, adjusted) = deaths(row, "low", "best", "high")?;
    let mut summary = summary(row);
    if let Some(adjusted) = &adjusted {
        let (field, reason) = (&adjusted.field, &adjusted.reason);
        summary = format!("{summary} Range adjusted on import: {field}: {reason}.");
    }
    let violence: u8 = row.number("type_of_violence", "1, 2 or 3")?;
    let (event_type, sub_event_type) = from_ucdp_violence(violence).ok_or_else(|| {
        row.bad(
            "type_of_violence",
            format!("{violence} is not 1 (state-based), 2 (non-state) or 3 (one-sided)"),
        )
    })?;
    let report = Report {
        accused: None,
        actors: actors(row),
        casualties: casualties(row, killed)?,
        event_type: event_type.into(),
        location: location(row)?,
        occurred: occurred(row)?,
        provisions: vec![],
        provenance: Some(Provenance {
            dataset: UCDP_GED.into(),
            row: id.clone(),
            version: version.map(Into::into),
        }),
        sources: vec![source(&format!("UCDP GED, citing {}", cited(row)))],
        sub_event_type: sub_event_type.into(),
        summary: clip(&summary, 20_000),
        title: clip(&title(row), 200),
    };
    Ok(Read {
        id,
        report,
        adjusted,
    })
}

fn actors(row: &Row<'_>) -> Vec<Actor> {
    let side = |column: &str, side: ActorSide| {
        let name = row.text(column);
        (!name.is_empty()).then(|| Actor {
            name: clip(name, 200),
            party: None,
            side,
        })
    };
    [
        side("side_a", ActorSide::Perpetrator),
        side("side_b", ActorSide::Target),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn casualties(row: &Row<'_>, killed: Range) -> Result<Casualties, BadRow> {
    let civilians = row.optional_number::<u32>("deaths_civilians", "a whole number")?;
    if let Some(civilians) = civilians
        && civilians > killed.best
    {
        let reason = format!("{civilians} is more than the best estimate {}", killed.best);
        return Err(row.bad("deaths_civilians", reason));
    }
    Ok(Casualties {
        children_killed: None,
        civilians_killed: civilians.map(|n| Range {
            low: n,
            best: n,
            high: n,
        }),
        // UCDP counts no injuries.
        injured: Range {
            low: 0,
            best: 0,
            high: 0,
        },
        killed,
        women_killed: None,
    })
}

fn location(row: &Row<'_>) -> Result<Location, BadRow> {
    let precision: u8 = row.number("where_prec", "a UCDP where_prec, 1 to 7")?;
    if !(1..=7).contains(&precision) {
        return Err(row.bad("where_prec", format!("{precision} is not 1 to 7")));
    }
    let place = [
        row.text("where_coordinates"),
        row.text("adm_2"),
        row.text("adm_1"),
    ]
    .into_iter()
    .find(|p| !p.is_empty())
    .unwrap_or_default();
    Ok(Location {
        impact: None,
        launch: None,
        place: clip(place, 200),
        point: Point {
            lat: row.degrees("latitude", 90.0)?,
            lon: row.degrees("longitude", 180.0)?,
        },
        precision,
    })
}

fn occurred(row: &Row<'_>) -> Result<Occurred, BadRow> {
    let code: u8 = row.number("date_prec", "a UCDP date_prec, 1 to 5")?;
    let precision = DatePrecision::from_ucdp(code)
        .ok_or_else(|| row.bad("date_prec", format!("{code} is not 1 to 5")))?;
    let start = day(row, "date_start")?;
    let end = day(row, "date_end")?;
    if end.instant() < start.instant() {
        return Err(row.bad("date_end", "is before date_start"));
    }
    Ok(Occurred {
        end: (end != start).then_some(end),
        precision,
        start,
    })
}

/// Who UCDP cites: the original source, else the article.
fn cited(row: &Row<'_>) -> String {
    let original = row.text("source_original");
    let office = row.text("source_office");
    match (original, office) {
        ("", "") => "no named source".to_string(),
        (original, "") => original.to_string(),
        ("", office) => office.to_string(),
        (original, office) => format!("{original} ({office})"),
    }
}

fn title(row: &Row<'_>) -> String {
    let conflict = [row.text("conflict_name"), row.text("dyad_name")]
        .into_iter()
        .find(|t| !t.is_empty())
        .map_or_else(
            || format!("UCDP GED event {}", row.text("id")),
            str::to_string,
        );
    match row.text("where_coordinates") {
        "" => conflict,
        place => format!("{conflict}: {place}"),
    }
}

fn summary(row: &Row<'_>) -> String {
    let mut parts = vec![format!(
        "UCDP GED event {} ({}), type of violence {}.",
        row.text("id"),
        row.text("relid"),
        row.text("type_of_violence")
    )];
    let mut add = |label: &str, column: &str| {
        let text = row.text(column);
        if !text.is_empty() {
            parts.push(format!("{label}: {text}."));
        }
    };
    add("Dyad", "dyad_name");
    add("Where", "where_description");
    add("District", "adm_2");
    add("Province", "adm_1");
    add("Deaths of side A", "deaths_a");
    add("Deaths of side B", "deaths_b");
    add("Civilian deaths", "deaths_civilians");
    add("Deaths of unknown status", "deaths_unknown");
    add("Headline", "source_headline");
    add("Sources", "source_article");
    parts.join(" ")
}
