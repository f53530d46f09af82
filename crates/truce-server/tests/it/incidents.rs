//! Incidents and the parties' statements: competing accounts kept side by side, each
//! party speaking only in its own name.

use crate::support::*;
use serde_json::{Value, json};

fn incident(reports: &[u64], accused: &[&str]) -> Value {
    json!({"accused": accused, "reports": reports, "summary": "Exercise: reports of air strikes in Paktika.", "title": "Air strikes, December 2024"})
}

fn statement(incident: u64, party: &str, kind: &str, text: &str, killed: Option<u32>) -> Value {
    let figures = killed.map(|k| json!({"injured": {"low": 0, "best": 0, "high": 0}, "killed": {"low": k, "best": k, "high": k}}));
    json!({"figures": figures, "incident": incident, "kind": kind, "lang": "en", "party": party, "sources": [], "text": text})
}

#[tokio::test]
async fn each_partys_account_is_kept_beside_the_others_with_its_own_figures() {
    let app = spawn_demo().await;
    assert_eq!(
        file_report(&app, "af-liaison-1", kabul_account())
            .await
            .status(),
        201
    ); // 9
    assert_eq!(
        write(
            &app,
            "jmt-monitor-1",
            "incident.opened",
            incident(&[9], &["pk"])
        )
        .await
        .status(),
        201
    ); // 10
    let accusation = statement(
        10,
        "af",
        "accusation",
        "At least 46 people, including women and children, were killed.",
        Some(46),
    );
    assert_eq!(
        write(&app, "af-liaison-1", "statement.filed", accusation)
            .await
            .status(),
        201
    );
    let denial = statement(
        10,
        "pk",
        "denial",
        "Exercise text: the strikes targeted militant hideouts only.",
        None,
    );
    assert_eq!(
        write(&app, "pk-liaison-1", "statement.filed", denial)
            .await
            .status(),
        201
    );

    let incident = app.get_json("/api/v1/incidents/10").await;
    assert_eq!(incident["accused"], json!(["pk"]));
    assert_eq!(incident["reports"][0]["index"], 9);
    let accounts = incident["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["party"], "af");
    assert_eq!(
        accounts[0]["statements"][0]["figures"]["killed"]["best"],
        46
    );
    assert_eq!(accounts[1]["party"], "pk");
    assert_eq!(accounts[1]["statements"][0]["kind"], "denial");
    assert!(
        accounts[1]["statements"][0]["figures"].is_null(),
        "pk gave no figures; none are invented"
    );
    assert_eq!(
        app.get_json("/api/v1/incidents?party=pk").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get_json("/api/v1/incidents?party=af").await["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn an_accused_party_that_has_not_spoken_still_has_its_place() {
    let app = spawn_demo().await;
    file_report(&app, "af-liaison-1", kabul_account()).await;
    write(
        &app,
        "jmt-monitor-1",
        "incident.opened",
        incident(&[9], &["pk"]),
    )
    .await;
    let accounts = app.get_json("/api/v1/incidents/10").await["accounts"].clone();
    assert_eq!(accounts, json!([{"party": "pk", "statements": []}]));
}

#[tokio::test]
async fn a_party_cannot_speak_in_another_partys_name() {
    let app = spawn_demo().await;
    file_report(&app, "af-liaison-1", kabul_account()).await;
    write(
        &app,
        "jmt-monitor-1",
        "incident.opened",
        incident(&[9], &["pk"]),
    )
    .await;
    let forged = statement(
        10,
        "af",
        "clarification",
        "We withdraw the accusation.",
        None,
    );
    let response = write(&app, "pk-liaison-1", "statement.filed", forged).await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], "payload.party", "{problem}");
}

#[tokio::test]
async fn incidents_are_opened_by_monitors_from_reports_only() {
    let app = spawn_demo().await;
    file_report(&app, "af-liaison-1", kabul_account()).await;
    for (key, payload, status, field) in [
        ("af-liaison-1", incident(&[9], &["pk"]), 403, "author"),
        (
            "jmt-monitor-1",
            incident(&[3], &["pk"]),
            422,
            "payload.reports[0]",
        ),
        (
            "jmt-monitor-1",
            incident(&[9], &["qa"]),
            422,
            "payload.accused[0]",
        ),
        (
            "jmt-monitor-1",
            incident(&[], &["pk"]),
            422,
            "payload.reports",
        ),
    ] {
        let response = write(&app, key, "incident.opened", payload).await;
        assert_eq!(response.status(), status, "{field}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{problem}");
    }
    let response = write(
        &app,
        "af-liaison-1",
        "statement.filed",
        statement(9, "af", "denial", "x", None),
    )
    .await;
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        problem["field"], "payload.incident",
        "a report is not an incident: {problem}"
    );
    assert_eq!(app.size().await, 10);
}

#[tokio::test]
async fn a_monitor_links_further_reports_and_a_repeated_link_changes_nothing() {
    let app = spawn_demo().await;
    file_report(&app, "af-liaison-1", kabul_account()).await; // 9
    write(
        &app,
        "jmt-monitor-1",
        "incident.opened",
        incident(&[9], &["pk"]),
    )
    .await; // 10
    file_report(&app, "jmt-field-tablet-1", kabul_account()).await; // revoked: refused
    file_report(&app, "jmt-monitor-2", kabul_account()).await; // 11
    for _ in 0..2 {
        let link = write(
            &app,
            "jmt-monitor-1",
            "report.linked",
            json!({"incident": 10, "report": 11}),
        )
        .await;
        assert_eq!(link.status(), 201);
    }
    let reports = app.get_json("/api/v1/incidents/10").await["reports"].clone();
    let indexes: Vec<u64> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indexes, vec![9, 11]);
}

#[tokio::test]
async fn a_restarted_node_still_knows_which_entries_are_reports() {
    let mut app = spawn_demo().await;
    file_report(&app, "af-liaison-1", kabul_account()).await;
    app.stop().await;
    let node = truce_server::start(
        config(app.dir.path()),
        Some(truce_server::Demo::Constitution),
    )
    .await
    .unwrap();
    app.addr = node.addr;
    app.node = Some(node);
    let response = write(
        &app,
        "jmt-monitor-1",
        "incident.opened",
        incident(&[9], &["pk"]),
    )
    .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}
