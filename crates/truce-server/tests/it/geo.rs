//! `/api/v1/geo/...` on the demo's genesis, which names the reference geometry.

use crate::support;
use crate::support::spawn_exercise;

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
    assert_eq!(ours(found("cross_border=true").await), [fired]);
    // The scenario's own mortar fire from Barmal into Angoor Adda is cross-border too.
    assert!(found("cross_border=true").await.len() >= 2);
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

#[tokio::test]
async fn reports_are_served_as_geojson_points_with_the_lists_filters() {
    let app = spawn_exercise().await;
    let mut fired = support::clash_report();
    fired["location"]["launch"] = serde_json::json!({"lat": 33.34, "lon": 69.92});
    for report in [support::clash_report(), fired] {
        let response = support::file_report(&app, "pk-liaison-1", report).await;
        assert_eq!(response.status(), 201);
    }
    let response = app
        .get("/api/v1/geo/reports?cross_border=true&limit=1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let map: serde_json::Value = response.json().await.unwrap();
    assert_eq!(map["type"], "FeatureCollection");
    let features = map["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "{map}");
    let fire = &features[0]; // the newest: ours
    assert_eq!(fire["geometry"]["type"], "Point");
    assert_eq!(
        fire["geometry"]["coordinates"],
        serde_json::json!([70.1, 33.9])
    );
    assert_eq!(
        fire["properties"]["launch"],
        serde_json::json!([69.92, 33.34])
    );
    assert_eq!(fire["properties"]["country"], "PK");
    assert_eq!(fire["properties"]["cross_border"], true);
    let page = app.get_json("/api/v1/geo/reports?limit=1").await;
    assert_eq!(page["features"].as_array().unwrap().len(), 1);
    assert!(page["next"].is_string(), "{page}");
    let wrong = app.get("/api/v1/geo/reports?country=XX").await;
    assert_eq!(wrong.status(), 400);
}

/// A genesis naming a geometry the node does not have is refused before it is sequenced;
/// once `truce geo import` has put it in the data directory, the genesis is taken, reports
/// are located in that geometry, and a restart finds it again (and refuses to start
/// without it).
#[tokio::test]
async fn a_genesis_names_the_geometry_and_the_node_must_have_it() {
    let exercise = truce_demo::Exercise::from_seed(support::ORIGIN, 7);
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join(truce_server::node::LOG_KEY_FILE);
    truce_server::keyfile::write_key(&key_file, &exercise.log_key).unwrap();
    let mut config = support::config(dir.path());
    config.origin = support::ORIGIN.into();
    let mut app = support::TestApp::start(config.clone(), dir).await;

    // The reference geometry's bytes plus a newline: the same shapes, another hash.
    let mut bytes = truce_geo::reference_geojson().to_vec();
    bytes.push(b'\n');
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    let mut genesis = exercise.genesis();
    genesis.border_geometry_sha256 = Some(sha.clone());
    let note = exercise.genesis_note(&genesis);
    let refused = app.post_note(note.clone()).await;
    assert_eq!(
        refused.status(),
        422,
        "a genesis the node cannot locate reports in"
    );
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(
        problem["field"], "payload.border_geometry_sha256",
        "{problem}"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("truce geo import")
    );
    assert_eq!(app.size().await, 0);

    let imported = app.dir.path().join(truce_server::IMPORTED_GEOMETRY_FILE);
    std::fs::write(&imported, &bytes).unwrap();
    assert_eq!(app.post_note(note).await.status(), 201);
    let mut liaison =
        truce_log::Author::new(exercise.officer("pk/liaison-1").clone(), support::ORIGIN);
    // The officers' registrations, but for those by the convener, whose chain continues
    // from the exercise's own genesis rather than this one.
    let convener = exercise.delegations[2].3.name().clone();
    let registrations = exercise.entries()[1..=exercise.officers.len()].to_vec();
    for note in registrations {
        let entry = truce_log::SignedEntry::parse(note.clone()).unwrap();
        if entry.envelope().author != convener {
            assert_eq!(app.post_note(note).await.status(), 201);
        }
    }
    let report = liaison.write("report.submitted", support::clash_report(), support::now());
    let receipt: serde_json::Value = app.post_note(report).await.json().await.unwrap();
    let index = receipt["index"].as_u64().unwrap();
    let filed = app.get_json(&format!("/api/v1/reports/{index}")).await;
    assert_eq!(filed["geography"]["admin1_code"], "PK-KP", "{filed}");

    app.stop().await;
    let restarted = truce_server::start(config.clone(), None).await.unwrap();
    restarted.shutdown().await.unwrap();
    std::fs::remove_file(&imported).unwrap();
    let refused = truce_server::start(config, None).await.unwrap_err();
    assert!(refused.to_string().contains(&sha), "{refused}");
}
