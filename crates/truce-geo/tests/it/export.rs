//! GeoJSON exports: valid RFC 7946 feature collections, and small enough for display.

use truce_geo::{Geometry, Resolution};

/// Border, provinces and countries together, simplified: what a map page loads.
const DISPLAY_BYTES_MAX: usize = 150 * 1024;

fn size(resolution: Resolution) -> (usize, usize, usize) {
    let geometry = Geometry::reference();
    (
        geometry.border_geojson(resolution).len(),
        geometry.provinces_geojson(resolution).len(),
        geometry.countries_geojson(resolution).len(),
    )
}

#[test]
fn simplified_display_geometry_fits_a_slow_link() {
    let (border, provinces, countries) = size(Resolution::Display);
    let (full_border, full_provinces, full_countries) = size(Resolution::Full);
    println!(
        "display bytes: border {border}, provinces {provinces}, countries {countries}, total {}",
        border + provinces + countries
    );
    println!(
        "full bytes: border {full_border}, provinces {full_provinces}, countries {full_countries}, total {}",
        full_border + full_provinces + full_countries
    );
    assert!(border + provinces + countries <= DISPLAY_BYTES_MAX);
}

#[test]
fn exports_parse_back_as_feature_collections() {
    let geometry = Geometry::reference();
    for resolution in [Resolution::Full, Resolution::Display] {
        for text in [
            geometry.border_geojson(resolution),
            geometry.provinces_geojson(resolution),
            geometry.countries_geojson(resolution),
        ] {
            let collection: geojson::FeatureCollection =
                serde_json::from_str(&text).expect("a FeatureCollection");
            assert!(!collection.features.is_empty());
        }
    }
    let crossings: geojson::FeatureCollection =
        serde_json::from_str(&geometry.crossings_geojson()).expect("crossings");
    assert_eq!(crossings.features.len(), geometry.crossings().len());
}

#[test]
fn coordinates_are_rounded_to_five_or_four_decimals() {
    let geometry = Geometry::reference();
    let decimals_max = |text: &str| {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter_map(|number| number.split_once('.').map(|(_, fraction)| fraction.len()))
            .max()
            .unwrap_or(0)
    };
    assert!(decimals_max(&geometry.border_geojson(Resolution::Full)) <= 5);
    assert!(decimals_max(&geometry.border_geojson(Resolution::Display)) <= 4);
    assert!(decimals_max(&geometry.provinces_geojson(Resolution::Display)) <= 4);
}

#[test]
fn province_features_carry_codes_and_names() {
    let text = Geometry::reference().provinces_geojson(Resolution::Display);
    let collection: geojson::FeatureCollection = serde_json::from_str(&text).expect("parses");
    let kabul = collection
        .features
        .iter()
        .find(|f| {
            f.properties
                .as_ref()
                .and_then(|p| p.get("iso_3166_2"))
                .and_then(|v| v.as_str())
                == Some("AF-KAB")
        })
        .expect("Kabul");
    let properties = kabul.properties.as_ref().expect("properties");
    assert_eq!(properties["name"], "Kabul");
    assert!(properties["name_ps"].is_null());
    assert_eq!(properties["name_ar"], "ولاية كابول");
    assert_eq!(properties["name_tr"], "Kâbil Vilayeti");
    assert_eq!(properties["country"], "AF");
}
