//! Reports (allegations) through the API: filed by party liaisons and monitors, listed
//! with filters and cursors, refused with the field named when wrong.

use crate::support::*;
use serde_json::{Value, json};

/// A change to a valid report that makes it invalid.
type Edit = Box<dyn Fn(&mut Value)>;

#[tokio::test]
async fn reports_are_listed_newest_first_and_filtered() {
    let app = spawn_demo().await;
    assert_eq!(
        file_report(&app, "af-liaison-1", kabul_account())
            .await
            .status(),
        201
    );
    assert_eq!(
        file_report(&app, "pk-liaison-1", clash_report())
            .await
            .status(),
        201
    );

    let all = app.get_json("/api/v1/reports").await;
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["report"]["title"], "Cross-border clashes");
    assert_eq!(items[1]["delegation"], "af");
    assert_eq!(items[1]["report"]["casualties"]["killed"]["best"], 46);

    let count = |query: &'static str| {
        let app = &app;
        async move {
            app.get_json(&format!("/api/v1/reports?{query}")).await["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count("kind=battles").await, 1);
    assert_eq!(
        count("party=pk").await,
        2,
        "pk is accused in one and filed the other"
    );
    assert_eq!(count("provision=sovereignty").await, 1);
    assert_eq!(count("bbox=69,33,71,35").await, 1);
    assert_eq!(count("from=2025-01-01T00:00:00Z").await, 1);
    assert_eq!(count("to=2025-01-01T00:00:00Z").await, 1);
    assert_eq!(count("status=open&kind=riots").await, 0);
}

#[tokio::test]
async fn pages_follow_the_cursor_without_gaps_or_repeats() {
    let app = spawn_demo().await;
    for _ in 0..5 {
        assert_eq!(
            file_report(&app, "jmt-monitor-1", clash_report())
                .await
                .status(),
            201
        );
    }
    let mut seen = vec![];
    let mut path = "/api/v1/reports?limit=2".to_string();
    loop {
        let page = app.get_json(&path).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["index"].as_u64().unwrap()),
        );
        let Some(next) = page["next"].as_str() else {
            break;
        };
        path = format!("/api/v1/reports?limit=2&cursor={next}");
    }
    assert_eq!(seen, vec![13, 12, 11, 10, 9]);
    assert_eq!(app.get_json("/api/v1/reports/11").await["index"], 11);
    assert_eq!(app.get("/api/v1/reports/3").await.status(), 404);
}

#[tokio::test]
async fn bad_reports_are_refused_naming_the_field_and_append_nothing() {
    let app = spawn_demo().await;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "af-liaison-1",
            Box::new(|r| r["casualties"]["killed"] = json!({"low": 50, "best": 46, "high": 60})),
            "payload.casualties.killed.low",
        ),
        (
            "af-liaison-1",
            Box::new(|r| r["location"]["point"]["lat"] = json!(95.0)),
            "payload.location.point.lat",
        ),
        (
            "af-liaison-1",
            Box::new(|r| r["occurred"]["start"] = json!("2099-01-01T00:00:00Z")),
            "payload.occurred.start",
        ),
        (
            "af-liaison-1",
            Box::new(|r| r["provisions"] = json!(["no-such-provision"])),
            "payload.provisions[0]",
        ),
        (
            "af-liaison-1",
            Box::new(|r| r["accused"] = json!("tr")),
            "payload.accused",
        ),
        (
            "af-liaison-1",
            Box::new(|r| r["sub_event_type"] = json!("armed_clash")),
            "payload.sub_event_type",
        ),
        (
            "af-liaison-1",
            Box::new(|r| r["event_type"] = json!("skirmish")),
            "payload.event_type",
        ),
        ("tr-commissioner-1", Box::new(|_| {}), "author"),
    ];
    for (key, edit, field) in cases {
        let mut report = kabul_account();
        edit(&mut report);
        let response = file_report(&app, key, report).await;
        assert!(
            response.status().is_client_error(),
            "{field}: {}",
            response.status()
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{problem}");
    }
    assert_eq!(app.size().await, 9);
    assert_eq!(app.get_json("/api/v1/reports").await["items"], json!([]));
}

#[tokio::test]
async fn bad_list_parameters_are_refused_naming_them() {
    let app = spawn_demo().await;
    for (query, field, status) in [
        ("limit=0", "limit", 400),
        ("limit=abc", "limit", 400),
        ("bbox=1,2,3", "bbox", 400),
        ("bbox=1e1,0,20,1", "bbox", 400),
        // Well-formed, as the description allows, but not a box: unprocessable.
        ("bbox=10,0,5,1", "bbox", 422),
        ("from=yesterday", "from", 400),
        ("cursor=-4", "cursor", 400),
        ("colour=red", "colour", 400),
        ("dataset=", "dataset", 400),
    ] {
        let response = app.get(&format!("/api/v1/reports?{query}")).await;
        assert_eq!(response.status(), status, "{query}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{query}: {problem}");
    }
}
