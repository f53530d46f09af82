//! What an importer uses: `POST /api/v1/entries/batch` (several notes, each admitted and
//! acknowledged as if posted alone) and `POST /api/v1/reports/provenance` (which rows are
//! on the log); and the rule that a dataset row is on the log once, kept across a restart.

use crate::support::*;
use serde_json::{Value, json};

/// The key name of the exercise's first monitor, as entries name their author.
const MONITOR: &str = "truce.example/pk-af-2025-exercise/jmt/monitor-1";

/// The exercise's clash report as imported from row `row` of UCDP GED.
fn imported(row: &str) -> Value {
    let mut report = clash_report();
    report["accused"] = Value::Null;
    report["provisions"] = json!([]);
    report["provenance"] = json!({"dataset": "ucdp-ged", "row": row});
    report
}

async fn post_batch(app: &TestApp, notes: Vec<Vec<u8>>) -> reqwest::Response {
    let notes: Vec<String> = notes
        .into_iter()
        .map(|n| String::from_utf8(n).unwrap())
        .collect();
    app.client
        .post(app.url("/api/v1/entries/batch"))
        .json(&json!({"notes": notes}))
        .send()
        .await
        .unwrap()
}

async fn on_log(app: &TestApp, rows: &[&str]) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/reports/provenance"))
        .json(&json!({"dataset": "ucdp-ged", "rows": rows}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_batch_appends_in_order_and_a_refused_note_is_answered_in_its_place() {
    let app = spawn_demo().await;
    let size = app.size().await;
    let mut author = app.author(app.demo_key("jmt-monitor-1")).await;
    let mut notes: Vec<Vec<u8>> = ["1", "2"]
        .iter()
        .map(|row| author.write("report.submitted", imported(row), now()))
        .collect();
    // A third note repeating row 1: admission refuses it, and the next note of the chain
    // then fails its sequence check; neither stops the batch's answer.
    notes.push(author.write("report.submitted", imported("1"), now()));
    notes.push(author.write("report.submitted", imported("4"), now()));
    let response = post_batch(&app, notes).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["appended"], 2, "{answer}");
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results[0]["index"], size);
    assert_eq!(results[1]["index"], size + 1);
    let refused = &results[2]["problem"];
    assert_eq!(refused["status"], 409);
    assert_eq!(refused["field"], "payload.provenance");
    let detail = refused["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("already imported at index {size}")),
        "{detail}"
    );
    assert_eq!(results[3]["problem"]["field"], "seq");
    assert_eq!(app.size().await, size + 2);
    let found = on_log(&app, &["4", "2", "1"]).await;
    assert_eq!(
        found["found"],
        json!([{"row": "2", "index": size + 1, "author": MONITOR},
            {"row": "1", "index": size, "author": MONITOR}])
    );
}

#[tokio::test]
async fn a_batch_or_a_question_out_of_bounds_is_refused_naming_the_field() {
    let app = spawn_demo().await;
    let empty = post_batch(&app, vec![]).await;
    assert_eq!(empty.status(), 400);
    let problem: Value = empty.json().await.unwrap();
    assert_eq!(problem["field"], "notes");
    let response = app
        .client
        .post(app.url("/api/v1/reports/provenance"))
        .json(&json!({"dataset": "ucdp-ged", "rows": ["1", "two words"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], "rows[1]");
    let response = app
        .client
        .post(app.url("/api/v1/reports/provenance"))
        .json(&json!({"dataset": "UCDP GED", "rows": []}))
        .send()
        .await
        .unwrap();
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], "dataset");
}

#[tokio::test]
async fn a_restarted_node_still_refuses_a_row_already_imported() {
    let mut app = spawn_demo().await;
    let response = file_report(&app, "jmt-monitor-1", imported("59553")).await;
    assert_eq!(response.status(), 201);
    let index = response.json::<Value>().await.unwrap()["index"].clone();
    app.stop().await;
    let node = truce_server::start(config(app.dir.path()), None)
        .await
        .unwrap();
    app.addr = node.addr;
    app.node = Some(node);
    let again = file_report(&app, "jmt-monitor-2", imported("59553")).await;
    assert_eq!(again.status(), 409);
    let problem: Value = again.json().await.unwrap();
    assert_eq!(problem["field"], "payload.provenance");
    assert_eq!(on_log(&app, &["59553"]).await["found"][0]["index"], index);
    let listed = app.get_json("/api/v1/reports?dataset=ucdp-ged").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}
