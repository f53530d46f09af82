//! The one mapping between a report's fields and the codes of the datasets reports are
//! exchanged with: UCDP GED (`type_of_violence`, `date_prec`, `where_prec`) and ACLED
//! (event-type labels, `time_precision`, `geo_precision`). The server's exports use it one
//! way and `truce import` the other, so that what is exported reads back as it was.

use super::report::{Actor, EVENT_TYPES, Report};
use super::values::DatePrecision;

/// The dataset slug of UCDP's Georeferenced Event Dataset in a report's provenance.
pub const UCDP_GED: &str = "ucdp-ged";
/// The dataset slug of ACLED in a report's provenance.
pub const ACLED: &str = "acled";

/// UCDP's `type_of_violence` for a report: one-sided (3) for violence against civilians;
/// for battles and remote violence, state-based (1) when a state is a side, as UCDP defines
/// it (an actor of one of the parties, or one UCDP names "Government of ..."), or when no
/// actor is known, and non-state (2) when every known actor is not a state; none for the
/// rest. So a UCDP row reads back with the type it had.
#[must_use]
pub fn ucdp_violence(report: &Report) -> Option<u8> {
    let state = |actor: &Actor| actor.party.is_some() || actor.name.starts_with("Government of");
    match report.event_type.as_str() {
        "battles" | "explosions_remote_violence" => {
            if report.actors.is_empty() || report.actors.iter().any(state) {
                Some(1)
            } else {
                Some(2)
            }
        }
        "violence_against_civilians" => Some(3),
        _ => None,
    }
}

/// The event and sub-event type for UCDP's `type_of_violence`: state-based (1) and
/// non-state (2) conflict are armed clashes, one-sided violence (3) an attack on
/// civilians. Which of 1 and 2 a clash was, its actors tell ([`ucdp_violence`]).
#[must_use]
pub fn from_ucdp_violence(code: u8) -> Option<(&'static str, &'static str)> {
    match code {
        1 | 2 => Some(("battles", "armed_clash")),
        3 => Some(("violence_against_civilians", "attack")),
        _ => None,
    }
}

/// ACLED's label of an event or sub-event type: `explosions_remote_violence` is
/// "Explosions/Remote violence", `armed_clash` "Armed clash".
#[must_use]
pub fn acled_label(slug: &str) -> String {
    let label = match slug {
        "explosions_remote_violence" => "Explosions/Remote violence",
        "air_drone_strike" => "Air/drone strike",
        "shelling_artillery_missile_attack" => "Shelling/artillery/missile attack",
        "remote_explosive_landmine_ied" => "Remote explosive/landmine/IED",
        "abduction_forced_disappearance" => "Abduction/forced disappearance",
        "change_to_group_activity" => "Change to group/activity",
        "looting_property_destruction" => "Looting/property destruction",
        other => {
            let spaced = other.replace('_', " ");
            let mut chars = spaced.chars();
            return chars.next().map_or(String::new(), |first| {
                first.to_uppercase().chain(chars).collect()
            });
        }
    };
    label.to_string()
}

/// The event type whose ACLED label is `label` (letter case aside), and the sub-event
/// type of it labelled `sub_label`.
#[must_use]
pub fn from_acled_labels(label: &str, sub_label: &str) -> Option<(&'static str, &'static str)> {
    let same = |slug: &str, label: &str| acled_label(slug).eq_ignore_ascii_case(label.trim());
    let (event_type, subs) = EVENT_TYPES.iter().find(|(slug, _)| same(slug, label))?;
    let sub = subs.iter().find(|slug| same(slug, sub_label))?;
    Some((event_type, sub))
}

/// ACLED's `disorder_type` of an event type.
#[must_use]
pub fn acled_disorder(event_type: &str) -> &'static str {
    match event_type {
        "battles" | "explosions_remote_violence" | "violence_against_civilians" => {
            "Political violence"
        }
        "protests" | "riots" => "Demonstrations",
        _ => "Strategic developments",
    }
}

/// ACLED's `time_precision`: 1 the day, 2 the week, 3 the month or longer.
#[must_use]
pub fn acled_time_precision(precision: DatePrecision) -> u8 {
    match precision {
        DatePrecision::Day => 1,
        DatePrecision::Days | DatePrecision::Weeks => 2,
        DatePrecision::Month | DatePrecision::Year => 3,
    }
}

/// The date precision ACLED's `time_precision` means (its inverse on 1 to 3).
#[must_use]
pub fn from_acled_time_precision(code: u8) -> Option<DatePrecision> {
    match code {
        1 => Some(DatePrecision::Day),
        2 => Some(DatePrecision::Days),
        3 => Some(DatePrecision::Month),
        _ => None,
    }
}

/// ACLED's `geo_precision` of a UCDP `where_prec`: 1 the place, 2 near it, 3 a province
/// or larger area.
#[must_use]
pub fn acled_geo_precision(where_prec: u8) -> u8 {
    match where_prec {
        1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

/// The UCDP `where_prec` ACLED's `geo_precision` means (its inverse on 1 to 3): 3 is
/// the province (UCDP 4).
#[must_use]
pub fn from_acled_geo_precision(code: u8) -> Option<u8> {
    match code {
        1 => Some(1),
        2 => Some(2),
        3 => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_acled_label_reads_back_as_its_event_and_sub_event_type() {
        for (event_type, subs) in EVENT_TYPES {
            for sub in *subs {
                let back = from_acled_labels(&acled_label(event_type), &acled_label(sub));
                assert_eq!(back, Some((*event_type, *sub)));
            }
        }
        assert_eq!(
            from_acled_labels("explosions/remote violence", "Air/drone strike"),
            Some(("explosions_remote_violence", "air_drone_strike"))
        );
        assert_eq!(from_acled_labels("Battles", "Air/drone strike"), None);
    }

    fn clash(actors: &[(&str, Option<&str>)]) -> Report {
        let mut report: Report = serde_json::from_value(serde_json::json!({
            "accused": null, "actors": [],
            "casualties": {"children_killed": null, "civilians_killed": null, "women_killed": null,
                "injured": {"low": 0, "best": 0, "high": 0}, "killed": {"low": 1, "best": 1, "high": 1}},
            "event_type": "battles", "sub_event_type": "armed_clash",
            "location": {"impact": null, "launch": null, "place": "Kurram", "point": {"lat": 33.9, "lon": 70.1}, "precision": 4},
            "occurred": {"end": null, "precision": "days", "start": "2025-10-11T00:00:00Z"},
            "provisions": [], "sources": [], "summary": "A clash.", "title": "Clash"
        }))
        .unwrap();
        report.actors = actors
            .iter()
            .map(|(name, party)| Actor {
                name: (*name).to_string(),
                party: party.map(|p| crate::DelegationId::parse(p).unwrap()),
                side: super::super::report::ActorSide::Perpetrator,
            })
            .collect();
        report
    }

    #[test]
    fn ucdp_violence_reads_back_by_the_actors() {
        let state = clash(&[("Government of Pakistan", None), ("TTP", None)]);
        let party = clash(&[("Military forces of Afghanistan", Some("af"))]);
        let non_state = clash(&[("Ansaar ul-Islam", None), ("Lashkar-e-Islam", None)]);
        assert_eq!(ucdp_violence(&state), Some(1));
        assert_eq!(ucdp_violence(&party), Some(1));
        assert_eq!(
            ucdp_violence(&clash(&[])),
            Some(1),
            "unknown sides: state-based"
        );
        assert_eq!(ucdp_violence(&non_state), Some(2));
        let mut civilians = non_state.clone();
        (civilians.event_type, civilians.sub_event_type) =
            ("violence_against_civilians".into(), "attack".into());
        assert_eq!(ucdp_violence(&civilians), Some(3));
        for code in 1..=3 {
            let (event_type, _) = from_ucdp_violence(code).unwrap();
            assert_eq!(
                event_type,
                if code == 3 {
                    "violence_against_civilians"
                } else {
                    "battles"
                }
            );
        }
        assert_eq!(from_ucdp_violence(4), None);
    }

    #[test]
    fn acled_precisions_read_back() {
        for code in 1..=3 {
            let precision = from_acled_time_precision(code).unwrap();
            assert_eq!(acled_time_precision(precision), code);
            let where_prec = from_acled_geo_precision(code).unwrap();
            assert_eq!(acled_geo_precision(where_prec), code);
        }
        assert_eq!(from_acled_time_precision(0), None);
        assert_eq!(from_acled_geo_precision(4), None);
    }
}
