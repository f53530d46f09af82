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

/// Paktika (Kabul's account), Kurram, and fire from Khost into Kurram: annotated where they lie, and found by
/// country, province, distance band and cross-border fire.
#[tokio::test]
async fn reports_are_annotated_and_filtered_by_where_they_lie() {
    let app = spawn_exercise().await;
    let mut fired = support::clash_report();
    fired["location"]["launch"] = serde_json::json!({"lat": 33.34, "lon": 69.92});
    fired["title"] = serde_json::json!("Fire from Khost into Kurram");
    let mut indexes = vec![];
    for (key, report) in [
        ("af-liaison-1", support::kabul_account()),
        ("pk-liaison-1", support::clash_report()),
        ("pk-liaison-1", fired),
    ] {
        let response = support::file_report(&app, key, report).await;
        assert_eq!(response.status(), 201);
        let receipt: serde_json::Value = response.json().await.unwrap();
        indexes.push(receipt["index"].as_u64().unwrap());
    }
    let [paktika, kurram, fired] = indexes[..] else {
        unreachable!()
    };
    let geography = |index: u64| {
        let app = &app;
        async move { app.get_json(&format!("/api/v1/reports/{index}")).await["geography"].clone() }
    };
    let at_paktika = geography(paktika).await;
    assert_eq!(at_paktika["country"], "AF", "{at_paktika}");
    assert_eq!(at_paktika["admin1_code"], "AF-PKA", "{at_paktika}");
    assert_eq!(at_paktika["cross_border"], serde_json::Value::Null);
    let at_kurram = geography(kurram).await;
    assert_eq!(at_kurram["country"], "PK", "{at_kurram}");
    assert_eq!(at_kurram["admin1_code"], "PK-KP", "{at_kurram}");
    let km = at_kurram["border_distance_km"].as_f64().unwrap();
    assert!((0.0..40.0).contains(&km), "{at_kurram}");
    assert!(
        at_kurram["nearest_crossing"]["id"].is_string(),
        "{at_kurram}"
    );
    let fire = geography(fired).await;
    assert_eq!(fire["launch"]["country"], "AF", "{fire}");
    assert_eq!(fire["cross_border"], true, "{fire}");

    let found = |query: &'static str| {
        let app = &app;
        async move {
            let page = app.get_json(&format!("/api/v1/reports?{query}")).await;
            let items = page["items"].as_array().unwrap().iter();
            items
                .map(|i| i["index"].as_u64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    let scenario: Vec<u64> = found("limit=200").await;
    let ours = |list: Vec<u64>| {
        list.into_iter()
            .filter(|i| [paktika, kurram, fired].contains(i))
            .collect::<Vec<_>>()
    };
    assert!(scenario.len() >= 3);
    assert_eq!(ours(found("country=AF&limit=200").await), [paktika]);
    assert_eq!(ours(found("country=pk&limit=200").await), [fired, kurram]);
    assert_eq!(ours(found("province=AF-PKA&limit=200").await), [paktika]);
    assert_eq!(ours(found("province=paktika&limit=200").await), [paktika]);
    assert_eq!(
        ours(found("border_km_max=40&limit=200").await),
        [fired, kurram]
    );
    assert_eq!(ours(found("border_km_min=40&limit=200").await), [paktika]);
    assert_eq!(found("cross_border=true").await, [fired]);
    for (query, field) in [
        ("country=IN", "country"),
        ("province=Atlantis", "province"),
        ("border_km_min=-1", "border_km_min"),
        ("border_km_max=far", "border_km_max"),
        ("cross_border=yes", "cross_border"),
    ] {
        let response = app.get(&format!("/api/v1/reports?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{query}: {problem}");
    }
}
