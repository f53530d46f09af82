//! The workflow over HTTP on the whole exercise (`--demo`): findings at each stage with
//! their votes, replies and measure; investigations with denials of access; the talks;
//! the per-party compliance summary; and the rules refusing what they must, appending
//! nothing.

use crate::support;
use crate::support::*;
use serde_json::{Value, json};

/// The index of the first item of `list` whose `key` equals `value`.
fn find(list: &Value, key: &str, value: &str) -> u64 {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no item with {key} = {value}: {list}"))["index"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn findings_are_shown_at_each_stage_with_votes_replies_and_the_measure() {
    let app = spawn_exercise().await;
    let findings = app.get_json("/api/v1/findings").await;
    let final_one = find(&findings, "status", "final");
    let in_window = find(&findings, "status", "awaiting_reply");
    find(&findings, "status", "awaiting_signatures");

    let finding = app.get_json(&format!("/api/v1/findings/{final_one}")).await;
    let votes = finding["votes"].as_array().unwrap();
    assert_eq!(votes.len(), 3);
    assert_eq!(
        votes.iter().filter(|v| v["vote"] == "dissent").count(),
        1,
        "the dissent is kept: {finding}"
    );
    assert_eq!(finding["replies"][0]["party"], "af");
    assert_eq!(finding["measure"]["step"], "formal-notice");
    assert_eq!(finding["measure"]["status"], "in_progress");
    assert_eq!(finding["reply_window_open"], false);

    let pending = app.get_json(&format!("/api/v1/findings/{in_window}")).await;
    assert_eq!(pending["reply_window_open"], true, "{pending}");
    assert_eq!(pending["awaiting"], json!(["pk"]));

    let by_party = app.get_json("/api/v1/findings?party=pk").await;
    assert_eq!(by_party["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn denials_of_access_are_recorded_against_the_party_and_summarised() {
    let app = spawn_exercise().await;
    let investigations = app.get_json("/api/v1/investigations").await;
    let mut denials = vec![];
    for item in investigations["items"].as_array().unwrap() {
        let detail = app
            .get_json(&format!("/api/v1/investigations/{}", item["index"]))
            .await;
        for step in detail["steps"].as_array().unwrap() {
            if step["kind"] == "access_denied" {
                denials.push(step["party"].as_str().unwrap().to_string());
            }
        }
    }
    denials.sort();
    assert_eq!(denials, ["af", "pk"]);

    let compliance = app.get_json("/api/v1/compliance").await;
    let party = |id: &str| {
        compliance["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["party"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(party("af")["access_denials"]["total"], 1);
    assert_eq!(party("af")["measures"]["total"], 1);
    assert_eq!(party("pk")["measures"]["total"], 0);
    assert_eq!(
        party("pk")["findings_attributed"]["by_status"]["awaiting_reply"],
        1
    );
}

#[tokio::test]
async fn the_talks_rounds_carry_their_commitments() {
    let app = spawn_exercise().await;
    let rounds = app.get_json("/api/v1/talks").await;
    let doha = find(&rounds, "place", "Doha");
    let round = app.get_json(&format!("/api/v1/talks/{doha}")).await;
    let owners: Vec<&str> = round["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["owner"].as_str().unwrap())
        .collect();
    assert_eq!(owners, ["pk", "af"]);
    let met = app.get_json("/api/v1/commitments?status=met").await;
    assert_eq!(met["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_rules_refuse_early_finality_double_votes_and_replies_by_others_appending_nothing() {
    let app = spawn_exercise().await;
    let findings = app.get_json("/api/v1/findings").await;
    let in_window = find(&findings, "status", "awaiting_reply");
    let unsigned = find(&findings, "status", "awaiting_signatures");
    let incident =
        app.get_json(&format!("/api/v1/findings/{in_window}")).await["incident_idx"].clone();
    let cases = [
        (
            "tr-commissioner-1",
            "finding.finalized",
            json!({"finding": in_window}),
            409,
            "time",
        ),
        (
            "tr-commissioner-1",
            "finding.finalized",
            json!({"finding": unsigned}),
            403,
            "payload.finding",
        ),
        (
            "tr-commissioner-1",
            "finding.signed",
            json!({"finding": in_window, "vote": "concur", "reasoning": ""}),
            409,
            "payload.finding",
        ),
        (
            "pk-liaison-1",
            "finding.signed",
            json!({"finding": in_window, "vote": "concur", "reasoning": ""}),
            403,
            "author",
        ),
        (
            "af-liaison-1",
            "statement.filed",
            json!({"figures": null, "finding": in_window, "incident": incident,
            "kind": "reply", "lang": "en", "party": "af", "sources": [], "text": "Not ours to answer."}),
            403,
            "payload.party",
        ),
        (
            "jmt-monitor-1",
            "finding.proposed",
            json!({"investigation": unsigned, "provision": "ceasefire",
            "determination": "inconclusive", "confidence": "low", "reasoning": "x"}),
            422,
            "payload.investigation",
        ),
    ];
    support::assert_refused(&app, cases.into()).await;
}

#[tokio::test]
async fn an_amendment_under_the_quorum_changes_the_agreement_in_force() {
    let app = spawn_exercise().await;
    let before = app.get_json("/api/v1/agreement").await;
    assert_eq!(before["amended_at"], Value::Null);
    let mut provisions = before["provisions"].as_array().unwrap().clone();
    provisions.push(json!({"id": "crossings", "title": "Crossings", "text": "Exercise text: crossings stay open."}));
    let payload = json!({"measures": before["measures"], "provisions": provisions,
        "reason": "Exercise: agreed at the third round.", "reply_window_hours": 48});
    let mut author = app.author(app.demo_key("tr-root")).await;
    let envelope = author.envelope("agreement.amended", payload, now());
    let cosigners: Vec<truce_log::KeyPair> = ["qa", "pk", "af"]
        .iter()
        .map(|d| app.demo_key(&format!("{d}-root")))
        .collect();
    let refs: Vec<&truce_log::KeyPair> = cosigners.iter().collect();
    let response = app.post_note(author.sign(&envelope, &refs)).await;
    assert_eq!(response.status(), 201);
    let after = app.get_json("/api/v1/agreement").await;
    assert!(after["amended_at"].is_u64());
    assert_eq!(after["reply_window_hours"], 48);
    assert!(
        after["provisions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "crossings")
    );
    assert_eq!(
        after["amendments"][0]["signatures"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}
