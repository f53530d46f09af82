//! `truce observation record|list|daily` (`observation.recorded`) and `truce sensor
//! register|status|list` (`sensor.registered`, `sensor.status`): what the monitors saw
//! and heard, the daily counts per reporting delegation, and the sensors' up and down time.

use clap::Subcommand;
use serde_json::{Map, Value};
use truce_core::Timestamp;
use truce_core::kinds::{OBSERVATION_RECORDED, SENSOR_REGISTERED, SENSOR_STATUS};
use truce_core::mechanism::{Platform, SensorKind, SensorState};

use super::fields::{Fields, named, time};
use super::read::{List, Read, text};
use super::{Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Record what was seen or heard over a window at a position (observation.recorded;
    /// monitors, field devices, and a party's liaison for its own counts).
    Record(Box<Record>),
    /// Observations newest first (filters: day, province, sector, limit, cursor).
    List(List),
    /// The counts of one day per reporting delegation against the day before (filters:
    /// day, province, sector).
    Daily(List),
}

#[derive(Subcommand)]
pub enum SensorCommand {
    /// Register a sensor the mechanism operates (sensor.registered; monitors).
    Register(Box<Register>),
    /// Record a sensor going up or down (sensor.status; monitors, field devices).
    Status(Box<Status>),
    /// Every registered sensor with its current state.
    List(Read),
}

#[derive(clap::Args)]
pub struct Record {
    #[command(flatten)]
    write: Write,
    /// `patrol`, `observation_post` or `sensor`.
    #[arg(long, value_parser = named::<Platform>, required_unless_present = "payload")]
    platform: Option<Platform>,
    /// The sensor's id, when the platform is one.
    #[arg(long)]
    sensor: Option<String>,
    /// The place as the monitors name it.
    #[arg(long, required_unless_present = "payload")]
    place: Option<String>,
    /// Latitude of the position (WGS 84).
    #[arg(
        long,
        allow_negative_numbers = true,
        required_unless_present = "payload"
    )]
    lat: Option<f64>,
    /// Longitude of the position (WGS 84).
    #[arg(
        long,
        allow_negative_numbers = true,
        required_unless_present = "payload"
    )]
    lon: Option<f64>,
    /// When the window began (RFC 3339, UTC).
    #[arg(long, value_parser = time, required_unless_present = "payload")]
    start: Option<Timestamp>,
    /// When it ended; not after the entry's time, at most 48 hours after the start.
    #[arg(long, value_parser = time, required_unless_present = "payload")]
    end: Option<Timestamp>,
    /// One line counted, as NAME=VALUE pairs joined by commas: `kind=impact,count=7,
    /// perception=heard` and optionally `weapon=mortar`, `bearing=300`,
    /// `distance=2000-4000` (metres), `from=af` (the side it came from). Repeat for more.
    #[arg(long = "count", value_parser = count_line, required_unless_present = "payload")]
    counts: Vec<Value>,
    /// A report this observation bears on, by log index (repeat for more).
    #[arg(long = "report")]
    reports: Vec<u64>,
    /// An incident this observation bears on, by log index (repeat for more).
    #[arg(long = "incident")]
    incidents: Vec<u64>,
    #[arg(long)]
    note: Option<String>,
}

#[derive(clap::Args)]
pub struct Register {
    #[command(flatten)]
    write: Write,
    /// A stable id, never reused (`cam-torkham-1`).
    #[arg(long, required_unless_present = "payload")]
    id: Option<String>,
    /// `fixed_camera`, `drone`, `acoustic`, `radar` or `other`.
    #[arg(long, value_parser = named::<SensorKind>, required_unless_present = "payload")]
    kind: Option<SensorKind>,
    #[arg(long, required_unless_present = "payload")]
    name: Option<String>,
    /// Where it stands (WGS 84); a drone has no position.
    #[arg(long, allow_negative_numbers = true, requires = "lon")]
    lat: Option<f64>,
    #[arg(long, allow_negative_numbers = true, requires = "lat")]
    lon: Option<f64>,
    #[arg(long)]
    note: Option<String>,
}

#[derive(clap::Args)]
pub struct Status {
    #[command(flatten)]
    write: Write,
    #[arg(long, required_unless_present = "payload")]
    sensor: Option<String>,
    /// `up` or `down`.
    #[arg(long, value_parser = named::<SensorState>, required_unless_present = "payload")]
    state: Option<SensorState>,
    /// When it went up or down (RFC 3339, UTC); not after the entry's time.
    #[arg(long, value_parser = time, required_unless_present = "payload")]
    since: Option<Timestamp>,
    #[arg(long)]
    reason: Option<String>,
}

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Record(args) => {
            write(&args.write, OBSERVATION_RECORDED, |f, _| args.fill(f)).await
        }
        Command::List(args) => {
            let page = args.get("/api/v1/observations").await?;
            if args.json() {
                println!("{page}");
                return Ok(());
            }
            for o in page["items"].as_array().into_iter().flatten() {
                println!(
                    "{:>6}  {}  {:<4} {:>5} total {:>5} explosions  {}",
                    o["index"],
                    text(o, "day"),
                    text(o, "reported_by"),
                    o["total"],
                    o["explosions"],
                    text(o, "place")
                );
            }
            if let Some(next) = page["next"].as_str() {
                println!("more: cursor={next}");
            }
            Ok(())
        }
        Command::Daily(args) => {
            let daily = args.get("/api/v1/observations/daily").await?;
            if args.json() {
                println!("{daily}");
                return Ok(());
            }
            println!(
                "{} (against {})",
                text(&daily, "from"),
                text(&daily, "previous_from")
            );
            for d in daily["delegations"].as_array().into_iter().flatten() {
                let whose = if d["mechanism"] == true {
                    "mechanism"
                } else {
                    "party"
                };
                println!(
                    "{:<6} {whose:<9}  {} violations observed, including {} explosions ({} the day before)",
                    text(d, "delegation"),
                    d["total"],
                    d["explosions"],
                    d["previous_explosions"]
                );
            }
            for s in daily["sensors_down"].as_array().into_iter().flatten() {
                println!("down: {} since {}", text(s, "sensor"), text(s, "since"));
            }
            Ok(())
        }
    }
}

pub async fn run_sensor(command: SensorCommand) -> Result<(), Failure> {
    match command {
        SensorCommand::Register(args) => {
            write(&args.write, SENSOR_REGISTERED, |f, _| args.fill(f)).await
        }
        SensorCommand::Status(args) => write(&args.write, SENSOR_STATUS, |f, _| args.fill(f)).await,
        SensorCommand::List(args) => {
            let sensors = args.get("/api/v1/sensors", &[]).await?;
            if args.json() {
                println!("{sensors}");
                return Ok(());
            }
            for s in sensors.as_array().into_iter().flatten() {
                println!(
                    "{:<20}  {:<12}  {:<4}  {}",
                    text(s, "id"),
                    text(s, "kind"),
                    text(s, "state"),
                    text(s, "name")
                );
            }
            Ok(())
        }
    }
}

impl Record {
    fn fill(&self, f: &mut Fields) {
        f.some("platform", self.platform);
        f.some("sensor", self.sensor.as_ref());
        f.some("place", self.place.as_ref());
        f.some("position.lat", self.lat);
        f.some("position.lon", self.lon);
        f.some("start", self.start.as_ref());
        f.some("end", self.end.as_ref());
        if !self.counts.is_empty() {
            f.set("counts", &self.counts);
        }
        if !self.reports.is_empty() {
            f.set("reports", &self.reports);
        }
        if !self.incidents.is_empty() {
            f.set("incidents", &self.incidents);
        }
        f.some("note", self.note.as_ref());
    }
}

impl Register {
    fn fill(&self, f: &mut Fields) {
        f.some("id", self.id.as_ref());
        f.some("kind", self.kind);
        f.some("name", self.name.as_ref());
        f.some("position.lat", self.lat);
        f.some("position.lon", self.lon);
        f.some("note", self.note.as_ref());
    }
}

impl Status {
    fn fill(&self, f: &mut Fields) {
        f.some("sensor", self.sensor.as_ref());
        f.some("state", self.state);
        f.some("since", self.since.as_ref());
        f.some("reason", self.reason.as_ref());
    }
}

/// One counted line from `kind=impact,count=7,perception=heard[,...]`. Only the shape is
/// checked here; the log checks the values and names the field it refuses.
fn count_line(text: &str) -> Result<Value, String> {
    let mut line = Map::new();
    for pair in text.split(',') {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("{pair:?}: give NAME=VALUE pairs joined by commas"))?;
        let value = value.trim();
        let number = |what: &str| -> Result<i64, String> {
            value
                .parse()
                .map_err(|_| format!("{what} must be a whole number, not {value:?}"))
        };
        match name.trim() {
            "kind" | "perception" | "weapon" => {
                line.insert(name.trim().into(), value.into());
            }
            "from" => {
                line.insert("from_side".into(), value.into());
            }
            "count" => {
                line.insert("count".into(), number("count")?.into());
            }
            "bearing" => {
                line.insert("bearing_deg".into(), number("bearing")?.into());
            }
            "distance" => {
                let (min, max) = value
                    .split_once('-')
                    .ok_or("distance is MIN-MAX in metres, e.g. 2000-4000")?;
                let metres = |v: &str| {
                    v.trim()
                        .parse::<u32>()
                        .map_err(|_| format!("distance {v:?} is not whole metres"))
                };
                line.insert(
                    "distance".into(),
                    serde_json::json!({"min_m": metres(min)?, "max_m": metres(max)?}),
                );
            }
            other => {
                return Err(format!(
                    "{other:?} is not part of a count line (kind, count, perception, weapon, bearing, distance, from)"
                ));
            }
        }
    }
    for needed in ["kind", "count", "perception"] {
        if !line.contains_key(needed) {
            return Err(format!("a count line needs {needed}=..."));
        }
    }
    Ok(Value::Object(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_line_reads_its_pairs_and_names_what_is_missing() {
        let line = count_line(
            "kind=impact,count=7,perception=heard,bearing=300,distance=2000-4000,from=af",
        )
        .unwrap();
        assert_eq!(
            line,
            serde_json::json!({"kind": "impact", "count": 7, "perception": "heard", "bearing_deg": 300,
                "distance": {"min_m": 2000, "max_m": 4000}, "from_side": "af"})
        );
        // A negative count passes the shape: the log refuses it, naming the field.
        assert_eq!(
            count_line("kind=impact,count=-3,perception=heard").unwrap()["count"],
            -3
        );
        assert!(
            count_line("kind=impact,count=7")
                .unwrap_err()
                .contains("perception")
        );
        assert!(
            count_line("kind=impact,count=seven,perception=heard")
                .unwrap_err()
                .contains("count")
        );
    }
}
