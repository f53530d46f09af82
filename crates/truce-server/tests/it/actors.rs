//! The actor registry over HTTP on the whole exercise (`--demo`): the TTP under its
//! neutral name, each party's designation of it side by side, withdrawals kept, and the
//! rules refusing duplicates and filings in another's name, appending nothing.

use crate::support;
use crate::support::*;
use serde_json::{Value, json};

/// The designations `party` has of `actor` in the given `state` (`current`, `withdrawn`).
fn designations<'a>(actor: &'a Value, party: &str, state: &str) -> &'a Vec<Value> {
    actor["designations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["party"] == party)
        .unwrap_or_else(|| panic!("no designations of {party}: {actor}"))[state]
        .as_array()
        .unwrap()
}

#[tokio::test]
async fn the_registry_lists_the_ttp_with_each_partys_designation_side_by_side() {
    let app = spawn_exercise().await;
    let listed = app.get_json("/api/v1/actors?kind=armed_group").await;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{listed}");
    assert_eq!(items[0]["id"], "ttp");
    assert_eq!(items[0]["name"], "Tehrik-i-Taliban Pakistan");
    assert_eq!(items[0]["aliases"][0], json!({"lang": "en", "name": "TTP"}));
    let none = app.get_json("/api/v1/actors?kind=state_force").await;
    assert_eq!(none["items"], json!([]));

    let by_id = app.get_json("/api/v1/actors/ttp").await;
    let by_index = app
        .get_json(&format!("/api/v1/actors/{}", items[0]["index"]))
        .await;
    assert_eq!(by_id, by_index);
    let pakistan = designations(&by_id, "pk", "current");
    let kabul = designations(&by_id, "af", "current");
    assert_eq!(pakistan.len(), 1);
    assert!(
        pakistan[0]["designation"]
            .as_str()
            .unwrap()
            .contains("terrorist organisation")
    );
    assert_eq!(
        kabul[0]["designation"], "opponents of the Pakistani government",
        "Kabul's word stands beside Pakistan's, not merged into it"
    );
}

#[tokio::test]
async fn a_withdrawn_designation_is_kept_beside_the_one_that_replaced_it() {
    let app = spawn_exercise().await;
    let actor = app.get_json("/api/v1/actors/ttp").await;
    let earlier = designations(&actor, "pk", "current")[0]["index"].clone();
    let response = write(
        &app,
        "pk-liaison-1",
        "designation.filed",
        json!({"actor": "ttp", "party": "pk", "lang": "en", "withdrawn": earlier,
            "since": "2025-11-20T00:00:00Z",
            "designation": "Exercise: proscribed organisation", "text": "Exercise text."}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let actor = app.get_json("/api/v1/actors/ttp").await;
    let withdrawn = designations(&actor, "pk", "withdrawn");
    let current = designations(&actor, "pk", "current");
    assert_eq!(withdrawn[0]["index"], earlier);
    assert_eq!(withdrawn[0]["withdrawn_by_idx"], current[0]["index"]);
    assert_eq!(current[0]["withdraws_idx"], earlier);
    assert_eq!(current[0]["since"], "2025-11-20T00:00:00Z");
    assert_eq!(designations(&actor, "af", "current").len(), 1);
}

#[tokio::test]
async fn the_rules_refuse_duplicates_and_filings_in_anothers_name_appending_nothing() {
    let app = spawn_exercise().await;
    let actor = app.get_json("/api/v1/actors/ttp").await;
    let pakistans = designations(&actor, "pk", "current")[0]["index"].clone();
    let filing = |party: &str| {
        json!({"actor": "ttp", "party": party, "lang": "en",
            "designation": "Exercise", "text": "Exercise text."})
    };
    let mut withdrawing_anothers = filing("af");
    withdrawing_anothers["withdrawn"] = pakistans;
    let mut unregistered = filing("pk");
    unregistered["actor"] = json!("nobody");
    let cases = [
        (
            "jmt-monitor-2",
            "actor.registered",
            json!({"id": "ttp", "name": "Again", "kind": "armed_group", "aliases": []}),
            409,
            "payload.id",
        ),
        (
            "af-liaison-1",
            "designation.filed",
            filing("pk"),
            403,
            "payload.party",
        ),
        (
            "pk-liaison-1",
            "designation.filed",
            unregistered,
            422,
            "payload.actor",
        ),
        (
            "af-liaison-1",
            "designation.filed",
            withdrawing_anothers,
            403,
            "payload.withdrawn",
        ),
        (
            "pk-liaison-1",
            "actor.registered",
            json!({"id": "other", "name": "Other", "kind": "militia", "aliases": []}),
            403,
            "author",
        ),
    ];
    support::assert_refused(&app, cases.into()).await;
}

#[tokio::test]
async fn an_actor_is_asked_for_by_a_well_formed_id_or_index() {
    let app = spawn_exercise().await;
    let cases = [
        ("/api/v1/actors/TTP", 400, Some("id")),
        ("/api/v1/actors/007", 400, Some("index")),
        ("/api/v1/actors/nobody", 404, None),
        ("/api/v1/actors/0", 404, None),
        ("/api/v1/actors?side=pk", 400, Some("side")),
    ];
    for (path, status, field) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), status, "{path}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"].as_str(), field, "{path}: {problem}");
    }
}

#[tokio::test]
async fn a_restarted_node_still_refuses_a_registered_id_and_finds_the_actor() {
    let mut app = spawn_exercise().await;
    app.stop().await;
    let node = truce_server::start(config(app.dir.path()), Some(truce_server::Demo::Exercise))
        .await
        .unwrap();
    app.addr = node.addr;
    app.node = Some(node);
    let again = json!({"id": "ttp", "name": "Again", "kind": "armed_group", "aliases": []});
    let response = write(&app, "jmt-monitor-1", "actor.registered", again).await;
    assert_eq!(response.status(), 409);
    let filing = json!({"actor": "ttp", "party": "af", "lang": "en",
        "designation": "Exercise", "text": "Exercise text."});
    let response = write(&app, "af-liaison-1", "designation.filed", filing).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}
