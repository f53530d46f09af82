//! `Geometry::from_geojson`: the reference file round-trips; broken files are refused with an
//! error naming the feature, the field and the reason.

use truce_geo::{GeoError, Geometry, reference_geojson};

fn without(kind_and_value: &str) -> String {
    let text = std::str::from_utf8(reference_geojson()).expect("utf-8");
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.contains(kind_and_value))
        .collect();
    lines.join("\n").replace(",\n]}", "\n]}")
}

#[test]
fn the_reference_file_parses_and_keeps_its_hash() {
    let geometry = Geometry::from_geojson(reference_geojson()).expect("valid");
    assert_eq!(geometry.sha256(), truce_geo::REFERENCE_SHA256);
    assert_eq!(
        geometry.crossings(),
        Geometry::reference().crossings(),
        "the crossings are features of the file itself"
    );
    assert_eq!(geometry.crossings().len(), 10);
    assert_eq!(
        geometry
            .locate(34.5553, 69.2075)
            .expect("valid")
            .admin1
            .map(truce_geo::Province::name),
        Some("Kabul")
    );
}

#[test]
fn a_file_with_one_country_is_refused() {
    let error = Geometry::from_geojson(without(r#""kind":"country","country":"PK""#).as_bytes())
        .expect_err("one country");
    assert!(
        matches!(&error, GeoError::Missing(what) if what.contains("at least two countries")),
        "{error}"
    );
}

#[test]
fn a_file_without_border_is_refused() {
    let error =
        Geometry::from_geojson(without(r#""kind":"border""#).as_bytes()).expect_err("no border");
    assert!(error.to_string().contains("border"), "{error}");
}

#[test]
fn errors_name_the_feature_and_field() {
    let cases = [
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
            "properties.kind",
        ),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"country","country":"XX"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
            "properties.country",
        ),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"border"},"geometry":{"type":"LineString","coordinates":[[70,30],[70,95]]}}]}"#,
            "geometry.coordinates",
        ),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"province","country":"AF","name":"X"},"geometry":{"type":"Polygon","coordinates":[[[70,30],[71,30],[71,31],[70,30]]]}}]}"#,
            "properties.iso_3166_2",
        ),
    ];
    for (text, field) in cases {
        let error = Geometry::from_geojson(text.as_bytes()).expect_err("invalid");
        assert_eq!(error.field(), Some(field), "{error}");
        assert!(error.to_string().starts_with("features[0]"), "{error}");
    }
}

#[test]
fn bytes_that_are_not_geojson_are_refused() {
    assert!(matches!(
        Geometry::from_geojson(b"not json"),
        Err(GeoError::Json(_))
    ));
    assert!(matches!(
        Geometry::from_geojson(br#"{"type":"Point","coordinates":[1,2]}"#),
        Err(GeoError::Json(_))
    ));
}
