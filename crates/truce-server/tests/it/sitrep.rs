//! Situation reports over HTTP against a real node: the daily page in a left-to-right and
//! a right-to-left language, its figures against an independent count of the reports
//! list, the JSON document the PDF is made from, and bad dates refused naming the field.

use crate::support::{TestApp, clash_report, file_report, spawn_exercise};
use serde_json::{Value, json};

async fn text(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    // Fluent isolates each placeable in bidi marks, and the report signed numbers: read
    // the words without them.
    let body = response.text().await.unwrap();
    (
        status,
        body.replace(['\u{2066}', '\u{2068}', '\u{2069}'], ""),
    )
}

/// Files a clash report accusing `af` that occurred at `start`.
async fn clash(app: &TestApp, start: &str) {
    let mut report = clash_report();
    report["occurred"]["start"] = json!(start);
    let response = file_report(app, "pk-liaison-1", report).await;
    assert_eq!(
        response.status().as_u16(),
        201,
        "{}",
        response.text().await.unwrap()
    );
}

/// Every report on the record, through the reports list, page by page.
async fn all_reports(app: &TestApp) -> Vec<Value> {
    let mut reports = vec![];
    let mut path = "/api/v1/reports?limit=100".to_string();
    loop {
        let page = app.get_json(&path).await;
        reports.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/reports?limit=100&cursor={next}"),
            None => return reports,
        }
    }
}

/// Reports accusing `party` that occurred on `day`, counted from the list's own items.
fn count(reports: &[Value], party: &str, day: &str) -> i64 {
    let on_day = |r: &&Value| {
        r["report"]["occurred"]["start"]
            .as_str()
            .is_some_and(|start| start.starts_with(day))
    };
    let accused = |r: &&Value| r["report"]["accused"] == party;
    i64::try_from(reports.iter().filter(on_day).filter(accused).count()).unwrap()
}

#[tokio::test]
async fn the_daily_report_is_a_page_in_english_and_right_to_left_in_pashto() {
    let app = spawn_exercise().await;
    let (status, body) = text(&app, "/reports/daily/2025-10-12").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(body.contains("Situation report for 2025-10-12"));
    for heading in [
        "Alleged violations by accused party",
        "Casualties (low–best–high)",
        "Denials of access",
        "Border crossings: status and flows of people",
        "Talks commitments falling due",
    ] {
        assert!(body.contains(heading), "no {heading}");
    }
    assert!(body.contains("<svg"), "no map or chart");
    assert!(!body.contains("<script") && !body.contains("style="));
    // The language links keep the period.
    let links = body.replace("&#38;", "&").replace("&amp;", "&");
    assert!(links.contains("?from=2025-10-12&to=2025-10-12&lang=ps"));

    let (status, body) = text(&app, "/reports/daily/2025-10-12?lang=ps").await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"<html lang="ps" dir="rtl">"#));
    assert!(body.contains("د حالاتو راپور"), "not in Pashto");
    assert!(body.contains("ادعا شوې سرغړونې د تورن اړخ له مخې"));
}

#[tokio::test]
async fn a_count_on_the_report_equals_an_independent_count_of_the_reports_list() {
    let app = spawn_exercise().await;
    for start in [
        "2025-11-20T03:00:00Z",
        "2025-11-20T23:59:59Z",
        "2025-11-19T12:00:00Z",
    ] {
        clash(&app, start).await;
    }
    let reports = all_reports(&app).await;
    let (today, yesterday) = (
        count(&reports, "af", "2025-11-20"),
        count(&reports, "af", "2025-11-19"),
    );
    assert!(today >= 2 && yesterday >= 1, "the reports filed are listed");

    let document = app.get_json("/reports/daily/2025-11-20.json").await;
    let af = document["data"]["by_party"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "af")
        .expect("a count against af");
    assert_eq!(
        (af["current"].as_i64(), af["previous"].as_i64()),
        (Some(today), Some(yesterday))
    );
    assert_eq!(document["lang"], "en");
    assert!(document["map_svg"].as_str().unwrap().starts_with("<svg"));

    // The page shows the same figures, with the change.
    let (_, body) = text(&app, "/reports/daily/2025-11-20").await;
    let change = format!("+{}", today - yesterday);
    let row = format!(
        "<td><bdi>{today}</bdi></td><td><bdi>{yesterday}</bdi></td><td><bdi>{change}</bdi></td>"
    );
    assert!(body.contains(&row), "no row {row}");
}

#[tokio::test]
async fn a_period_report_covers_every_day_of_it() {
    let app = spawn_exercise().await;
    clash(&app, "2025-11-21T10:00:00Z").await;
    clash(&app, "2025-11-23T10:00:00Z").await;
    let reports = all_reports(&app).await;
    let days = ["2025-11-21", "2025-11-22", "2025-11-23"];
    let expected: i64 = days.iter().map(|day| count(&reports, "af", day)).sum();
    let document = app
        .get_json("/reports/period.json?from=2025-11-21&to=2025-11-23&lang=ur")
        .await;
    assert_eq!(document["dir"], "rtl");
    assert_eq!(document["data"]["period"]["days"], 3);
    assert_eq!(document["data"]["previous"]["from"], "2025-11-18");
    let af = &document["data"]["by_party"][0];
    assert_eq!(
        (af["key"].as_str(), af["current"].as_i64()),
        (Some("af"), Some(expected))
    );
    let (status, body) = text(
        &app,
        "/reports/period?from=2025-11-21&to=2025-11-23&lang=ar",
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"dir="rtl""#) && body.contains("تقرير الحالة من 2025-11-21"));
}

#[tokio::test]
async fn bad_dates_and_periods_are_refused_naming_the_field() {
    let app = spawn_exercise().await;
    for (path, field) in [
        ("/reports/daily/2025-13-40", "date"),
        ("/reports/daily/yesterday", "date"),
        ("/reports/daily/2025-02-30.json", "date"),
        ("/reports/period?to=2025-10-01", "from"),
        ("/reports/period?from=2025-10-01", "to"),
        ("/reports/period?from=2025-10-02&to=2025-10-01", "to"),
        ("/reports/period?from=2020-01-01&to=2025-10-01", "to"),
        ("/reports/period.json?from=1.1.2025&to=2025-10-01", "from"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 400, "{path}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{path}: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains(field),
            "{problem}"
        );
    }
}
