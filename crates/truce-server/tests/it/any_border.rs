//! Any states, any border: a second mechanism, Thailand–Cambodia, on its own hand-made
//! geometry (tests/data/thailand-cambodia), constituted through the agreement file and the
//! ceremony, runs the workflow on a real node: reports located in the right country and
//! province, a crossing flow each way, the map drawn, the exports coded for both countries.

use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use truce_agreement::AgreementFile;
use truce_log::{Author, KeyPair};

use crate::support::{self, TestApp};

const ORIGIN: &str = "ceasefire.example/th-kh-test";

fn fixture(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/thailand-cambodia")
        .join(file)
}

fn key(name: &str) -> KeyPair {
    KeyPair::generate(name).unwrap()
}

/// A node constituted by the Thailand–Cambodia agreement, and the parties' root keys.
async fn constituted() -> (TestApp, KeyPair, KeyPair) {
    let log_key = key(ORIGIN);
    let roots = ["th", "kh", "my"].map(|d| key(&format!("{ORIGIN}/{d}/root")));
    let text = std::fs::read_to_string(fixture("agreement.toml"))
        .unwrap()
        .replace("{ORIGIN}", ORIGIN)
        .replace("{LOG_VKEY}", &log_key.vkey())
        .replace("{TH_ROOT}", &roots[0].vkey())
        .replace("{KH_ROOT}", &roots[1].vkey())
        .replace("{MY_ROOT}", &roots[2].vkey());
    let agreement = AgreementFile::parse(&text).unwrap();
    // What `truce geo import` checks and keeps; what `truce genesis draft` hashes.
    let geometry = std::fs::read(fixture("geometry.geojson")).unwrap();
    truce_geo::Geometry::from_geojson(&geometry).expect("the fixture passes the geo parser");
    let sha = hex::encode(Sha256::digest(&geometry));
    let draft = agreement.draft(Some(sha), support::now()).unwrap();
    let lines: Vec<_> = roots
        .iter()
        .map(|root| (format!("{}.sig", root.name()), draft.sign(root).unwrap()))
        .collect();
    let note = draft.assemble(&lines).unwrap();

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(truce_server::IMPORTED_GEOMETRY_FILE),
        &geometry,
    )
    .unwrap();
    let key_file = dir.path().join(truce_server::node::LOG_KEY_FILE);
    truce_server::keyfile::write_key(&key_file, &log_key).unwrap();
    let genesis = dir.path().join("genesis.note");
    std::fs::write(&genesis, note).unwrap();
    let mut config = support::config(dir.path());
    config.genesis = Some(genesis);
    let app = TestApp::start(config, dir).await;
    let [th, kh, _] = roots;
    (app, th, kh)
}

/// The party's root registers a liaison; the liaison's author, ready to write.
async fn liaison(app: &TestApp, root: KeyPair, party: &str) -> Author {
    let officer = key(&format!("{ORIGIN}/{party}/liaison-1"));
    let registration = json!({"delegation": party, "name": officer.name().as_str(),
        "role": "liaison", "vkey": officer.vkey()});
    let mut root = Author::new(root, ORIGIN);
    let response = app
        .post_note(root.write("key.registered", registration, support::now()))
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    Author::new(officer, ORIGIN)
}

async fn post(app: &TestApp, author: &mut Author, kind: &str, payload: Value) -> Value {
    let response = app
        .post_note(author.write(kind, payload, support::now()))
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{kind}: {body}");
    body
}

fn report(accused: &str, lat: f64, lon: f64, place: &str) -> Value {
    let mut report = support::clash_report();
    report["accused"] = json!(accused);
    report["location"]["point"] = json!({"lat": lat, "lon": lon});
    report["location"]["place"] = json!(place);
    report["title"] = json!(format!("Exchange of fire near {place}"));
    report
}

fn flow(direction: &str) -> Value {
    json!({"crossing": "aranyaprathet-poipet", "start": "2026-01-12", "end": "2026-01-12",
        "direction": direction, "category": "voluntary_return",
        "count": {"low": 100, "best": 120, "high": 150}, "precision": "estimate",
        "source": "TEST: border post tally"})
}

#[tokio::test]
async fn a_thailand_cambodia_mechanism_runs_the_workflow_on_its_own_border() {
    let (app, th_root, kh_root) = constituted().await;
    let mut th = liaison(&app, th_root, "th").await;
    let mut kh = liaison(&app, kh_root, "kh").await;
    reports_are_located_and_found_by_country(&app, &mut th, &mut kh).await;
    flows_are_recorded_by_the_country_entered(&app, &mut th, &mut kh).await;

    // The dashboard's map: both countries, the line, both crossings.
    let dashboard = app.get("/").await.text().await.unwrap();
    for drawn in [
        r#"data-country="TH""#,
        r#"data-country="KH""#,
        r#"class="border""#,
    ] {
        assert!(dashboard.contains(drawn), "{drawn} drawn");
    }
    exports_are_coded_for_each_country(&app).await;

    // The API description names this geometry's countries.
    let openapi = app.get_json("/api/v1/openapi.json").await;
    let reports = &openapi["paths"]["/api/v1/reports"]["get"]["parameters"];
    let country = reports
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "country")
        .unwrap();
    let allowed = country["schema"]["enum"].as_array().unwrap();
    assert!(
        allowed.contains(&json!("TH")) && allowed.contains(&json!("KH")),
        "{country}"
    );
    assert!(!allowed.contains(&json!("AF")), "{country}");
}

async fn reports_are_located_and_found_by_country(app: &TestApp, th: &mut Author, kh: &mut Author) {
    // Reports, located in the country and province they lie in.
    let in_cambodia = post(
        app,
        th,
        "report.submitted",
        report("kh", 14.1, 103.8, "Oddar Meanchey"),
    )
    .await;
    let in_thailand = post(
        app,
        kh,
        "report.submitted",
        report("th", 13.7, 102.2, "Sa Kaeo"),
    )
    .await;
    for (receipt, country, province) in
        [(&in_cambodia, "KH", "KH-22"), (&in_thailand, "TH", "TH-27")]
    {
        let index = receipt["index"].as_u64().unwrap();
        let geography = &app.get_json(&format!("/api/v1/reports/{index}")).await["geography"];
        assert_eq!(geography["country"], country, "{geography}");
        assert_eq!(geography["admin1_code"], province, "{geography}");
        let filtered = app
            .get_json(&format!(
                "/api/v1/reports?country={}",
                country.to_ascii_lowercase()
            ))
            .await;
        let found: Vec<u64> = filtered["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["index"].as_u64().unwrap())
            .collect();
        assert_eq!(found, [index], "country={country}");
    }
    let other = app.get("/api/v1/reports?country=AF").await;
    assert_eq!(other.status(), 400);
    let problem: Value = other.json().await.unwrap();
    assert_eq!(problem["field"], "country", "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("TH, KH"),
        "{problem}"
    );
}

async fn flows_are_recorded_by_the_country_entered(
    app: &TestApp,
    th: &mut Author,
    kh: &mut Author,
) {
    // A crossing flow each way, by the country entered; none into a third country.
    post(app, th, "crossing.flow", flow("to_kh")).await;
    post(app, kh, "crossing.flow", flow("to_th")).await;
    let size = app.size().await;
    let refused = app
        .post_note(kh.write("crossing.flow", flow("to_af"), support::now()))
        .await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["field"], "payload.direction", "{problem}");
    assert_eq!(app.size().await, size, "nothing appended");
    let poipet = app.get_json("/api/v1/crossings/aranyaprathet-poipet").await;
    let mut ways: Vec<&str> = poipet["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["direction"].as_str().unwrap())
        .collect();
    ways.sort_unstable();
    assert_eq!(ways, ["to_kh", "to_th"], "{poipet}");
    let page = app
        .get("/crossings/aranyaprathet-poipet?lang=tr")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Kamboçya") && page.contains("Tayland"),
        "the directions in Turkish"
    );
}

async fn exports_are_coded_for_each_country(app: &TestApp) {
    // The exports, coded for each country: ISO numeric (ACLED), Gleditsch–Ward (UCDP).
    let acled = csv(app, "/api/v1/exports/reports.acled.csv").await;
    let column = |rows: &[Vec<String>], name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let (iso, country) = (column(&acled, "iso"), column(&acled, "country"));
    let mut coded: Vec<(String, String)> = acled[1..]
        .iter()
        .map(|r| (r[iso].clone(), r[country].clone()))
        .collect();
    coded.sort();
    assert_eq!(
        coded,
        [
            ("116".into(), "Cambodia".into()),
            ("764".into(), "Thailand".into())
        ]
    );
    let ucdp = csv(app, "/api/v1/exports/reports.ucdp.csv").await;
    let (id, region) = (column(&ucdp, "country_id"), column(&ucdp, "region"));
    let mut coded: Vec<(String, String)> = ucdp[1..]
        .iter()
        .map(|r| (r[id].clone(), r[region].clone()))
        .collect();
    coded.sort();
    assert_eq!(
        coded,
        [("800".into(), "Asia".into()), ("811".into(), "Asia".into())]
    );
}

async fn csv(app: &TestApp, path: &str) -> Vec<Vec<String>> {
    let body = app.get(path).await.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}
