//! The mechanism's sensors (fixed cameras, drones, acoustic and radar sensors): registered
//! once, then their up and down time, so a daily report can say which of them were down.

use serde::{Deserialize, Serialize};

use super::values::{Point, slug_id, text};
use crate::rejection::FieldError;
use crate::timestamp::Timestamp;

/// The longest sensor id, in bytes.
pub const SENSOR_ID_BYTES_MAX: usize = 64;

slug_id!(
    /// A sensor's stable id (`cam-torkham-1`).
    SensorId,
    SENSOR_ID_BYTES_MAX,
    "a sensor id"
);

/// What kind of sensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensorKind {
    FixedCamera,
    Drone,
    Acoustic,
    Radar,
    Other,
}

impl SensorKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FixedCamera => "fixed_camera",
            Self::Drone => "drone",
            Self::Acoustic => "acoustic",
            Self::Radar => "radar",
            Self::Other => "other",
        }
    }
}

/// `sensor.registered`: a sensor the mechanism operates, by a monitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensorRegistered {
    pub id: SensorId,
    pub kind: SensorKind,
    /// What the monitors call it ("Torkham camera 1, facing north-west").
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where it stands; a drone has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Point>,
}

/// Whether a sensor is working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensorState {
    Up,
    Down,
}

impl SensorState {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Down => "down",
        }
    }
}

/// `sensor.status`: a sensor went up or down at `since` (at or before the entry's time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensorStatus {
    /// Why, where known ("power cut", "lens obstructed").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub sensor: SensorId,
    pub since: Timestamp,
    pub state: SensorState,
}

impl SensorRegistered {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.name, "name", 1, 200)?;
        if let Some(note) = &self.note {
            text(note, "note", 1, 2000)?;
        }
        if let Some(position) = &self.position {
            position.validate("position")?;
        }
        Ok(())
    }
}

impl SensorStatus {
    pub fn validate(&self) -> Result<(), FieldError> {
        if let Some(reason) = &self.reason {
            text(reason, "reason", 1, 500)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sensor_id_must_be_a_slug_and_a_name_must_not_be_empty() {
        assert!(SensorId::parse("cam-torkham-1").is_ok());
        let refused = SensorId::parse("Cam 1").unwrap_err();
        assert!(refused.starts_with("a sensor id is 1 to 64"), "{refused}");
        let sensor = SensorRegistered {
            id: SensorId::parse("cam-1").unwrap(),
            kind: SensorKind::FixedCamera,
            name: String::new(),
            note: None,
            position: Some(Point {
                lat: 34.1,
                lon: 71.1,
            }),
        };
        assert_eq!(sensor.validate().unwrap_err().field, "name");
    }
}
