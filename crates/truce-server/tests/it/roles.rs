//! Logging in, and every role walked through every endpoint: reads answer the same to
//! everyone (the record is public: any auditor can read every entry, so the API hides
//! nothing that the log shows), and each role may do through the API exactly what the
//! log's rules let its key do, signed by the server with the key it holds for the person
//! and marked `custody: server`.

use crate::support::*;
use serde_json::{Value, json};

const PASSWORD: &str = DEMO_PASSWORD;
const PEOPLE: [&str; 5] = [
    "pk-liaison-1",
    "af-liaison-1",
    "jmt-monitor-1",
    "tr-commissioner-1",
    "qa-commissioner-1",
];

async fn act(app: &TestApp, token: &str, kind: &str, payload: Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/api/v1/actions"))
        .bearer_auth(token)
        .json(&json!({"kind": kind, "payload": payload}))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_name_failing_too_often_must_wait_even_with_the_right_password() {
    let app = spawn_exercise().await;
    for _ in 0..5 {
        let answer = login(&app, "qa-commissioner-1", "guess-guess").await;
        assert_eq!(answer.status(), 401);
    }
    // Beyond the free failures, the name waits, whatever the password (a guesser learns
    // nothing from trying during the wait); the answer names the field and the wait.
    for password in ["guess-guess", PASSWORD] {
        let answer = login(&app, "qa-commissioner-1", password).await;
        assert_eq!(answer.status(), 429);
        let problem: Value = answer.json().await.unwrap();
        assert_eq!(problem["field"], "name");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("try again in 1 s"), "{detail}");
    }
    // Unknown names are slowed alike, so the wait tells nothing of who exists; others not.
    for _ in 0..6 {
        login(&app, "nobody-at-all", "guess-guess").await;
    }
    assert_eq!(login(&app, "nobody-at-all", "x").await.status(), 429);
    assert_eq!(
        login(&app, "tr-commissioner-1", PASSWORD).await.status(),
        201
    );
    // After the wait, the right password logs in and the failures are forgotten.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(
        login(&app, "qa-commissioner-1", PASSWORD).await.status(),
        201
    );
    assert_eq!(
        login(&app, "qa-commissioner-1", "guess-guess")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn wrong_names_and_passwords_get_the_same_answer_and_logout_ends_a_token() {
    let app = spawn_exercise().await;
    let wrong_password: Value = login(&app, "pk-liaison-1", "guess-guess")
        .await
        .json()
        .await
        .unwrap();
    let unknown: Value = login(&app, "nobody", "guess-guess")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wrong_password["status"], 401);
    assert_eq!(
        wrong_password, unknown,
        "the answer must not tell who exists"
    );

    let token = token(&app, "pk-liaison-1").await;
    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let me: Value = me.json().await.unwrap();
    assert_eq!(
        (me["delegation"].as_str(), me["role"].as_str()),
        (Some("pk"), Some("liaison"))
    );
    let out = app
        .client
        .post(app.url("/api/v1/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    let anonymous = app.get("/api/v1/me").await;
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn every_role_reads_every_endpoint_exactly_as_the_public_does() {
    let app = spawn_exercise().await;
    let document = app.get_json("/api/v1/openapi.json").await;
    let mut tokens = vec![];
    for person in PEOPLE {
        tokens.push(token(&app, person).await);
    }
    for (path, item) in document["paths"].as_object().unwrap() {
        // Reads that need a token (who the caller is, where alerts go) are not the
        // record; every other read is the same for everyone.
        let Some(get) = item.get("get") else { continue };
        if get.get("security").is_some() || path.contains('{') || path == "/metrics" {
            continue;
        }
        let public = app.get(path).await;
        let status = public.status();
        let public = public.text().await.unwrap();
        for (person, token) in PEOPLE.iter().zip(&tokens) {
            let seen = app
                .client
                .get(app.url(path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(seen.status(), status, "{person} GET {path}");
            let seen = seen.text().await.unwrap();
            if !path.contains("findings") && !path.contains("incidents") {
                // (findings carry reply_window_open, computed at the time of reading)
                assert_eq!(seen, public, "{person} GET {path}");
            }
        }
    }
}

#[tokio::test]
async fn each_role_does_through_the_api_exactly_what_its_key_may_do() {
    let app = spawn_exercise().await;
    let findings = app
        .get_json("/api/v1/findings?status=awaiting_signatures")
        .await;
    let unsigned = findings["items"][0]["index"].as_u64().unwrap();
    let incident = findings["items"][0]["incident_idx"].as_u64().unwrap();
    let mut report = kabul_account();
    report["title"] = json!("Filed through the API");
    let statement = |party: &str| {
        json!({"figures": null, "incident": incident, "kind": "clarification", "lang": "en",
            "party": party, "sources": [], "text": "Through the API."})
    };
    let vote = json!({"finding": unsigned, "vote": "concur", "reasoning": ""});
    let round = json!({"title": "Technical talks", "place": "Doha", "starts": "2025-11-20T00:00:00Z",
        "participants": ["pk", "af"], "summary": ""});
    // (person, kind, payload, expected status)
    let matrix = [
        ("pk-liaison-1", "report.submitted", report.clone(), 201),
        ("pk-liaison-1", "statement.filed", statement("pk"), 201),
        ("pk-liaison-1", "statement.filed", statement("af"), 403),
        ("pk-liaison-1", "finding.signed", vote.clone(), 403),
        ("af-liaison-1", "statement.filed", statement("af"), 201),
        ("af-liaison-1", "talks.round", round.clone(), 403),
        ("jmt-monitor-1", "report.submitted", report.clone(), 201),
        ("jmt-monitor-1", "talks.round", round.clone(), 403),
        ("jmt-monitor-1", "finding.signed", vote.clone(), 201),
        ("tr-commissioner-1", "report.submitted", report, 403),
        ("tr-commissioner-1", "talks.round", round, 201),
        ("tr-commissioner-1", "finding.signed", vote.clone(), 201),
        (
            "qa-commissioner-1",
            "finding.finalized",
            json!({"finding": unsigned}),
            409,
        ),
    ];
    for (person, kind, payload, expected) in matrix {
        let token = token(&app, person).await;
        let size = app.size().await;
        let (status, answer) = act(&app, &token, kind, payload).await;
        assert_eq!(status, expected, "{person} {kind}: {answer}");
        if status == 201 {
            let entry = app
                .get_json(&format!("/api/v1/entries/{}", answer["index"]))
                .await;
            assert_eq!(
                entry["entry"]["custody"], "server",
                "the entry says the server signed"
            );
            assert!(
                entry["entry"]["author"]
                    .as_str()
                    .unwrap()
                    .ends_with(&person.replacen('-', "/", 1))
            );
        } else {
            assert!(answer["field"].is_string(), "{answer}");
            assert_eq!(app.size().await, size, "a refusal appends nothing");
        }
    }
    let (status, _) = act(&app, "not-a-token", "report.submitted", json!({})).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn the_holder_of_a_registered_key_opens_an_account_and_acts_with_it() {
    let app = spawn_demo().await;
    let key = truce_log::KeyPair::generate(&format!("{ORIGIN}/pk/liaison-2")).unwrap();
    let create = |skey: String, name: &str| {
        let body = json!({"name": name, "password": "long enough", "skey": skey});
        app.client
            .post(app.url("/api/v1/people"))
            .json(&body)
            .send()
    };
    let early = create(key.to_skey(), "pk-liaison-2").await.unwrap();
    assert_eq!(early.status(), 403, "not registered yet");

    let mut root = app.author(app.demo_key("pk-root")).await;
    let registration = json!({"delegation": "pk", "name": key.name().as_str(), "role": "liaison", "vkey": key.vkey()});
    let registered = app
        .post_note(root.write("key.registered", registration, now()))
        .await;
    assert_eq!(registered.status(), 201);

    let created = create(key.to_skey(), "pk-liaison-2").await.unwrap();
    assert_eq!(created.status(), 201);
    let again = create(key.to_skey(), "someone-else").await.unwrap();
    assert_eq!(again.status(), 409, "one account per key");

    let token = {
        let response = login(&app, "pk-liaison-2", "long enough").await;
        let answer: Value = response.json().await.unwrap();
        answer["token"].as_str().unwrap().to_string()
    };
    let (status, answer) = act(&app, &token, "report.submitted", kabul_account()).await;
    assert_eq!(status, 201, "{answer}");
}

#[tokio::test]
async fn long_lived_tokens_need_the_password_and_logging_out_everywhere_ends_them() {
    let app = spawn_exercise().await;
    let session = token(&app, "af-liaison-1").await;
    let mint = |password: &str| {
        app.client
            .post(app.url("/api/v1/tokens"))
            .bearer_auth(&session)
            .json(&json!({"label": "field script", "days": 30, "password": password}))
            .send()
    };
    assert_eq!(mint("not the password").await.unwrap().status(), 401);
    let minted: Value = mint(PASSWORD).await.unwrap().json().await.unwrap();
    let api_token = minted["token"].as_str().unwrap().to_string();
    let me = |token: String| {
        app.client
            .get(app.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(me(api_token.clone()).await.unwrap().status(), 200);
    let out = app
        .client
        .post(app.url("/api/v1/logout?all=true"))
        .bearer_auth(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(me(api_token).await.unwrap().status(), 401);
    assert_eq!(me(session).await.unwrap().status(), 401);
}

#[tokio::test]
async fn the_server_refuses_to_sign_a_number_canonical_json_would_round() {
    let app = spawn_exercise().await;
    let token = token(&app, "jmt-monitor-1").await;
    let size = app.size().await;
    let response = app
        .client
        .post(app.url("/api/v1/actions"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"kind": "incident.opened", "payload": {"accused": [], "reports": [9007199254740993], "summary": "", "title": "x"}}"#)
        .send()
        .await
        .unwrap();
    // Well-formed JSON the description allows, refused as unprocessable.
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], "payload.reports[0]", "{problem}");
    assert_eq!(app.size().await, size);
}
