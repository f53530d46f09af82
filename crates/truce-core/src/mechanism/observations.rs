//! Observations: what a monitor (a patrol, an observation post, a sensor) saw or heard over
//! a time window at a position, counted by kind, as the OSCE Special Monitoring Mission
//! recorded ceasefire violations every day. Each party may record its own counts too; the
//! delegation that signed says whose counts they are, and they are never merged.

use serde::{Deserialize, Serialize};

use super::sensors::SensorId;
use super::values::{Point, text};
use crate::names::DelegationId;
use crate::rejection::FieldError;
use crate::timestamp::Timestamp;

/// The longest window one observation may cover, in hours: a day's shift and the night.
pub const WINDOW_HOURS_MAX: i64 = 48;
/// The most lines (kinds counted) in one observation.
pub const COUNT_LINES_MAX: usize = 32;
/// The largest count on one line.
pub const COUNT_MAX: i64 = 100_000;
/// The most reports and incidents one observation links to.
pub const LINKS_MAX: usize = 32;

/// Who observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Patrol,
    ObservationPost,
    /// A registered sensor (camera, drone, acoustic, radar), named in `sensor`.
    Sensor,
}

impl Platform {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patrol => "patrol",
            Self::ObservationPost => "observation_post",
            Self::Sensor => "sensor",
        }
    }
}

/// What was observed, in the OSCE mission's categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservedKind {
    UndeterminedExplosion,
    Impact,
    OutgoingRound,
    Airburst,
    ProjectileInFlight,
    BurstOfFire,
    ShotsFired,
    Illumination,
    Flare,
    Other,
}

impl ObservedKind {
    pub const ALL: [Self; 10] = [
        Self::UndeterminedExplosion,
        Self::Impact,
        Self::OutgoingRound,
        Self::Airburst,
        Self::ProjectileInFlight,
        Self::BurstOfFire,
        Self::ShotsFired,
        Self::Illumination,
        Self::Flare,
        Self::Other,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UndeterminedExplosion => "undetermined_explosion",
            Self::Impact => "impact",
            Self::OutgoingRound => "outgoing_round",
            Self::Airburst => "airburst",
            Self::ProjectileInFlight => "projectile_in_flight",
            Self::BurstOfFire => "burst_of_fire",
            Self::ShotsFired => "shots_fired",
            Self::Illumination => "illumination",
            Self::Flare => "flare",
            Self::Other => "other",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether it counts among the explosions a daily report names apart.
    #[must_use]
    pub fn is_explosion(self) -> bool {
        matches!(
            self,
            Self::UndeterminedExplosion | Self::Impact | Self::OutgoingRound | Self::Airburst
        )
    }
}

/// How the monitor knew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perception {
    Seen,
    Heard,
    SeenAndHeard,
}

impl Perception {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seen => "seen",
            Self::Heard => "heard",
            Self::SeenAndHeard => "seen_and_heard",
        }
    }
}

/// The weapon class, where the monitor could assess it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeaponClass {
    SmallArms,
    HeavyMachineGun,
    Mortar,
    Artillery,
    Rocket,
    Tank,
    Drone,
    Aircraft,
    Other,
}

impl WeaponClass {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SmallArms => "small_arms",
            Self::HeavyMachineGun => "heavy_machine_gun",
            Self::Mortar => "mortar",
            Self::Artillery => "artillery",
            Self::Rocket => "rocket",
            Self::Tank => "tank",
            Self::Drone => "drone",
            Self::Aircraft => "aircraft",
            Self::Other => "other",
        }
    }
}

/// How far away, in metres: a bracket, as monitors estimate ("2-3 km").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distance {
    pub max_m: u32,
    pub min_m: u32,
}

/// One line of an observation: so many of one kind, and what more was assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservedCount {
    /// Bearing from the position to the source, in degrees from true north.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bearing_deg: Option<u16>,
    /// Signed so that a negative count is refused by name rather than misread.
    pub count: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<Distance>,
    /// The party whose side it came from, where assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_side: Option<DelegationId>,
    pub kind: ObservedKind,
    pub perception: Perception,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weapon: Option<WeaponClass>,
}

/// `observation.recorded`: counts over the window `start`..`end` at `position`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub counts: Vec<ObservedCount>,
    pub end: Timestamp,
    /// Incidents (their log indexes) this observation bears on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The place as the monitors name it ("observation post 3, 2 km north of Torkham").
    pub place: String,
    pub platform: Platform,
    pub position: Point,
    /// Reports (their log indexes) this observation bears on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<u64>,
    /// The sensor, when the platform is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensor: Option<SensorId>,
    pub start: Timestamp,
}

impl Observation {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.place, "place", 1, 200)?;
        if let Some(note) = &self.note {
            text(note, "note", 1, 2000)?;
        }
        self.position.validate("position")?;
        self.validate_window()?;
        match (self.platform, &self.sensor) {
            (Platform::Sensor, None) => {
                return Err(FieldError::new(
                    "sensor",
                    "names the sensor when the platform is one",
                ));
            }
            (Platform::Patrol | Platform::ObservationPost, Some(_)) => {
                return Err(FieldError::new(
                    "sensor",
                    "is given only when the platform is \"sensor\"",
                ));
            }
            _ => {}
        }
        if self.counts.is_empty() || self.counts.len() > COUNT_LINES_MAX {
            let reason = format!(
                "holds 1 to {COUNT_LINES_MAX} lines (holds {})",
                self.counts.len()
            );
            return Err(FieldError::new("counts", reason));
        }
        for (i, line) in self.counts.iter().enumerate() {
            line.validate(&format!("counts[{i}]"))?;
        }
        for (field, links) in [("reports", &self.reports), ("incidents", &self.incidents)] {
            if links.len() > LINKS_MAX {
                let reason = format!("links at most {LINKS_MAX} (links {})", links.len());
                return Err(FieldError::new(field, reason));
            }
        }
        Ok(())
    }

    fn validate_window(&self) -> Result<(), FieldError> {
        let (start, end) = (self.start.instant(), self.end.instant());
        if end < start {
            let reason = format!("{} is before the window's start {}", self.end, self.start);
            return Err(FieldError::new("end", reason));
        }
        if (end - start).whole_hours() > WINDOW_HOURS_MAX {
            let reason = format!("a window lasts at most {WINDOW_HOURS_MAX} hours");
            return Err(FieldError::new("end", reason));
        }
        Ok(())
    }

    /// Everything counted.
    #[must_use]
    pub fn total(&self) -> i64 {
        self.counts.iter().map(|c| c.count).sum()
    }

    /// The explosions among them (see [`ObservedKind::is_explosion`]).
    #[must_use]
    pub fn explosions(&self) -> i64 {
        self.counts
            .iter()
            .filter(|c| c.kind.is_explosion())
            .map(|c| c.count)
            .sum()
    }
}

impl ObservedCount {
    fn validate(&self, at: &str) -> Result<(), FieldError> {
        if !(1..=COUNT_MAX).contains(&self.count) {
            let reason = format!("must be 1 to {COUNT_MAX} (is {})", self.count);
            return Err(FieldError::new(format!("{at}.count"), reason));
        }
        if let Some(bearing) = self.bearing_deg
            && bearing >= 360
        {
            let reason = format!("must be 0 to 359 degrees (is {bearing})");
            return Err(FieldError::new(format!("{at}.bearing_deg"), reason));
        }
        if let Some(distance) = self.distance
            && distance.min_m > distance.max_m
        {
            let reason = format!("{} is more than max_m {}", distance.min_m, distance.max_m);
            return Err(FieldError::new(format!("{at}.distance.min_m"), reason));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observation(counts: &serde_json::Value) -> Observation {
        serde_json::from_value(serde_json::json!({
            "counts": counts,
            "start": "2025-11-03T18:00:00Z",
            "end": "2025-11-04T06:00:00Z",
            "place": "observation post 3",
            "platform": "observation_post",
            "position": {"lat": 34.1, "lon": 71.1},
        }))
        .unwrap()
    }

    #[test]
    fn counts_total_and_explosions_apart() {
        let seen = observation(&serde_json::json!([
            {"kind": "impact", "count": 7, "perception": "heard"},
            {"kind": "burst_of_fire", "count": 5, "perception": "seen"},
            {"kind": "outgoing_round", "count": 2, "perception": "seen_and_heard", "bearing_deg": 300},
        ]));
        assert!(seen.validate().is_ok());
        assert_eq!((seen.total(), seen.explosions()), (14, 9));
    }

    #[test]
    fn a_negative_count_and_a_window_that_ends_before_it_starts_are_refused_by_name() {
        let negative = observation(
            &serde_json::json!([{"kind": "impact", "count": -3, "perception": "heard"}]),
        );
        assert_eq!(negative.validate().unwrap_err().field, "counts[0].count");
        let mut backwards = observation(
            &serde_json::json!([{"kind": "impact", "count": 1, "perception": "heard"}]),
        );
        backwards.end = Timestamp::parse("2025-11-03T17:00:00Z").unwrap();
        let FieldError { field, reason } = backwards.validate().unwrap_err();
        assert_eq!(field, "end");
        assert!(reason.contains("before the window's start"), "{reason}");
    }

    #[test]
    fn a_sensor_platform_names_its_sensor() {
        let mut seen =
            observation(&serde_json::json!([{"kind": "flare", "count": 1, "perception": "seen"}]));
        seen.platform = Platform::Sensor;
        assert_eq!(seen.validate().unwrap_err().field, "sensor");
    }
}
