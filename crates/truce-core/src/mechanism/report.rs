//! A report: an allegation that something happened, as whoever filed it tells it.
//!
//! The fields follow the ACLED codebook (event type and sub-event type, actors) and the
//! UCDP Georeferenced Event Dataset (low/best/high casualties, date and place precision),
//! so reports can be compared with, exported to and imported from both.

use serde::{Deserialize, Serialize};

use super::values::{DatePrecision, Point, Range, Source, is_slug, text};
use crate::names::DelegationId;
use crate::rejection::FieldError;
use crate::timestamp::Timestamp;

/// The ACLED event types with their sub-event types (ACLED codebook, 2023).
pub const EVENT_TYPES: &[(&str, &[&str])] = &[
    (
        "battles",
        &[
            "armed_clash",
            "government_regains_territory",
            "non_state_actor_overtakes_territory",
        ],
    ),
    (
        "explosions_remote_violence",
        &[
            "chemical_weapon",
            "air_drone_strike",
            "suicide_bomb",
            "shelling_artillery_missile_attack",
            "remote_explosive_landmine_ied",
            "grenade",
        ],
    ),
    (
        "violence_against_civilians",
        &[
            "sexual_violence",
            "attack",
            "abduction_forced_disappearance",
        ],
    ),
    (
        "protests",
        &[
            "peaceful_protest",
            "protest_with_intervention",
            "excessive_force_against_protesters",
        ],
    ),
    ("riots", &["violent_demonstration", "mob_violence"]),
    (
        "strategic_developments",
        &[
            "agreement",
            "arrests",
            "change_to_group_activity",
            "disrupted_weapons_use",
            "headquarters_or_base_established",
            "looting_property_destruction",
            "non_violent_transfer_of_territory",
            "other",
        ],
    ),
];

/// Reports name at most this many sources, actors and provisions each.
pub const LIST_ITEMS_MAX: usize = 32;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The party the report says is responsible, if it names one.
    pub accused: Option<DelegationId>,
    pub actors: Vec<Actor>,
    pub casualties: Casualties,
    /// An ACLED event type, e.g. `explosions_remote_violence`.
    pub event_type: String,
    pub location: Location,
    pub occurred: Occurred,
    /// Ids of the agreement's provisions the report says were violated.
    pub provisions: Vec<String>,
    /// The dataset row this report was imported from, if it was: a log holds at most one
    /// report per row (`LogState::admit`), so importing a file twice adds nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    pub sources: Vec<Source>,
    /// An ACLED sub-event type of `event_type`, e.g. `air_drone_strike`.
    pub sub_event_type: String,
    pub summary: String,
    pub title: String,
}

/// An actor as the report names it (a neutral name; per-party designations are kept
/// elsewhere), and on which side of the event it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub name: String,
    /// The party the actor belongs to, if it is one of the parties' forces.
    pub party: Option<DelegationId>,
    pub side: ActorSide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorSide {
    Perpetrator,
    Target,
}

/// Casualties as ranges; civilians, women and children broken out where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    pub children_killed: Option<Range>,
    pub civilians_killed: Option<Range>,
    pub injured: Range,
    pub killed: Range,
    pub women_killed: Option<Range>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Where fire was launched from, for cross-border fire.
    pub impact: Option<Point>,
    pub launch: Option<Point>,
    /// The place's name as reported.
    pub place: String,
    pub point: Point,
    /// UCDP GED `where_prec`: 1 exact place, 2 within 25 km, 3 district, 4 province,
    /// 5 a line (road, river, border), 6 country, 7 international waters or air.
    pub precision: u8,
}

/// Where an imported report comes from: a dataset and the row's own id in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The dataset, a slug: `ucdp-ged`, `acled` (`exchange::UCDP_GED`, `exchange::ACLED`).
    pub dataset: String,
    /// The row's id in the dataset (UCDP GED `id`, ACLED `event_id_cnty`), kept as text.
    pub row: String,
    /// The dataset's version, if the importer knew it (e.g. UCDP GED `21.1`); not part of
    /// the row's identity, as both datasets keep a row's id across versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// The longest dataset slug, row id and version accepted.
pub const PROVENANCE_BYTES_MAX: usize = 64;

impl Provenance {
    pub fn validate(&self, at: &str) -> Result<(), FieldError> {
        validate_dataset(&self.dataset)
            .map_err(|reason| FieldError::new(format!("{at}.dataset"), reason))?;
        id_text(&self.row, &format!("{at}.row"))?;
        match &self.version {
            Some(version) => id_text(version, &format!("{at}.version")),
            None => Ok(()),
        }
    }
}

/// Checks a dataset's slug (`ucdp-ged`, `acled`): what a provenance may name, and so
/// what a filter by dataset may ask for.
pub fn validate_dataset(dataset: &str) -> Result<(), String> {
    if is_slug(dataset, PROVENANCE_BYTES_MAX) {
        Ok(())
    } else {
        Err(format!(
            "{dataset:?} is not a dataset slug (1 to {PROVENANCE_BYTES_MAX} lowercase letters, digits and inner '-', at least one letter)"
        ))
    }
}

/// A row id or version: 1 to `PROVENANCE_BYTES_MAX` ASCII letters, digits and `.`, `_`,
/// `:`, `-`, so that it reads the same in every CSV, URL and log.
fn id_text(value: &str, at: &str) -> Result<(), FieldError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-');
    if value.is_empty() || value.len() > PROVENANCE_BYTES_MAX || !value.chars().all(allowed) {
        let reason = format!(
            "{value:?} must be 1 to {PROVENANCE_BYTES_MAX} ASCII letters, digits, '.', '_', ':' or '-'"
        );
        return Err(FieldError::new(at.to_string(), reason));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Occurred {
    pub end: Option<Timestamp>,
    pub precision: DatePrecision,
    pub start: Timestamp,
}

impl Report {
    /// Checks the report on its own; returns the offending field (relative to the
    /// payload) and why.
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.title, "title", 1, 200)?;
        text(&self.summary, "summary", 0, 20_000)?;
        self.validate_event_type()?;
        self.validate_occurred()?;
        self.validate_location()?;
        self.validate_casualties()?;
        for (field, len) in [
            ("actors", self.actors.len()),
            ("sources", self.sources.len()),
            ("provisions", self.provisions.len()),
        ] {
            if len > LIST_ITEMS_MAX {
                return Err(FieldError::new(
                    field.to_string(),
                    format!("at most {LIST_ITEMS_MAX} items (has {len})"),
                ));
            }
        }
        for (i, actor) in self.actors.iter().enumerate() {
            text(&actor.name, &format!("actors[{i}].name"), 1, 200)?;
        }
        for (i, source) in self.sources.iter().enumerate() {
            source.validate(&format!("sources[{i}]"))?;
        }
        match &self.provenance {
            Some(provenance) => provenance.validate("provenance"),
            None => Ok(()),
        }
    }

    fn validate_event_type(&self) -> Result<(), FieldError> {
        let Some((_, subs)) = EVENT_TYPES.iter().find(|(t, _)| *t == self.event_type) else {
            let known: Vec<&str> = EVENT_TYPES.iter().map(|(t, _)| *t).collect();
            return Err(FieldError::new(
                "event_type",
                format!(
                    "{:?} is not an ACLED event type ({})",
                    self.event_type,
                    known.join(", ")
                ),
            ));
        };
        if !subs.contains(&self.sub_event_type.as_str()) {
            let reason = format!(
                "{:?} is not a sub-event type of {} ({})",
                self.sub_event_type,
                self.event_type,
                subs.join(", ")
            );
            return Err(FieldError::new("sub_event_type", reason));
        }
        Ok(())
    }

    fn validate_occurred(&self) -> Result<(), FieldError> {
        if let Some(end) = &self.occurred.end
            && end.instant() < self.occurred.start.instant()
        {
            return Err(FieldError::new("occurred.end", "is before occurred.start"));
        }
        Ok(())
    }

    fn validate_location(&self) -> Result<(), FieldError> {
        let location = &self.location;
        location.point.validate("location.point")?;
        if let Some(launch) = &location.launch {
            launch.validate("location.launch")?;
        }
        if let Some(impact) = &location.impact {
            impact.validate("location.impact")?;
        }
        if !(1..=7).contains(&location.precision) {
            return Err(FieldError::new(
                "location.precision",
                format!(
                    "must be a UCDP where_prec, 1 to 7 (got {})",
                    location.precision
                ),
            ));
        }
        text(&location.place, "location.place", 0, 200)
    }

    fn validate_casualties(&self) -> Result<(), FieldError> {
        let c = &self.casualties;
        c.killed.validate("casualties.killed")?;
        c.injured.validate("casualties.injured")?;
        for (name, part) in [
            ("civilians_killed", &c.civilians_killed),
            ("women_killed", &c.women_killed),
            ("children_killed", &c.children_killed),
        ] {
            let Some(part) = part else { continue };
            let at = format!("casualties.{name}");
            part.validate(&at)?;
            if part.high > c.killed.high {
                return Err(FieldError::new(
                    format!("{at}.high"),
                    format!("{} exceeds the {} killed in all", part.high, c.killed.high),
                ));
            }
        }
        Ok(())
    }

    /// The latest instant the report says the event began: it cannot be after the report.
    #[must_use]
    pub fn started_at(&self) -> &Timestamp {
        &self.occurred.start
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::mechanism::values::Reliability;

    /// Kabul's account of the December 2024 air strikes, as the seed article reports it.
    pub fn sample() -> Report {
        let zero = Range {
            low: 0,
            best: 0,
            high: 0,
        };
        Report {
            accused: Some(DelegationId::parse("pk").unwrap()),
            actors: vec![Actor { name: "Military forces of Pakistan".into(), party: Some(DelegationId::parse("pk").unwrap()), side: ActorSide::Perpetrator }],
            casualties: Casualties {
                children_killed: None,
                civilians_killed: None,
                injured: zero,
                killed: Range { low: 46, best: 46, high: 46 },
                women_killed: None,
            },
            event_type: "explosions_remote_violence".into(),
            location: Location { impact: None, launch: None, place: "Paktika province".into(), point: Point { lat: 32.6, lon: 68.7 }, precision: 4 },
            occurred: Occurred { end: None, precision: DatePrecision::Days, start: Timestamp::parse("2024-12-24T00:00:00Z").unwrap() },
            provisions: vec!["ceasefire".into()],
            provenance: None,
            sources: vec![Source { credibility: 6, name: "Taliban authorities, as reported by DW".into(), reliability: Reliability::F }],
            sub_event_type: "air_drone_strike".into(),
            summary: "At least 46 people, including women and children, were killed in attacks with fighter jets and drones, according to the Taliban.".into(),
            title: "Air strikes in eastern Afghanistan".into(),
        }
    }

    #[test]
    fn the_sample_report_is_valid() {
        sample().validate().unwrap();
    }

    #[test]
    fn a_sub_event_type_of_another_event_type_is_refused() {
        let mut report = sample();
        report.sub_event_type = "armed_clash".into();
        assert_eq!(report.validate().unwrap_err().field, "sub_event_type");
    }

    #[test]
    fn children_killed_cannot_exceed_all_killed() {
        let mut report = sample();
        report.casualties.children_killed = Some(Range {
            low: 1,
            best: 2,
            high: 50,
        });
        assert_eq!(
            report.validate().unwrap_err().field,
            "casualties.children_killed.high"
        );
    }

    #[test]
    fn a_provenance_is_checked_naming_its_part() {
        let mut report = sample();
        let provenance = |dataset: &str, row: &str, version: Option<&str>| Provenance {
            dataset: dataset.into(),
            row: row.into(),
            version: version.map(Into::into),
        };
        report.provenance = Some(provenance("ucdp-ged", "59553", Some("21.1")));
        report.validate().unwrap();
        report.provenance = Some(provenance("UCDP GED", "59553", None));
        assert_eq!(report.validate().unwrap_err().field, "provenance.dataset");
        report.provenance = Some(provenance("acled", "", None));
        assert_eq!(report.validate().unwrap_err().field, "provenance.row");
        report.provenance = Some(provenance("acled", "PAK 1", None));
        assert_eq!(report.validate().unwrap_err().field, "provenance.row");
        report.provenance = Some(provenance("acled", "PAK1", Some("v 2")));
        assert_eq!(report.validate().unwrap_err().field, "provenance.version");
    }

    #[test]
    fn a_report_without_provenance_reads_as_before() {
        let json = serde_json::to_value(sample()).unwrap();
        assert!(json.get("provenance").is_none());
        let back: Report = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let mut report = sample();
        report.occurred.end = Some(Timestamp::parse("2024-12-01T00:00:00Z").unwrap());
        assert_eq!(report.validate().unwrap_err().field, "occurred.end");
    }
}
