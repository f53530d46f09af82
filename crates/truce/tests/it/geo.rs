//! `truce geo locate` and `truce geo import` as a user runs them.

use std::process::Command;

use serde_json::Value;

fn truce(args: &[&str]) -> (i32, Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    (output.status.code().unwrap(), json, stderr)
}

#[test]
fn locate_answers_json_for_both_sides_and_outside() {
    let (code, peshawar, _) = truce(&["geo", "locate", "34.0151", "71.5249"]);
    assert_eq!(code, 0);
    assert_eq!(peshawar["country"], "PK");
    assert_eq!(peshawar["admin1"], "Khyber Pakhtunkhwa");
    let km = peshawar["border_distance_km"].as_f64().unwrap();
    assert!((30.0..60.0).contains(&km), "{km}");
    let (_, jalalabad, _) = truce(&["geo", "locate", "34.4265", "70.4515"]);
    assert_eq!(jalalabad["country"], "AF");
    assert_eq!(jalalabad["admin1_code"], "AF-NAN");
    let (_, outside, _) = truce(&["geo", "locate", "-33.9", "18.4"]);
    assert_eq!(outside["country"], Value::Null);
}

#[test]
fn bad_coordinates_exit_2_naming_the_field() {
    for (lat, lon, field) in [
        ("95", "70", "lat"),
        ("34", "east", "lon"),
        ("34", "200", "lon"),
    ] {
        let (code, _, stderr) = truce(&["geo", "locate", lat, lon]);
        assert_eq!(code, 2, "{lat} {lon}");
        assert!(stderr.contains(field), "{lat} {lon}: {stderr}");
    }
}

#[test]
fn import_keeps_a_checked_geometry_and_names_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agreed.geojson");
    std::fs::write(&file, truce_geo::reference_geojson()).unwrap();
    let data = dir.path().join("data");
    let (code, answer, stderr) = truce(&[
        "geo",
        "import",
        file.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["sha256"], truce_geo::REFERENCE_SHA256);
    assert!(data.join("geometry.geojson").exists());
    std::fs::write(&file, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let (code, _, stderr) = truce(&["geo", "import", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
}
