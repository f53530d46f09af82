//! Truce's geography: an agreed geometry (two or more countries named by ISO 3166-1 code,
//! the border lines between them, their provinces and the border crossings, all in one file
//! under one hash; the crate embeds the reference geometry of the exercise); and `locate`,
//! which tells for a point its country, province, geodesic distance to the border lines and
//! nearest crossing.
//!
//! Pure: no I/O beyond parsing the bytes it is given (the reference file is embedded with
//! `include_bytes!`). It never reads files, the network or the clock, and never panics on
//! input: invalid coordinates and invalid geometry files are errors naming the field.
//!
//! Distances are geodesic on the WGS84 ellipsoid (Karney's algorithm, through `geo`).
//! GeoJSON in and out follows RFC 7946: longitude before latitude, segments straight in
//! longitude/latitude (section 3.1.1).

mod area;
mod border;
mod coordinates;
mod country;
mod crossings;
mod earth;
mod error;
mod export;
mod geometry;
mod location;
mod parse;
mod province;

pub use country::Country;
pub use crossings::{Crossing, PositionKind};
pub use error::GeoError;
pub use export::Resolution;
pub use geometry::Geometry;
pub use location::{Location, NearestCrossing, to_metre};
pub use parse::GEOJSON_BYTES_MAX;
pub use province::Province;

/// SHA-256 (hex) of `data/reference.geojson` (outlines, border line, provinces and crossings):
/// the genesis entry records it, so that every node can check it computes with the agreed
/// geometry. A test keeps it equal to the file's hash.
pub const REFERENCE_SHA256: &str =
    "699897420506e0fa4aa2d09790c95859ad0f76d4edff5b5d179e22353b167607";

/// SHA-256 (hex) of the embedded reference geometry file.
#[must_use]
pub fn reference_sha256() -> &'static str {
    REFERENCE_SHA256
}

/// The embedded reference geometry file itself (RFC 7946 GeoJSON), for export and hashing.
#[must_use]
pub fn reference_geojson() -> &'static [u8] {
    geometry::REFERENCE_GEOJSON
}

/// Geodesic distance in kilometres between two points on WGS84 (no validation).
#[must_use]
pub fn geodesic_distance_km(lat_a: f64, lon_a: f64, lat_b: f64, lon_b: f64) -> f64 {
    earth::geodesic_m(
        geo::Coord { x: lon_a, y: lat_a },
        geo::Coord { x: lon_b, y: lat_b },
    ) / 1000.0
}
