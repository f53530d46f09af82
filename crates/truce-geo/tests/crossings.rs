//! The gazetteer: every required crossing is present, and lies on the border line.

use truce_geo::{Geometry, PositionKind, parse_gazetteer};

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

#[test]
fn a_gazetteer_with_bad_coordinates_or_duplicate_ids_is_refused() {
    let entry = |id: &str, lat: f64| {
        format!(
            r#"{{"id":"{id}","name":"X","name_ps":null,"name_ur":null,"name_fa":null,"af_place":"a","pk_place":"b","lat":{lat},"lon":70.0,"position":"cited","source":"s","source_lat":null,"source_lon":null}}"#
        )
    };
    let bad_lat = format!(r#"{{"about":"","crossings":[{}]}}"#, entry("x", 95.0));
    let error = parse_gazetteer(bad_lat.as_bytes()).expect_err("lat out of range");
    assert_eq!(error.field(), Some("lat"), "{error}");
    let duplicate = format!(
        r#"{{"about":"","crossings":[{},{}]}}"#,
        entry("x", 30.0),
        entry("x", 31.0)
    );
    assert_eq!(
        parse_gazetteer(duplicate.as_bytes())
            .expect_err("duplicate")
            .field(),
        Some("id")
    );
}
