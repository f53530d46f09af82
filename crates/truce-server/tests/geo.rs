//! `/api/v1/geo/...` on the demo's genesis, which names the reference geometry.

mod support;

use support::spawn_exercise;

#[tokio::test]
async fn places_on_both_sides_and_outside_are_located() {
    let app = spawn_exercise().await;
    for (lat, lon, country, province) in [
        (34.5553, 69.2075, Some("AF"), Some("AF-KAB")), // Kabul
        (34.0151, 71.5249, Some("PK"), Some("PK-KP")),  // Peshawar
        (30.1798, 66.9750, Some("PK"), Some("PK-BA")),  // Quetta
        (32.3050, 69.5830, Some("PK"), Some("PK-KP")),  // Wana, in FATA until 2018
        (35.6892, 51.3890, None, None),                 // Tehran
    ] {
        let found = app
            .get_json(&format!("/api/v1/geo/locate?lat={lat}&lon={lon}"))
            .await;
        assert_eq!(found["country"].as_str(), country, "{lat},{lon}: {found}");
        assert_eq!(
            found["admin1_code"].as_str(),
            province,
            "{lat},{lon}: {found}"
        );
        assert!(found["border_distance_km"].as_f64().unwrap() > 0.0);
        assert!(found["nearest_crossing"]["name"].is_string(), "{found}");
    }
    let torkham = app
        .get_json("/api/v1/geo/locate?lat=34.1067&lon=71.0908")
        .await;
    assert!(
        torkham["border_distance_km"].as_f64().unwrap() < 2.0,
        "{torkham}"
    );
}

#[tokio::test]
async fn bad_coordinates_are_refused_naming_the_field() {
    let app = spawn_exercise().await;
    for (query, field) in [
        ("lat=91&lon=70", "lat"),
        ("lat=34&lon=181", "lon"),
        ("lat=north&lon=70", "lat"),
        ("lon=70", "lat"),
        ("lat=34&lon=70&zoom=3", "zoom"),
    ] {
        let response = app.get(&format!("/api/v1/geo/locate?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{query}: {problem}");
    }
}

#[tokio::test]
async fn the_geometry_is_served_as_geojson_small_for_display() {
    let app = spawn_exercise().await;
    for path in ["border", "provinces", "countries", "crossings"] {
        let response = app.get(&format!("/api/v1/geo/{path}")).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], "application/geo+json");
        let display = response.text().await.unwrap();
        let full = app
            .get(&format!("/api/v1/geo/{path}?resolution=full"))
            .await
            .text()
            .await
            .unwrap();
        assert!(display.len() <= full.len(), "{path}");
        let parsed: serde_json::Value = serde_json::from_str(&display).unwrap();
        assert_eq!(parsed["type"], "FeatureCollection");
    }
    let provinces = app.get("/api/v1/geo/provinces").await.text().await.unwrap();
    assert!(provinces.len() < 150_000, "{} bytes", provinces.len());
    let wrong = app.get("/api/v1/geo/border?resolution=huge").await;
    assert_eq!(wrong.status(), 400);
}
