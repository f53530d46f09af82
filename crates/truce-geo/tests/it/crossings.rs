//! The crossings: every required one is present, lies on the border line, and is exactly the
//! curated gazetteer the derivation folded into the reference file; crossing features of an
//! imported file are validated.

use truce_geo::{Crossing, Geometry, PositionKind, reference_geojson};

const REQUIRED: [&str; 10] = [
    "torkham",
    "chaman-spin-boldak",
    "ghulam-khan",
    "angoor-adda",
    "kharlachi",
    "nawa-pass",
    "arandu",
    "badini",
    "gursal",
    "bahramcha",
];

#[test]
fn every_required_crossing_is_in_the_gazetteer() {
    let ids: Vec<&str> = Geometry::reference()
        .crossings()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    for id in REQUIRED {
        assert!(ids.contains(&id), "{id} missing");
    }
}

#[test]
fn every_crossing_lies_within_two_km_of_the_border_line() {
    for crossing in Geometry::reference().crossings() {
        let location = Geometry::reference()
            .locate(crossing.lat, crossing.lon)
            .expect("valid");
        println!(
            "{}: {:.3} km from the line ({:?})",
            crossing.id, location.border_distance_km, crossing.position
        );
        assert!(
            location.border_distance_km < 2.0,
            "{} is {:.3} km from the line",
            crossing.id,
            location.border_distance_km
        );
    }
}

#[test]
fn snapped_crossings_say_where_they_were_snapped_from() {
    for crossing in Geometry::reference().crossings() {
        let has_source_point = crossing.source_lat.is_some() && crossing.source_lon.is_some();
        assert_eq!(
            has_source_point,
            crossing.position == PositionKind::SnappedToBorder,
            "{}",
            crossing.id
        );
        assert!(!crossing.source.is_empty(), "{}", crossing.id);
        assert!(
            crossing
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} is not a slug",
            crossing.id
        );
    }
}

/// The curated input of the derivation (`derive/crossings.json`).
#[derive(serde::Deserialize)]
struct Gazetteer {
    crossings: Vec<Crossing>,
}

#[test]
fn the_reference_crossings_are_the_curated_gazetteer_in_its_order() {
    let curated: Gazetteer =
        serde_json::from_slice(include_bytes!("../../derive/crossings.json")).expect("parses");
    assert_eq!(
        Geometry::reference().crossings(),
        curated.crossings.as_slice()
    );
}

#[test]
fn crossings_are_covered_by_the_reference_hash() {
    let text = std::str::from_utf8(reference_geojson()).expect("utf-8");
    let crossing_lines = text
        .lines()
        .filter(|line| line.contains(r#""kind":"crossing""#))
        .count();
    assert_eq!(crossing_lines, Geometry::reference().crossings().len());
    // Without its crossings the same file is another geometry, with another hash.
    let without: Vec<&str> = text
        .lines()
        .filter(|line| !line.contains(r#""kind":"crossing""#))
        .collect();
    let without = without.join("\n").replace(",\n]}", "\n]}");
    let geometry = Geometry::from_geojson(without.as_bytes()).expect("valid");
    assert!(geometry.crossings().is_empty());
    assert_ne!(geometry.sha256(), truce_geo::REFERENCE_SHA256);
}

/// A minimal geometry file (two triangles, a line, one province each) plus `crossings`.
fn file_with(crossings: &[String]) -> String {
    let triangle = |x: f64| format!("[[[{x},30],[{},30],[{x},31],[{x},30]]]", x + 1.0);
    let mut features = vec![
        format!(
            r#"{{"type":"Feature","properties":{{"kind":"country","country":"AF"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            triangle(69.0)
        ),
        format!(
            r#"{{"type":"Feature","properties":{{"kind":"country","country":"PK"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            triangle(70.0)
        ),
        r#"{"type":"Feature","properties":{"kind":"border"},"geometry":{"type":"LineString","coordinates":[[70,30],[70,31]]}}"#.to_owned(),
        format!(
            r#"{{"type":"Feature","properties":{{"kind":"province","iso_3166_2":"AF-X","country":"AF","name":"X"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            triangle(69.0)
        ),
        format!(
            r#"{{"type":"Feature","properties":{{"kind":"province","iso_3166_2":"PK-Y","country":"PK","name":"Y"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            triangle(70.0)
        ),
    ];
    features.extend_from_slice(crossings);
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn crossing(id: &str, extra: &str, lon: f64, lat: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"kind":"crossing","id":"{id}","name":"X"{extra}}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
    )
}

#[test]
fn an_imported_file_carries_its_own_crossings() {
    let text = file_with(&[
        crossing("a", "", 70.0, 30.5),
        crossing(
            "b",
            r#","position":"snapped_to_border","source":"s","source_lat":30.6,"source_lon":70.2"#,
            70.0,
            30.6,
        ),
    ]);
    let geometry = Geometry::from_geojson(text.as_bytes()).expect("valid");
    let crossings = geometry.crossings();
    assert_eq!(crossings.len(), 2);
    assert_eq!(crossings[0].position, PositionKind::Cited);
    assert_eq!(crossings[1].position, PositionKind::SnappedToBorder);
    assert_eq!(
        (crossings[1].source_lat, crossings[1].source_lon),
        (Some(30.6), Some(70.2))
    );
    let location = geometry.locate(30.59, 70.01).expect("valid");
    assert_eq!(
        location.nearest_crossing.expect("a crossing").crossing.id,
        "b"
    );
}

#[test]
fn bad_crossing_features_are_refused_naming_the_field() {
    let cases = [
        (crossing("x", "", 70.0, 95.0), "geometry.coordinates"),
        (
            format!("{},{}", crossing("x", "", 70.0, 30.0), crossing("x", "", 70.0, 31.0)),
            "properties.id",
        ),
        (crossing("x", r#","position":"guessed""#, 70.0, 30.0), "properties.position"),
        (
            crossing("x", r#","position":"snapped_to_border""#, 70.0, 30.0),
            "properties.source_lat",
        ),
        (
            crossing("x", r#","source_lat":30.1,"source_lon":70.1"#, 70.0, 30.0),
            "properties.source_lat",
        ),
        (
            crossing(
                "x",
                r#","position":"snapped_to_border","source_lat":30.1,"source_lon":190"#,
                70.0,
                30.0,
            ),
            "properties.source_lon",
        ),
        (
            crossing("x", r#","source_lat":"north""#, 70.0, 30.0),
            "properties.source_lat",
        ),
        (
            r#"{"type":"Feature","properties":{"kind":"crossing","id":"x","name":"X"},"geometry":{"type":"LineString","coordinates":[[70,30],[70,31]]}}"#.to_owned(),
            "geometry",
        ),
    ];
    for (features, field) in cases {
        let error = Geometry::from_geojson(file_with(&[features]).as_bytes()).expect_err(field);
        assert_eq!(error.field(), Some(field), "{error}");
        assert!(error.to_string().contains("(x)"), "{error}");
    }
}
