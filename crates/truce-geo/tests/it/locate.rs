//! Known places on both sides of the line and outside both countries.

use truce_geo::{Country, GeoError, Geometry, REFERENCE_SHA256, reference_geojson};

fn af() -> Country {
    Country::parse("AF").unwrap()
}

fn pk() -> Country {
    Country::parse("PK").unwrap()
}

/// Locates a place and checks its country and province code.
fn check(place: &str, lat: f64, lon: f64, country: Option<Country>, admin1_code: Option<&str>) {
    let location = Geometry::reference()
        .locate(lat, lon)
        .expect("valid coordinates");
    assert_eq!(location.country, country, "{place}: country");
    assert_eq!(
        location.admin1.map(truce_geo::Province::iso_3166_2),
        admin1_code,
        "{place}: province"
    );
}

#[test]
fn places_in_afghanistan_are_in_their_provinces() {
    check("Kabul", 34.5553, 69.2075, Some(af()), Some("AF-KAB"));
    check("Jalalabad", 34.4265, 70.4515, Some(af()), Some("AF-NAN"));
    check(
        "Bazarak (Panjshir)",
        35.3129,
        69.5152,
        Some(af()),
        Some("AF-PAN"),
    );
    check(
        "Charikar (Parwan)",
        35.0136,
        69.1714,
        Some(af()),
        Some("AF-PAR"),
    );
    check(
        "Nili (Daykundi)",
        33.7218,
        66.1302,
        Some(af()),
        Some("AF-DAY"),
    );
    check(
        "Tarinkot (Uruzgan)",
        32.6271,
        65.8783,
        Some(af()),
        Some("AF-URU"),
    );
    check(
        "Gardez (Paktia)",
        33.5974,
        69.2259,
        Some(af()),
        Some("AF-PIA"),
    );
    check(
        "Sharana (Paktika)",
        33.1319,
        68.7810,
        Some(af()),
        Some("AF-PKA"),
    );
    check("Kandahar", 31.6289, 65.7372, Some(af()), Some("AF-KAN"));
}

#[test]
fn places_in_pakistan_are_in_their_provinces() {
    check("Peshawar", 34.0151, 71.5249, Some(pk()), Some("PK-KP"));
    check("Quetta", 30.1798, 66.9750, Some(pk()), Some("PK-BA"));
    check("Islamabad", 33.6844, 73.0479, Some(pk()), Some("PK-IS"));
    check("Lahore", 31.5204, 74.3587, Some(pk()), Some("PK-PB"));
}

#[test]
fn former_fata_is_in_khyber_pakhtunkhwa() {
    check("Miranshah", 33.0010, 70.0710, Some(pk()), Some("PK-KP"));
    check("Wana", 32.3050, 69.5830, Some(pk()), Some("PK-KP"));
    check("Parachinar", 33.8992, 70.1008, Some(pk()), Some("PK-KP"));
    check("Landi Kotal", 34.0988, 71.1411, Some(pk()), Some("PK-KP"));
}

#[test]
fn places_outside_both_countries_have_no_country_but_a_distance() {
    for (place, lat, lon) in [
        ("Tehran", 35.6892, 51.3890),
        ("Delhi", 28.6139, 77.2090),
        ("Dushanbe", 38.5598, 68.7870),
    ] {
        let location = Geometry::reference()
            .locate(lat, lon)
            .expect("valid coordinates");
        assert_eq!(location.country, None, "{place}");
        assert!(location.admin1.is_none(), "{place}");
        assert!(
            location.border_distance_km > 100.0,
            "{place}: {}",
            location.border_distance_km
        );
        assert!(location.nearest_crossing.is_some(), "{place}");
    }
}

#[test]
fn torkham_lies_on_the_line_and_peshawar_some_forty_km_from_it() {
    let torkham = Geometry::reference()
        .locate(34.11472, 71.08472)
        .expect("valid");
    assert!(
        torkham.border_distance_km < 2.0,
        "Torkham {}",
        torkham.border_distance_km
    );
    let peshawar = Geometry::reference()
        .locate(34.0151, 71.5249)
        .expect("valid");
    // Peshawar's centre is 42 km from Torkham; the line's nearest point is just north of it.
    assert!(
        (35.0..60.0).contains(&peshawar.border_distance_km),
        "Peshawar {}",
        peshawar.border_distance_km
    );
    let crossing = peshawar.nearest_crossing.expect("a crossing");
    assert_eq!(crossing.crossing.id, "torkham");
}

#[test]
fn invalid_coordinates_are_errors_naming_the_field() {
    let geometry = Geometry::reference();
    for (lat, lon, field) in [
        (f64::NAN, 70.0, "lat"),
        (91.0, 70.0, "lat"),
        (-90.5, 0.0, "lat"),
        (30.0, f64::INFINITY, "lon"),
        (30.0, 180.5, "lon"),
        (30.0, -181.0, "lon"),
    ] {
        let error = geometry.locate(lat, lon).expect_err("invalid");
        assert_eq!(error.field(), Some(field), "{lat} {lon}: {error}");
        assert!(matches!(error, GeoError::InvalidCoordinate { .. }));
        assert!(error.to_string().starts_with(field), "{error}");
    }
    assert!(geometry.locate(90.0, 180.0).is_ok() && geometry.locate(-90.0, -180.0).is_ok());
}

#[test]
fn location_json_has_exactly_the_agreed_fields() {
    let location = Geometry::reference()
        .locate(34.5553, 69.2075)
        .expect("valid");
    let json = serde_json::to_value(location).expect("serializes");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    // serde_json's map sorts its keys; the serialized text keeps the declared order.
    assert_eq!(
        keys,
        [
            "admin1",
            "admin1_code",
            "border_distance_km",
            "country",
            "nearest_crossing"
        ]
    );
    let text = serde_json::to_string(&location).expect("serializes");
    assert!(
        text.starts_with(
            r#"{"country":"AF","admin1":"Kabul","admin1_code":"AF-KAB","border_distance_km":"#
        ),
        "{text}"
    );
    assert_eq!(json["country"], "AF");
    assert_eq!(json["admin1"], "Kabul");
    assert_eq!(json["admin1_code"], "AF-KAB");
    let crossing: Vec<&str> = json["nearest_crossing"]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(crossing, ["distance_km", "name"]);
    let outside = serde_json::to_value(
        Geometry::reference()
            .locate(35.6892, 51.3890)
            .expect("valid"),
    )
    .expect("json");
    assert!(
        outside["country"].is_null()
            && outside["admin1"].is_null()
            && outside["admin1_code"].is_null()
    );
    assert!(outside["border_distance_km"].as_f64().expect("number") > 1000.0);
}

#[test]
fn the_recorded_sha256_is_the_embedded_files() {
    use sha2::{Digest, Sha256};
    assert_eq!(
        hex::encode(Sha256::digest(reference_geojson())),
        REFERENCE_SHA256
    );
    assert_eq!(Geometry::reference().sha256(), REFERENCE_SHA256);
    assert_eq!(truce_geo::reference_sha256(), REFERENCE_SHA256);
}

#[test]
fn provinces_carry_names_in_the_languages_the_data_has() {
    let provinces = Geometry::reference().provinces();
    assert_eq!(provinces.iter().filter(|p| p.country() == af()).count(), 34);
    assert_eq!(provinces.iter().filter(|p| p.country() == pk()).count(), 7);
    assert!(
        provinces.iter().all(|p| p.name_ps().is_none()),
        "no source of Pashto province names (see the README): none rather than invented"
    );
    assert!(
        provinces
            .iter()
            .all(|p| p.name_fa().is_some() && p.name_ur().is_some())
    );
    // Natural Earth's Arabic and Turkish names, except where they are another province's
    // (Panjshir, Daykundi) or stale (Khyber Pakhtunkhwa's Turkish name is the pre-2010 one).
    let without = |name: fn(&truce_geo::Province) -> Option<&str>| {
        let mut codes: Vec<&str> = provinces
            .iter()
            .filter(|p| name(p).is_none())
            .map(truce_geo::Province::iso_3166_2)
            .collect();
        codes.sort_unstable();
        codes
    };
    assert_eq!(without(truce_geo::Province::name_ar), ["AF-DAY", "AF-PAN"]);
    assert_eq!(
        without(truce_geo::Province::name_tr),
        ["AF-DAY", "AF-PAN", "PK-KP"]
    );
    let kabul = provinces.iter().find(|p| p.iso_3166_2() == "AF-KAB");
    let kabul = kabul.expect("Kabul");
    assert_eq!(kabul.name_ar(), Some("ولاية كابول"));
    assert_eq!(kabul.name_tr(), Some("Kâbil Vilayeti"));
    let mut codes: Vec<&str> = provinces
        .iter()
        .map(truce_geo::Province::iso_3166_2)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 41, "every code once");
    assert!(
        !codes.contains(&"PK-TA"),
        "FATA merged into Khyber Pakhtunkhwa"
    );
}
