//! `truce geo`: where a point lies, and preparing an agreed geometry for a new mechanism.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use truce_geo::Geometry;

use crate::Failure;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Where a point lies: country (ISO 3166-1 code, or null outside every country of the
    /// geometry), province, geodesic distance to the border lines, nearest crossing.
    /// Prints JSON.
    #[command(allow_negative_numbers = true)]
    Locate {
        /// Latitude, WGS 84 decimal degrees.
        lat: String,
        /// Longitude, WGS 84 decimal degrees.
        lon: String,
        /// A geometry file (GeoJSON, as `truce geo import` takes) instead of the
        /// reference geometry built in.
        #[arg(long)]
        geometry: Option<PathBuf>,
    },
    /// Check a GeoJSON geometry (two or more countries' outlines by ISO 3166-1 code, the
    /// border lines, provinces,
    /// optionally crossings) and keep it in the data directory, where a node whose
    /// genesis names its SHA-256 computes with it. Prints the SHA-256 to put in the
    /// genesis (`border_geometry_sha256`).
    Import {
        file: PathBuf,
        /// The data directory [default: ./truce-data].
        #[arg(long = "data", env = "TRUCE_DATA_DIR", default_value = "truce-data")]
        data_dir: PathBuf,
    },
}

pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Locate { lat, lon, geometry } => locate(&lat, &lon, geometry.as_deref()),
        Command::Import { file, data_dir } => import(&file, &data_dir),
    }
}

fn locate(lat: &str, lon: &str, geometry: Option<&Path>) -> Result<(), Failure> {
    let lat = degrees("lat", lat)?;
    let lon = degrees("lon", lon)?;
    let loaded;
    let geometry = match geometry {
        Some(path) => {
            loaded = read_geometry(path)?;
            &loaded
        }
        None => Geometry::reference(),
    };
    let location = geometry
        .locate(lat, lon)
        .map_err(|e| Failure::usage(anyhow::anyhow!("{e}")))?;
    let json = serde_json::to_string_pretty(&location).map_err(Failure::check)?;
    println!("{json}");
    Ok(())
}

fn degrees(field: &str, text: &str) -> Result<f64, Failure> {
    text.trim().parse().map_err(|_| {
        Failure::usage(anyhow::anyhow!(
            "{field}: {text:?} is not a number of decimal degrees"
        ))
    })
}

fn read_geometry(path: &Path) -> Result<Geometry, Failure> {
    Ok(read_checked(path)?.0)
}

/// The file's bytes and the geometry they hold, from one read.
pub(crate) fn read_checked(path: &Path) -> Result<(Geometry, Vec<u8>), Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::usage(anyhow::anyhow!("{}: {e}", path.display())))?;
    let geometry = Geometry::from_geojson(&bytes)
        .map_err(|e| Failure::usage(anyhow::anyhow!("{}: {e}", path.display())))?;
    Ok((geometry, bytes))
}

fn import(file: &Path, data_dir: &Path) -> Result<(), Failure> {
    // The bytes written are the bytes checked (and hashed), not a second read.
    let (geometry, bytes) = read_checked(file)?;
    std::fs::create_dir_all(data_dir).map_err(Failure::usage)?;
    let target = data_dir.join(truce_server::IMPORTED_GEOMETRY_FILE);
    // Written aside and renamed, so a node never reads half a file.
    let partial = target.with_extension("geojson.partial");
    let mut out = std::fs::File::create(&partial).map_err(Failure::check)?;
    out.write_all(&bytes).map_err(Failure::check)?;
    out.sync_all().map_err(Failure::check)?;
    std::fs::rename(&partial, &target).map_err(Failure::check)?;
    println!(
        "{}",
        serde_json::json!({
            "sha256": geometry.sha256(),
            "file": target.display().to_string(),
            "provinces": geometry.provinces().len(),
            "crossings": geometry.crossings().len(),
            "genesis_field": "border_geometry_sha256",
        })
    );
    Ok(())
}
