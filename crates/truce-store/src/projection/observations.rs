//! Sensors and observations in the projection: a row per sensor, per status, per
//! observation (with its place in the agreed geometry and its totals, for the daily
//! counts), per counted line and per link. Nothing is rewritten by later entries.

use truce_core::KeyRecord;
use truce_core::mechanism::{Observation, SensorRegistered, SensorStatus};
use truce_log::SignedEntry;

use super::geography::ReportGeography;
use super::{Arg, Column, Table, Write, index, int, opt_real, text};

pub const SENSORS: Table = Table {
    name: "sensors",
    columns: &[
        ("idx", Column::Int),
        ("id", Column::Text),
        ("kind", Column::Text),
        ("name", Column::Text),
        ("note", Column::Text),
        ("lat", Column::Real),
        ("lon", Column::Real),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM sensors",
};

pub const SENSOR_STATUSES: Table = Table {
    name: "sensor_statuses",
    columns: &[
        ("idx", Column::Int),
        ("sensor", Column::Text),
        ("state", Column::Text),
        ("since", Column::Text),
        ("since_s", Column::Int),
        ("reason", Column::Text),
        ("reported_by", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM sensor_statuses",
};

pub const OBSERVATIONS: Table = Table {
    name: "observations",
    columns: &[
        ("idx", Column::Int),
        ("platform", Column::Text),
        ("sensor", Column::Text),
        ("lat", Column::Real),
        ("lon", Column::Real),
        ("place", Column::Text),
        ("start_at", Column::Text),
        ("end_at", Column::Text),
        ("start_s", Column::Int),
        ("end_s", Column::Int),
        ("day", Column::Text),
        ("country", Column::Text),
        ("province", Column::Text),
        ("province_code", Column::Text),
        ("sector", Column::Text),
        ("border_distance_km", Column::Real),
        ("total", Column::Int),
        ("explosions", Column::Int),
        ("note", Column::Text),
        ("reported_by", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM observations",
};

pub const OBSERVATION_COUNTS: Table = Table {
    name: "observation_counts",
    columns: &[
        ("idx", Column::Int),
        ("n", Column::Int),
        ("kind", Column::Text),
        ("count", Column::Int),
        ("perception", Column::Text),
        ("weapon", Column::Text),
        ("bearing_deg", Column::Int),
        ("distance_min_m", Column::Int),
        ("distance_max_m", Column::Int),
        ("from_side", Column::Text),
    ],
    order_by: "idx, n",
    delete_all: "DELETE FROM observation_counts",
};

pub const OBSERVATION_LINKS: Table = Table {
    name: "observation_links",
    columns: &[
        ("idx", Column::Int),
        ("target", Column::Int),
        ("target_kind", Column::Text),
    ],
    order_by: "idx, target_kind, target",
    delete_all: "DELETE FROM observation_links",
};

const INSERT_SENSOR: &str = "INSERT INTO sensors \
    (idx, id, kind, name, note, lat, lon, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const INSERT_STATUS: &str = "INSERT INTO sensor_statuses \
    (idx, sensor, state, since, since_s, reason, reported_by, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const INSERT_OBSERVATION: &str = "INSERT INTO observations (idx, platform, sensor, lat, lon, \
    place, start_at, end_at, start_s, end_s, day, country, province, province_code, sector, \
    border_distance_km, total, explosions, note, reported_by, author, signed_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
    $19, $20, $21, $22)";
pub(crate) const INSERT_COUNT: &str = "INSERT INTO observation_counts (idx, n, kind, count, perception, \
    weapon, bearing_deg, distance_min_m, distance_max_m, from_side) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const INSERT_LINK: &str =
    "INSERT INTO observation_links (idx, target, target_kind) VALUES ($1, $2, $3)";

fn opt_int(value: Option<impl Into<i64>>) -> Arg {
    value.map_or(Arg::NullInt, |v| Arg::Int(v.into()))
}

pub fn sensor(at: u64, entry: &SignedEntry, sensor: &SensorRegistered) -> Vec<Write> {
    let envelope = entry.envelope();
    let args = vec![
        index(at),
        text(sensor.id.as_str()),
        text(sensor.kind.as_str()),
        text(sensor.name.clone()),
        Arg::opt_text(sensor.note.as_deref()),
        opt_real(sensor.position.map(|p| p.lat)),
        opt_real(sensor.position.map(|p| p.lon)),
        text(envelope.author.as_str()),
        text(envelope.time.as_str()),
    ];
    vec![Write {
        sql: INSERT_SENSOR,
        args,
    }]
}

pub fn status(
    at: u64,
    entry: &SignedEntry,
    status: &SensorStatus,
    signer: &KeyRecord,
) -> Vec<Write> {
    let envelope = entry.envelope();
    let args = vec![
        index(at),
        text(status.sensor.as_str()),
        text(status.state.as_str()),
        text(status.since.as_str()),
        int(status.since.unix_seconds()),
        Arg::opt_text(status.reason.as_deref()),
        text(signer.delegation.as_str()),
        text(envelope.author.as_str()),
        text(envelope.time.as_str()),
    ];
    vec![Write {
        sql: INSERT_STATUS,
        args,
    }]
}

pub fn observation(
    at: u64,
    entry: &SignedEntry,
    seen: &Observation,
    signer: &KeyRecord,
    geography: Option<&ReportGeography>,
) -> Vec<Write> {
    let envelope = entry.envelope();
    let place = geography.map(|g| &g.point);
    let mut args = vec![
        index(at),
        text(seen.platform.as_str()),
        Arg::opt_text(
            seen.sensor
                .as_ref()
                .map(truce_core::mechanism::SensorId::as_str),
        ),
        Arg::Real(seen.position.lat),
        Arg::Real(seen.position.lon),
        text(seen.place.clone()),
        text(seen.start.as_str()),
        text(seen.end.as_str()),
        int(seen.start.unix_seconds()),
        int(seen.end.unix_seconds()),
        text(seen.end.instant().date().to_string()),
    ];
    args.extend([
        Arg::opt_text(place.and_then(|p| p.country)),
        Arg::opt_text(place.and_then(|p| p.admin1.as_deref())),
        Arg::opt_text(place.and_then(|p| p.admin1_code.as_deref())),
        Arg::opt_text(
            place
                .and_then(|p| p.nearest_crossing.as_ref())
                .map(|(id, _)| id.as_str()),
        ),
        opt_real(place.map(|p| p.border_distance_km)),
        int(seen.total()),
        int(seen.explosions()),
        Arg::opt_text(seen.note.as_deref()),
        text(signer.delegation.as_str()),
        text(envelope.author.as_str()),
        text(envelope.time.as_str()),
    ]);
    let mut writes = vec![Write {
        sql: INSERT_OBSERVATION,
        args,
    }];
    writes.extend(seen.counts.iter().enumerate().map(|(n, line)| Write {
        sql: INSERT_COUNT,
        args: vec![
            index(at),
            index(n as u64),
            text(line.kind.as_str()),
            int(line.count),
            text(line.perception.as_str()),
            Arg::opt_text(line.weapon.map(truce_core::mechanism::WeaponClass::as_str)),
            opt_int(line.bearing_deg),
            opt_int(line.distance.map(|d| d.min_m)),
            opt_int(line.distance.map(|d| d.max_m)),
            Arg::opt_text(line.from_side.as_ref().map(truce_core::DelegationId::as_str)),
        ],
    }));
    let links = seen.reports.iter().map(|r| (r, "report"));
    let links = links.chain(seen.incidents.iter().map(|i| (i, "incident")));
    writes.extend(links.map(|(target, kind)| Write {
        sql: INSERT_LINK,
        args: vec![index(at), index(*target), text(kind)],
    }));
    writes
}
