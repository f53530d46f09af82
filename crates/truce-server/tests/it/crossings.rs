//! The border crossings over HTTP on the whole exercise (`--demo`): every crossing of the
//! gazetteer closed since 12 October 2025 and past the agreement's 14-day threshold,
//! Torkham and Chaman–Spin Boldak open only to deport, the 8,000 deportations through
//! Spin Boldak as the Taliban authorities reported them; the alert on the humanitarian
//! provision; and the rules refusing what is not theirs to say, appending nothing.

use crate::support;
use crate::support::*;
use serde_json::{Value, json};

fn item<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no crossing {id}: {list}"))
}

#[tokio::test]
async fn every_crossing_of_the_gazetteer_is_listed_with_its_closure_and_alert() {
    let app = spawn_exercise().await;
    let list = app.get_json("/api/v1/crossings").await;
    let gazetteer = truce_geo::Geometry::reference().crossings();
    assert_eq!(list["items"].as_array().unwrap().len(), gazetteer.len());
    assert_eq!(
        list["closure_alert"],
        json!({"closure_days": 14, "provision": "humanitarian"})
    );
    let torkham = item(&list, "torkham");
    assert_eq!(torkham["name"], "Torkham");
    assert_eq!(torkham["status"]["status"], "deportations_only");
    assert_eq!(torkham["status"]["reported_by"], "jmt");
    assert_eq!(
        torkham["closed_since"], "2025-10-12T00:00:00Z",
        "the closure runs from the first closed status, not the last change"
    );
    assert_eq!(torkham["alert"]["provision"], "humanitarian");
    assert_eq!(torkham["alert"]["threshold_days"], 14);
    assert!(torkham["closed_days"].as_i64().unwrap() > 14);
    assert_eq!(torkham["latest_flow"], Value::Null);

    let chaman = item(&list, "chaman-spin-boldak");
    assert_eq!(chaman["latest_flow"]["count_best"], 8000);
    assert_eq!(chaman["latest_flow"]["precision"], "rounded");
    assert_eq!(
        chaman["totals"],
        json!([{"reported_by": "af", "direction": "to_af", "category": "deportation",
            "flows": 1, "count": {"low": 8000, "best": 8000, "high": 8000}}])
    );
    assert_eq!(item(&list, "ghulam-khan")["status"]["status"], "closed");
}

#[tokio::test]
async fn one_crossing_has_its_history_newest_first_and_its_flows_filtered_by_day_and_kind() {
    let app = spawn_exercise().await;
    let chaman = app.get_json("/api/v1/crossings/chaman-spin-boldak").await;
    let history: Vec<&Value> = chaman["history"].as_array().unwrap().iter().collect();
    assert_eq!(
        history.iter().map(|s| &s["status"]).collect::<Vec<_>>(),
        [&json!("deportations_only"), &json!("closed")]
    );
    let flow = &chaman["flows"][0];
    assert_eq!(
        (&flow["start_day"], &flow["end_day"], &flow["days"]),
        (&json!("2025-10-25"), &json!("2025-10-26"), &json!(2))
    );
    assert!(
        flow["source"]
            .as_str()
            .unwrap()
            .starts_with("Taliban authorities")
    );
    let flows = |query: &str| {
        let app = &app;
        let path = format!("/api/v1/crossings/chaman-spin-boldak?{query}");
        async move { app.get_json(&path).await["flows"].as_array().unwrap().len() }
    };
    assert_eq!(
        flows("to=2025-10-25").await,
        1,
        "a flow overlapping the day counts"
    );
    assert_eq!(flows("from=2025-10-27").await, 0);
    assert_eq!(flows("category=voluntary_return").await, 0);
    assert_eq!(flows("direction=to_af&category=deportation").await, 1);
    let none = app.get_json("/api/v1/crossings?from=2025-11-01").await;
    assert_eq!(item(&none, "chaman-spin-boldak")["totals"], json!([]));
}

#[tokio::test]
async fn the_closures_are_alerts_on_the_humanitarian_provision_in_the_compliance_summary() {
    let app = spawn_exercise().await;
    let compliance = app.get_json("/api/v1/compliance").await;
    let provision = &compliance["provisions"][0];
    assert_eq!(provision["provision"], "humanitarian");
    assert_eq!(provision["crossing_closure_days"], 14);
    let alerts = provision["crossing_alerts"].as_array().unwrap();
    let torkham = alerts.iter().find(|a| a["crossing"] == "torkham").unwrap();
    assert_eq!(torkham["status"], "deportations_only");
    assert_eq!(torkham["closed_since"], "2025-10-12T00:00:00Z");
}

#[tokio::test]
async fn a_reopened_crossing_has_no_alert_and_the_history_keeps_each_delegations_account() {
    let app = spawn_exercise().await;
    let reopened = json!({"crossing": "torkham", "status": "open", "since": now().as_str(),
        "source": "EXERCISE: Pakistan's border authorities"});
    let response = write(&app, "pk-liaison-1", "crossing.status", reopened).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let torkham = app.get_json("/api/v1/crossings/torkham").await;
    assert_eq!(torkham["status"]["status"], "open");
    assert_eq!(torkham["status"]["reported_by"], "pk");
    assert_eq!(
        (&torkham["alert"], &torkham["closed_since"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(torkham["history"].as_array().unwrap().len(), 3);
    let compliance = app.get_json("/api/v1/compliance").await;
    let alerts = compliance["provisions"][0]["crossing_alerts"]
        .as_array()
        .unwrap();
    assert!(alerts.iter().all(|a| a["crossing"] != "torkham"));
}

#[tokio::test]
async fn the_rules_refuse_crossing_entries_naming_the_field_and_append_nothing() {
    let app = spawn_exercise().await;
    let status = |crossing: &str, since: &str| json!({"crossing": crossing, "status": "closed", "since": since, "source": "EXERCISE"});
    let flow = |start: &str, end: &str| {
        json!({"crossing": "torkham", "start": start, "end": end, "direction": "to_pk",
            "category": "voluntary_return", "count": {"low": 1, "best": 2, "high": 3},
            "precision": "estimate", "source": "EXERCISE"})
    };
    let tomorrow = truce_core::Timestamp::from_unix_seconds(now().unix_seconds() + 86_400);
    let mut unsourced = flow("2025-11-01", "2025-11-01");
    unsourced["source"] = json!("");
    let mut inverted = flow("2025-11-01", "2025-11-01");
    inverted["count"] = json!({"low": 5, "best": 2, "high": 3});
    let cases = [
        (
            "pk-root",
            "crossing.status",
            status("torkham", "2025-10-12T00:00:00Z"),
            403,
            "author",
        ),
        (
            "jmt-monitor-1",
            "crossing.status",
            status("Torkham", "2025-10-12T00:00:00Z"),
            400,
            "payload.crossing",
        ),
        (
            "jmt-monitor-1",
            "crossing.status",
            status("khyber-gate", "2025-10-12T00:00:00Z"),
            422,
            "payload.crossing",
        ),
        (
            "jmt-monitor-1",
            "crossing.status",
            status("torkham", tomorrow.as_str()),
            422,
            "payload.since",
        ),
        (
            "af-liaison-1",
            "crossing.flow",
            flow("2025-11-02", "2025-11-01"),
            422,
            "payload.end",
        ),
        (
            "af-liaison-1",
            "crossing.flow",
            flow("2025-11-01", "2999-01-01"),
            422,
            "payload.end",
        ),
        (
            "af-liaison-1",
            "crossing.flow",
            flow("2025-11-01", "1 November"),
            400,
            "payload.end",
        ),
        (
            "af-liaison-1",
            "crossing.flow",
            unsourced,
            422,
            "payload.source",
        ),
        (
            "af-liaison-1",
            "crossing.flow",
            inverted,
            422,
            "payload.count.low",
        ),
    ];
    support::assert_refused(&app, cases.into()).await;
}

#[tokio::test]
async fn a_crossing_is_asked_for_with_known_parameters_and_a_well_formed_id() {
    let app = spawn_exercise().await;
    let cases = [
        ("/api/v1/crossings?side=pk", 400, Some("side")),
        ("/api/v1/crossings?from=2025-13-01", 400, Some("from")),
        ("/api/v1/crossings?direction=north", 400, Some("direction")),
        ("/api/v1/crossings/torkham?limit=0", 400, Some("limit")),
        ("/api/v1/crossings/Torkham", 400, Some("id")),
        ("/api/v1/crossings/nowhere", 404, None),
    ];
    for (path, status, field) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), status, "{path}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"].as_str(), field, "{path}: {problem}");
    }
}
