//! `/api/v1/exports/...`: every report, in each format, read back with ordinary tools (a
//! CSV reader, a JSON parser), with the list's filters.

use crate::support;
use crate::support::{TestApp, file_report, spawn_exercise};
use serde_json::{Value, json};

async fn csv_rows(app: &TestApp, path: &str) -> Vec<csv::StringRecord> {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "{path}"
    );
    let body = response.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    reader.records().map(Result::unwrap).collect()
}

async fn report_count(app: &TestApp, query: &str) -> usize {
    let page = app
        .get_json(&format!("/api/v1/reports?limit=1000&{query}"))
        .await;
    page["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn every_format_holds_every_report_and_reads_back() {
    let app = spawn_exercise().await;
    let mut awkward = support::clash_report();
    awkward["title"] = json!("Shelling, \"heavy\",\nat night");
    assert_eq!(
        file_report(&app, "pk-liaison-1", awkward).await.status(),
        201
    );
    let reports = report_count(&app, "").await;
    assert!(reports > 3);

    let own = csv_rows(&app, "/api/v1/exports/reports.csv").await;
    assert_eq!(&own[0][0], "index");
    assert_eq!(own.len() - 1, reports, "a header and one row per report");
    let title = own[0].iter().position(|c| c == "title").unwrap();
    assert_eq!(&own[own.len() - 1][title], "Shelling, \"heavy\",\nat night");

    let hxl = csv_rows(&app, "/api/v1/exports/reports.hxl.csv").await;
    assert_eq!(&hxl[1][0], "#event+id");
    assert!(hxl[1].iter().all(|tag| tag.starts_with('#')));
    assert_eq!(hxl.len() - 2, reports);

    let acled = csv_rows(&app, "/api/v1/exports/reports.acled.csv").await;
    assert_eq!(&acled[0][0], "event_id_cnty");
    let event_type = acled[0].iter().position(|c| c == "event_type").unwrap();
    let labels: Vec<&str> = acled[1..].iter().map(|r| &r[event_type]).collect();
    assert!(labels.contains(&"Explosions/Remote violence"), "{labels:?}");
    assert!(labels.contains(&"Battles"), "{labels:?}");

    let ucdp = csv_rows(&app, "/api/v1/exports/reports.ucdp.csv").await;
    for column in ["best", "low", "high", "where_prec", "date_prec"] {
        assert!(ucdp[0].iter().any(|c| c == column), "{column}");
    }
    assert_eq!(ucdp.len() - 1, reports);

    let response = app.get("/api/v1/exports/reports.geojson").await;
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let map: Value = response.json().await.unwrap();
    assert_eq!(map["type"], "FeatureCollection");
    assert_eq!(map["features"].as_array().unwrap().len(), reports);
}

/// A report whose text starts like a spreadsheet formula is exported as text in every
/// CSV format (a leading `'`), while numbers such as coordinates stay numeric.
#[tokio::test]
async fn no_csv_export_carries_a_formula() {
    let app = spawn_exercise().await;
    let mut report = support::clash_report();
    report["title"] = json!("=HYPERLINK(\"http://attacker.example/\",\"open\")");
    report["summary"] = json!("@SUM(1+1)*cmd|' /C calc'!A0");
    report["location"]["place"] = json!("+Kurram");
    assert_eq!(
        file_report(&app, "pk-liaison-1", report).await.status(),
        201
    );
    for format in ["csv", "hxl.csv", "acled.csv", "ucdp.csv"] {
        let rows = csv_rows(&app, &format!("/api/v1/exports/reports.{format}")).await;
        let mut neutralized = 0;
        for cell in rows.iter().flat_map(|row| row.iter()) {
            if cell.starts_with("'=") || cell.starts_with("'@") || cell.starts_with("'+") {
                neutralized += 1;
            }
            let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(
                !formula || cell.parse::<f64>().is_ok(),
                "{format}: {cell:?} would run as a formula"
            );
        }
        assert!(neutralized > 0, "{format}: the report's text is exported");
    }
}

#[tokio::test]
async fn exports_take_the_lists_filters_and_refuse_what_they_do_not_know() {
    let app = spawn_exercise().await;
    let in_pakistan = report_count(&app, "country=PK").await;
    let rows = csv_rows(&app, "/api/v1/exports/reports.csv?country=PK").await;
    assert_eq!(rows.len() - 1, in_pakistan);
    let country = rows[0].iter().position(|c| c == "country").unwrap();
    assert!(rows[1..].iter().all(|r| &r[country] == "PK"));
    for (query, field) in [("limit=5", "limit"), ("country=IN", "country")] {
        let response = app
            .get(&format!("/api/v1/exports/reports.csv?{query}"))
            .await;
        assert_eq!(response.status(), 400, "{query}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field);
    }
}

/// Compressed as the router compresses every answer, and read to its end (a stream polled
/// once more after it ended used to panic the handler).
#[tokio::test]
async fn a_compressed_export_arrives_whole() {
    let app = spawn_exercise().await;
    let reports = report_count(&app, "").await;
    let response = app
        .client
        .get(app.url("/api/v1/exports/reports.csv"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let body = response.bytes().await.unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut text).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().count(), reports);
}
