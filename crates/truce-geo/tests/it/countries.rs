//! Any states: a geometry names two or more countries by ISO 3166-1 code, with border lines
//! between them and crossings whose places are keyed by country.

use truce_geo::{Country, GeoError, Geometry};

/// A square of 1° with its lower left corner at (`x`, 10).
fn square(x: f64) -> String {
    format!(
        "[[[{x},10],[{},10],[{},11],[{x},11],[{x},10]]]",
        x + 1.0,
        x + 1.0
    )
}

fn feature(properties: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{properties},"geometry":{geometry}}}"#)
}

/// Three countries side by side (TH, LA, KH from west to east), two border lines.
fn three_countries(extra: &[String]) -> String {
    let mut features = vec![];
    for (i, code) in ["TH", "LA", "KH"].into_iter().enumerate() {
        let area = format!(
            r#"{{"type":"Polygon","coordinates":{}}}"#,
            square(100.0 + i as f64)
        );
        features.push(feature(
            &format!(r#"{{"kind":"country","country":"{code}"}}"#),
            &area,
        ));
        features.push(feature(
            &format!(r#"{{"kind":"province","country":"{code}","iso_3166_2":"{code}-1","name":"One of {code}"}}"#),
            &area,
        ));
    }
    for x in [101, 102] {
        features.push(feature(
            r#"{"kind":"border"}"#,
            &format!(r#"{{"type":"LineString","coordinates":[[{x},10],[{x},11]]}}"#),
        ));
    }
    features.extend_from_slice(extra);
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn crossing(places: &str) -> String {
    feature(
        &format!(
            r#"{{"kind":"crossing","id":"gate","name":"Gate",{places}"position":"cited","source":"test"}}"#
        ),
        r#"{"type":"Point","coordinates":[101,10.5]}"#,
    )
}

#[test]
fn three_countries_and_two_border_lines_are_located() {
    let gate = crossing(r#""th_place":"West gate","la_place":"East gate","#);
    let geometry = Geometry::from_geojson(three_countries(&[gate]).as_bytes()).expect("valid");
    let codes: Vec<&str> = geometry.countries().map(Country::code).collect();
    assert_eq!(codes, ["TH", "LA", "KH"]);
    for (lon, code) in [(100.5, "TH"), (101.5, "LA"), (102.9, "KH")] {
        let location = geometry.locate(10.5, lon).unwrap();
        assert_eq!(location.country.map(Country::code), Some(code), "{lon}");
        assert_eq!(
            location.admin1.map(truce_geo::Province::iso_3166_2),
            Some(format!("{code}-1").as_str())
        );
    }
    // The nearest of the two lines counts: 0.1° east of the second.
    let east = geometry.locate(10.5, 102.1).unwrap();
    assert!((east.border_distance_km - 10.9).abs() < 0.2, "{east:?}");
    let places = &geometry.crossings()[0].places;
    assert_eq!(places[&Country::parse("LA").unwrap()], "East gate");
    let served = geometry.crossings_geojson();
    assert!(served.contains(r#""th_place":"West gate""#), "{served}");
}

#[test]
fn a_country_code_iso_does_not_assign_is_refused_naming_the_field() {
    let bad = three_countries(&[]).replace(r#""country":"LA"}"#, r#""country":"XL"}"#);
    let error = Geometry::from_geojson(bad.as_bytes()).expect_err("XL");
    assert_eq!(error.field(), Some("properties.country"), "{error}");
    assert!(error.to_string().contains("ISO 3166-1"), "{error}");
    let place = crossing(r#""xl_place":"Nowhere","#);
    let error = Geometry::from_geojson(three_countries(&[place]).as_bytes()).expect_err("xl");
    assert_eq!(error.field(), Some("properties.xl_place"), "{error}");
}

#[test]
fn a_province_or_place_of_a_country_without_an_outline_is_refused() {
    let province = feature(
        r#"{"kind":"province","country":"VN","iso_3166_2":"VN-1","name":"V"}"#,
        &format!(r#"{{"type":"Polygon","coordinates":{}}}"#, square(103.0)),
    );
    let error = Geometry::from_geojson(three_countries(&[province]).as_bytes()).expect_err("VN");
    assert_eq!(error.field(), Some("properties.country"), "{error}");
    let place = crossing(r#""vn_place":"Elsewhere","#);
    let error = Geometry::from_geojson(three_countries(&[place]).as_bytes()).expect_err("vn");
    assert_eq!(error.field(), Some("properties.vn_place"), "{error}");
    assert!(matches!(error, GeoError::InvalidFeature { .. }));
}
