//! The columns of each export format of reports, and one report as a row of each:
//! Truce's own CSV (with an HXL tag row for `hxl`), an ACLED-style CSV (ACLED's column
//! names and event-type labels) and a UCDP GED-style CSV (`best`/`low`/`high`,
//! `where_prec`, `date_prec`). Everything exported is on the public log already: reports
//! carry no confidential field (protected witnesses are never named in a report).

use std::collections::HashMap;

use serde_json::Value;
use truce_core::mechanism::Report;
use truce_core::mechanism::exchange::{
    acled_disorder, acled_geo_precision, acled_label, acled_time_precision, ucdp_violence,
};
use truce_store::read::reports::{Geography, ReportRow};

/// An export format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Hxl,
    Acled,
    Ucdp,
    GeoJson,
}

impl Format {
    /// The file's name, as served and as offered for saving.
    pub fn file(self) -> &'static str {
        match self {
            Self::Csv => "reports.csv",
            Self::Hxl => "reports.hxl.csv",
            Self::Acled => "reports.acled.csv",
            Self::Ucdp => "reports.ucdp.csv",
            Self::GeoJson => "reports.geojson",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::GeoJson => "application/geo+json",
            _ => "text/csv; charset=utf-8",
        }
    }

    /// The header lines of a CSV format (HXL: the names, then the tags).
    pub fn header(self) -> Vec<Vec<&'static str>> {
        match self {
            Self::Csv => vec![names(OWN)],
            Self::Hxl => vec![names(OWN), OWN.iter().map(|c| c.1).collect()],
            Self::Acled => vec![ACLED.to_vec()],
            Self::Ucdp => vec![UCDP.to_vec()],
            Self::GeoJson => vec![],
        }
    }
}

fn names(columns: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    columns.iter().map(|c| c.0).collect()
}

/// A report as the read model holds it, with the party names its columns show.
pub struct Row<'a> {
    pub record: &'a ReportRow,
    pub report: &'a Report,
    /// Party names by delegation id, from the genesis.
    pub parties: &'a HashMap<String, String>,
}

impl<'a> Row<'a> {
    pub fn new(row: &'a ReportRow, parties: &'a HashMap<String, String>) -> Self {
        Self {
            record: row,
            report: &row.report,
            parties,
        }
    }

    fn geography(&self) -> Option<&Geography> {
        self.record.geography.as_ref()
    }

    /// A geography field as a cell: empty where the report has none.
    fn located(&self, field: impl Fn(&Geography) -> Option<String>) -> String {
        self.geography().and_then(field).unwrap_or_default()
    }

    /// The country the report was located in, if any.
    fn country(&self) -> Option<truce_geo::Country> {
        truce_geo::Country::parse(&self.located(|g| g.country.clone())).ok()
    }

    fn admin1(&self) -> String {
        self.located(|g| g.admin1.clone())
    }

    fn index(&self) -> String {
        self.record.index.to_string()
    }

    fn party(&self, id: Option<&str>) -> String {
        id.map(|id| {
            self.parties
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        })
        .unwrap_or_default()
    }

    fn sources(&self) -> String {
        let names = self.report.sources.iter().map(|s| s.name.as_str());
        names.collect::<Vec<_>>().join("; ")
    }

    /// The dataset an imported report came from (empty for a report filed directly).
    fn dataset(&self) -> String {
        let provenance = self.report.provenance.as_ref();
        provenance.map(|p| p.dataset.clone()).unwrap_or_default()
    }

    /// The report's row id in that dataset.
    fn dataset_row(&self) -> String {
        let provenance = self.report.provenance.as_ref();
        provenance.map(|p| p.row.clone()).unwrap_or_default()
    }

    fn actors(&self, side: truce_core::mechanism::report::ActorSide) -> Vec<&str> {
        let on_side = self.report.actors.iter().filter(|a| a.side == side);
        on_side.map(|a| a.name.as_str()).collect()
    }
}

/// Truce's own columns (name, HXL tag).
const OWN: &[(&str, &str)] = &[
    ("index", "#event+id"),
    ("signed_at", "#date+signed"),
    ("author", "#meta+author"),
    ("delegation", "#org+filer"),
    ("status", "#status"),
    ("title", "#description+title"),
    ("event_type", "#event+type"),
    ("sub_event_type", "#event+type+sub"),
    ("occurred_start", "#date+start"),
    ("occurred_end", "#date+end"),
    ("date_prec", "#meta+date_prec"),
    ("place", "#loc+name"),
    ("lat", "#geo+lat"),
    ("lon", "#geo+lon"),
    ("where_prec", "#meta+where_prec"),
    ("launch_lat", "#geo+lat+launch"),
    ("launch_lon", "#geo+lon+launch"),
    ("accused", "#org+accused"),
    ("killed_low", "#affected+killed+min"),
    ("killed_best", "#affected+killed"),
    ("killed_high", "#affected+killed+max"),
    ("injured_low", "#affected+injured+min"),
    ("injured_best", "#affected+injured"),
    ("injured_high", "#affected+injured+max"),
    ("provisions", "#meta+provisions"),
    ("sources", "#meta+source"),
    ("country", "#country+code"),
    ("admin1", "#adm1+name"),
    ("admin1_code", "#adm1+code"),
    ("border_distance_km", "#geo+distance+border"),
    ("nearest_crossing", "#loc+crossing"),
    ("cross_border", "#indicator+cross_border"),
    ("summary", "#description"),
    ("dataset", "#meta+dataset"),
    ("dataset_row", "#meta+dataset+id"),
];

/// One report in Truce's own columns (the same for HXL, whose tags are the second line).
pub fn own(row: &Row<'_>) -> Vec<String> {
    let r = &row.report;
    let (killed, injured) = (r.casualties.killed, r.casualties.injured);
    let launch = r.location.launch;
    vec![
        row.index(),
        row.record.signed_at.clone(),
        row.record.author.clone(),
        row.record.delegation.clone(),
        row.record.status.clone(),
        r.title.clone(),
        r.event_type.clone(),
        r.sub_event_type.clone(),
        r.occurred.start.as_str().to_string(),
        r.occurred
            .end
            .as_ref()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        r.occurred.precision.ucdp().to_string(),
        r.location.place.clone(),
        r.location.point.lat.to_string(),
        r.location.point.lon.to_string(),
        r.location.precision.to_string(),
        launch.map(|p| p.lat.to_string()).unwrap_or_default(),
        launch.map(|p| p.lon.to_string()).unwrap_or_default(),
        r.accused
            .as_ref()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default(),
        killed.low.to_string(),
        killed.best.to_string(),
        killed.high.to_string(),
        injured.low.to_string(),
        injured.best.to_string(),
        injured.high.to_string(),
        r.provisions.join("; "),
        row.sources(),
        row.located(|g| g.country.clone()),
        row.admin1(),
        row.located(|g| g.admin1_code.clone()),
        row.located(|g| Some(g.border_distance_km.to_string())),
        row.located(|g| g.nearest_crossing.as_ref().map(|c| c.id.clone())),
        row.located(|g| g.cross_border.map(|crossed| crossed.to_string())),
        r.summary.clone(),
        row.dataset(),
        row.dataset_row(),
    ]
}

/// ACLED's column names (its codebook), in its order.
const ACLED: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "timestamp",
    // Not ACLED's: the dataset row an imported report came from, to join on.
    "dataset",
    "dataset_row",
];

/// One report in ACLED's columns. Actor 1 is the named perpetrator (or the accused
/// party), actor 2 the target; fatalities are the best estimate.
pub fn acled(row: &Row<'_>) -> Vec<String> {
    use truce_core::mechanism::report::ActorSide::{Perpetrator, Target};
    let r = &row.report;
    let date = &r.occurred.start.as_str()[..10];
    let perpetrators = row.actors(Perpetrator);
    let targets = row.actors(Target);
    let accused = row.party(r.accused.as_ref().map(truce_core::DelegationId::as_str));
    let actor1 = perpetrators.first().map_or(accused, ToString::to_string);
    let country = row.country();
    let iso = country.map_or(String::new(), |c| c.numeric().to_string());
    // ACLED's regions are its own grouping, published as no code table: left blank.
    let region = "";
    let civilians = r.sub_event_type == "attack" || r.event_type == "violence_against_civilians";
    vec![
        format!("TRUCE{}", row.index()),
        date.to_string(),
        date[..4].to_string(),
        acled_time_precision(r.occurred.precision).to_string(),
        acled_disorder(&r.event_type).to_string(),
        acled_label(&r.event_type),
        acled_label(&r.sub_event_type),
        actor1,
        perpetrators.get(1..).unwrap_or_default().join("; "),
        targets.first().map(ToString::to_string).unwrap_or_default(),
        targets.get(1..).unwrap_or_default().join("; "),
        if civilians { "Civilian targeting" } else { "" }.to_string(),
        iso,
        region.to_string(),
        country_name(country),
        row.admin1(),
        r.location.place.clone(),
        r.location.point.lat.to_string(),
        r.location.point.lon.to_string(),
        acled_geo_precision(r.location.precision).to_string(),
        row.sources(),
        r.summary.clone(),
        r.casualties.killed.best.to_string(),
        truce_core::Timestamp::parse(row.record.signed_at.as_str())
            .map_or(String::new(), |t| t.unix_seconds().to_string()),
        row.dataset(),
        row.dataset_row(),
    ]
}

/// UCDP GED's column names used here, in its order.
const UCDP: &[&str] = &[
    "id",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "source_article",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "latitude",
    "longitude",
    "geom_wkt",
    "country",
    "iso3",
    "country_id",
    "region",
    "date_start",
    "date_end",
    "date_prec",
    "deaths_civilians",
    "best",
    "high",
    "low",
    // Not UCDP's: the dataset row an imported report came from, to join on.
    "dataset",
    "dataset_row",
];

/// One report in UCDP GED's columns: `type_of_violence` as
/// [`truce_core::mechanism::exchange::ucdp_violence`] reads the report, blank for event
/// types UCDP does not count; side A the accused.
pub fn ucdp(row: &Row<'_>) -> Vec<String> {
    let r = &row.report;
    let killed = r.casualties.killed;
    let violence = ucdp_violence(r).map_or(String::new(), |code| code.to_string());
    let (lat, lon) = (r.location.point.lat, r.location.point.lon);
    let start = &r.occurred.start.as_str()[..10];
    let end = r.occurred.end.as_ref().map_or(start, |t| &t.as_str()[..10]);
    let country = row.country();
    let gleditsch_ward = country.and_then(truce_geo::Country::gleditsch_ward);
    vec![
        row.index(),
        start[..4].to_string(),
        violence,
        row.party(r.accused.as_ref().map(truce_core::DelegationId::as_str)),
        row.actors(truce_core::mechanism::report::ActorSide::Target)
            .join("; "),
        row.sources(),
        r.location.precision.to_string(),
        r.location.place.clone(),
        row.admin1(),
        lat.to_string(),
        lon.to_string(),
        format!("POINT ({lon} {lat})"),
        country_name(country),
        country.map_or(String::new(), |c| c.alpha3().to_string()),
        gleditsch_ward.map_or(String::new(), |n| n.to_string()),
        gleditsch_ward.map_or("", ucdp_region).to_string(),
        start.to_string(),
        end.to_string(),
        r.occurred.precision.ucdp().to_string(),
        r.casualties
            .civilians_killed
            .map_or(String::new(), |c| c.best.to_string()),
        killed.best.to_string(),
        killed.high.to_string(),
        killed.low.to_string(),
        row.dataset(),
        row.dataset_row(),
    ]
}

/// A country's English name as CLDR gives it ("Thailand"), blank for none.
fn country_name(country: Option<truce_geo::Country>) -> String {
    country.map_or(String::new(), |c| crate::countries::name("en", c.code()))
}

/// UCDP's `region` of a state, by its Gleditsch–Ward number, as the UCDP GED codebook
/// assigns regions: 2–199 Americas, 200–399 Europe, 400–626 Africa, 630–699 Middle East,
/// 700–999 Asia (Oceania included).
fn ucdp_region(gleditsch_ward: u16) -> &'static str {
    match gleditsch_ward {
        ..200 => "Americas",
        200..400 => "Europe",
        400..630 => "Africa",
        630..700 => "Middle East",
        _ => "Asia",
    }
}

/// One report as a GeoJSON feature (RFC 7946), for the streamed collection.
pub fn feature(row: &Row<'_>) -> Value {
    let r = &row.report;
    let columns = names(OWN);
    let values = own(row);
    let properties: serde_json::Map<String, Value> = columns
        .into_iter()
        .zip(values)
        .filter(|(name, _)| !matches!(*name, "lat" | "lon"))
        .map(|(name, value)| (name.to_string(), Value::String(value)))
        .collect();
    serde_json::json!({"type": "Feature", "id": row.record.index,
        "geometry": {"type": "Point", "coordinates": [r.location.point.lon, r.location.point.lat]},
        "properties": properties})
}
