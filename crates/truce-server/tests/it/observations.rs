//! Observations over HTTP on the whole exercise: the daily counts per reporting delegation
//! (the mechanism's first, each party's own beside it), the sensors down, the situation
//! report's lead line in two languages, and the rules refusing what is malformed or not
//! the signer's to record, appending nothing.

use crate::support;
use crate::support::*;
use serde_json::{Value, json};

/// Text without the Unicode isolation marks Fluent puts around each argument.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
        .collect()
}

fn counts(daily: &Value) -> Vec<(String, bool, i64, i64, i64)> {
    daily["delegations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["delegation"].as_str().unwrap().to_string(),
                d["mechanism"].as_bool().unwrap(),
                d["total"].as_i64().unwrap(),
                d["explosions"].as_i64().unwrap(),
                d["previous_explosions"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_daily_counts_put_the_mechanism_first_and_each_party_beside_it() {
    let app = spawn_exercise().await;
    let daily = app
        .get_json("/api/v1/observations/daily?day=2025-11-10")
        .await;
    assert_eq!(
        (daily["from"].as_str(), daily["previous_to"].as_str()),
        (Some("2025-11-10"), Some("2025-11-09"))
    );
    assert_eq!(
        counts(&daily),
        [
            ("jmt".to_string(), true, 39, 16, 6),
            ("af".to_string(), false, 17, 17, 0),
            ("pk".to_string(), false, 21, 21, 0),
        ]
    );
    assert_eq!(daily["sensors_down"], json!([]));

    let eighth = app
        .get_json("/api/v1/observations/daily?day=2025-11-08&province=Balochistan")
        .await;
    assert_eq!(
        daily_area(&eighth),
        json!({"province": "PK-BA"}),
        "a name resolves to its code"
    );
    assert_eq!(counts(&eighth), [("jmt".to_string(), true, 2, 0, 2)]);
    assert_eq!(eighth["sensors_down"][0]["sensor"], "cam-chaman-1");
    assert_eq!(eighth["sensors_down"][0]["since"], "2025-11-08T02:10:00Z");

    let sensors = app.get_json("/api/v1/sensors").await;
    let states: Vec<(&str, &str)> = sensors
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            ("cam-chaman-1", "up"),
            ("cam-torkham-1", "up"),
            ("drone-jmt-1", "up")
        ]
    );

    let listed = app
        .get_json("/api/v1/observations?day=2025-11-10&sector=torkham&limit=2")
        .await;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|o| o["sector"] == "torkham" && o["day"] == "2025-11-10")
    );
    assert!(
        listed["next"].is_string(),
        "three were recorded near Torkham that day"
    );
}

fn daily_area(daily: &Value) -> Value {
    daily["area"].clone()
}

#[tokio::test]
async fn the_daily_report_leads_with_the_violations_observed() {
    let app = spawn_exercise().await;
    let page = app.get_text("/reports/daily/2025-11-10?lang=en").await;
    let page = plain(&page);
    assert!(
        page.contains("39 violations observed, including 16 explosions (6 the day before)."),
        "{page}"
    );
    assert!(page.contains("Violations observed, by whose count"));
    let arabic = app.get_text("/reports/daily/2025-11-08?lang=ar").await;
    assert!(
        plain(&arabic).contains("رُصد 20 خرقًا، منها 10 انفجارًا (4 في اليوم السابق)."),
        "{arabic}"
    );
    assert!(
        arabic.contains("Chaman camera 1"),
        "the camera down that day is named"
    );
    let document = app.get_json("/reports/daily/2025-11-10.json?lang=en").await;
    assert!(plain(document["lead_line"].as_str().unwrap()).starts_with("39 violations observed"));
    // A day nobody observed: no lead line, rather than a claim of calm.
    let quiet = app.get_json("/reports/daily/2025-10-01.json?lang=en").await;
    assert_eq!(quiet["lead_line"], Value::Null);
}

fn observation(counts: &Value) -> Value {
    let now = now();
    let hour_ago = truce_core::Timestamp::from_unix_seconds(now.unix_seconds() - 3600);
    json!({"platform": "patrol", "place": "test patrol near Torkham",
        "position": {"lat": 34.12, "lon": 71.1},
        "start": hour_ago.as_str(), "end": now.as_str(), "counts": counts})
}

#[tokio::test]
async fn an_observation_recorded_now_counts_today_and_malformed_ones_are_refused_by_field() {
    let app = spawn_exercise().await;
    let line = json!([{"kind": "impact", "count": 4, "perception": "heard", "from_side": "af"}]);
    let response = write(
        &app,
        "jmt-monitor-1",
        "observation.recorded",
        observation(&line),
    )
    .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let today = now().instant().date().to_string();
    let daily = app
        .get_json(&format!(
            "/api/v1/observations/daily?day={today}&sector=torkham"
        ))
        .await;
    assert_eq!(counts(&daily)[0], ("jmt".to_string(), true, 4, 4, 0));

    let negative = observation(&json!([{"kind": "impact", "count": -3, "perception": "heard"}]));
    let mut backwards =
        observation(&json!([{"kind": "impact", "count": 1, "perception": "heard"}]));
    backwards["start"] = json!(now().as_str());
    backwards["end"] = json!("2025-11-01T00:00:00Z");
    let mut unknown_sensor =
        observation(&json!([{"kind": "flare", "count": 1, "perception": "seen"}]));
    unknown_sensor["platform"] = json!("sensor");
    unknown_sensor["sensor"] = json!("cam-nowhere");
    let not_a_party = observation(
        &json!([{"kind": "impact", "count": 1, "perception": "heard", "from_side": "jmt"}]),
    );
    let mut dangling = observation(&json!([{"kind": "impact", "count": 1, "perception": "heard"}]));
    dangling["incidents"] = json!([3]);
    let sensor = json!({"id": "cam-torkham-1", "kind": "fixed_camera", "name": "again"});
    let cases = vec![
        (
            "jmt-monitor-1",
            "observation.recorded",
            negative,
            422,
            "payload.counts[0].count",
        ),
        (
            "jmt-monitor-1",
            "observation.recorded",
            backwards,
            422,
            "payload.end",
        ),
        (
            "jmt-monitor-1",
            "observation.recorded",
            unknown_sensor,
            422,
            "payload.sensor",
        ),
        (
            "jmt-monitor-1",
            "observation.recorded",
            not_a_party,
            422,
            "payload.counts[0].from_side",
        ),
        (
            "jmt-monitor-1",
            "observation.recorded",
            dangling,
            422,
            "payload.incidents[0]",
        ),
        (
            "tr-commissioner-1",
            "observation.recorded",
            observation(&json!([{"kind": "flare", "count": 1, "perception": "seen"}])),
            403,
            "author",
        ),
        (
            "pk-liaison-1",
            "sensor.registered",
            json!({"id": "cam-pk-1", "kind": "fixed_camera", "name": "ours"}),
            403,
            "author",
        ),
        (
            "jmt-monitor-1",
            "sensor.registered",
            sensor,
            409,
            "payload.id",
        ),
        (
            "jmt-monitor-1",
            "sensor.status",
            json!({"sensor": "cam-nowhere", "state": "down", "since": "2025-11-08T00:00:00Z"}),
            422,
            "payload.sensor",
        ),
    ];
    support::assert_refused(&app, cases).await;
}

#[tokio::test]
async fn the_observation_queries_name_the_parameter_they_refuse() {
    let app = spawn_exercise().await;
    let cases = [
        ("/api/v1/observations/daily?day=10-11-2025", "day"),
        ("/api/v1/observations/daily?province=Atlantis", "province"),
        ("/api/v1/observations/daily?sector=Torkham%20Gate", "sector"),
        ("/api/v1/observations/daily?area=all", "area"),
        ("/api/v1/observations?limit=0", "limit"),
    ];
    for (path, field) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status(), 400, "{path}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{path}: {problem}");
    }
}

/// The desk's observation form as a monitor and as a liaison fills it: a monitor's counts
/// are the mechanism's, a liaison's its party's own; a commissioner is not offered it; a
/// negative count comes back on the page naming the field, with what was typed kept.
#[tokio::test]
async fn the_desk_records_observations_for_monitors_and_liaisons() {
    use crate::support::web::{as_browser, browser_logged_in, csrf_in, desk_post};
    let app = spawn_exercise().await;
    let hour_ago = truce_core::Timestamp::from_unix_seconds(now().unix_seconds() - 3600);
    let ending = now();
    let (start, end) = (&hour_ago.as_str()[..16], &ending.as_str()[..16]);
    for (who, count) in [("jmt-monitor-1", "6"), ("af-liaison-1", "9")] {
        let session = browser_logged_in(&app, who).await;
        let (_, desk) = as_browser(&app, &session, "/desk?lang=ps").await;
        assert!(desk.contains(r#"action="/desk/observation""#), "{who}");
        let csrf = csrf_in(&desk);
        let form = [
            ("csrf", csrf.as_str()),
            ("platform", "observation_post"),
            ("sensor", ""),
            ("place", "desk test post near Torkham"),
            ("lat", "34.12"),
            ("lon", "71.1"),
            ("start", start),
            ("end", end),
            ("kind_1", "impact"),
            ("count_1", count),
            ("perception_1", "heard"),
            ("from_1", "pk"),
            ("kind_2", ""),
            ("count_2", ""),
        ];
        let (status, location, body) = desk_post(&app, &session, "/desk/observation", &form).await;
        assert_eq!(status, 303, "{who}: {body}");
        assert!(location.starts_with("/desk?done="), "{location}");
    }
    let today = now().instant().date().to_string();
    let daily = app
        .get_json(&format!(
            "/api/v1/observations/daily?day={today}&sector=torkham"
        ))
        .await;
    assert_eq!(
        counts(&daily),
        [
            ("jmt".to_string(), true, 6, 6, 0),
            ("af".to_string(), false, 9, 9, 0)
        ]
    );

    let commissioner = browser_logged_in(&app, "tr-commissioner-1").await;
    let (_, desk) = as_browser(&app, &commissioner, "/desk").await;
    assert!(!desk.contains(r#"action="/desk/observation""#));

    let monitor = browser_logged_in(&app, "jmt-monitor-1").await;
    let (_, desk) = as_browser(&app, &monitor, "/desk").await;
    let csrf = csrf_in(&desk);
    let size = app.size().await;
    let negative = [
        ("csrf", csrf.as_str()),
        ("platform", "patrol"),
        ("place", "desk test patrol"),
        ("lat", "34.12"),
        ("lon", "71.1"),
        ("start", start),
        ("end", end),
        ("kind_1", "impact"),
        ("count_1", "-2"),
        ("perception_1", "heard"),
    ];
    let (status, _, page) = desk_post(&app, &monitor, "/desk/observation", &negative).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("payload.counts[0].count"), "{page}");
    assert!(page.contains("desk test patrol"), "what was typed is kept");
    assert_eq!(app.size().await, size);
}

fn restriction(controlled_by: &str, kind: &str, delay: Option<u32>) -> Value {
    json!({"movement": "patrol", "kind": kind, "delay_minutes": delay,
        "at": "2025-11-10T08:00:00Z", "controlled_by": controlled_by,
        "place": "test checkpoint", "reason_given": "No passage today.",
        "notified": false, "outcome": "turned back", "provision": "access"})
}

#[tokio::test]
async fn restrictions_count_against_the_party_that_controlled_the_place() {
    let app = spawn_exercise().await;
    let compliance = app.get_json("/api/v1/compliance").await;
    let of = |party: &str| {
        compliance["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["party"] == party)
            .unwrap()["restrictions"]
            .clone()
    };
    assert_eq!(of("pk"), json!({"total": 1, "by_status": {"delay": 1}}));
    assert_eq!(of("af"), json!({"total": 1, "by_status": {"denial": 1}}));
    let delayed = app.get_json("/api/v1/restrictions?party=pk").await;
    assert_eq!(delayed["items"][0]["delay_minutes"], 43);
    assert_eq!(delayed["items"][0]["notified"], 1);

    let week = app
        .get_text("/reports/period?from=2025-11-05&to=2025-11-11&lang=en")
        .await;
    assert!(week.contains("Restrictions on the monitors"));
    assert!(
        week.contains("“EXERCISE: Orders from headquarters; wait here for clearance.”"),
        "the reason given is quoted as given"
    );

    // A party's liaison may record the other side's restriction, never its own.
    let response = write(
        &app,
        "af-liaison-1",
        "restriction.recorded",
        restriction("pk", "denial", None),
    )
    .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let cases = vec![
        (
            "pk-liaison-1",
            "restriction.recorded",
            restriction("pk", "denial", None),
            403,
            "payload.controlled_by",
        ),
        (
            "jmt-monitor-1",
            "restriction.recorded",
            restriction("jmt", "denial", None),
            422,
            "payload.controlled_by",
        ),
        (
            "jmt-monitor-1",
            "restriction.recorded",
            restriction("pk", "delay", None),
            422,
            "payload.delay_minutes",
        ),
        (
            "tr-commissioner-1",
            "restriction.recorded",
            restriction("pk", "denial", None),
            403,
            "author",
        ),
        (
            "jmt-monitor-1",
            "restriction.recorded",
            {
                let mut r = restriction("pk", "denial", None);
                r["provision"] = json!("curfew");
                r
            },
            422,
            "payload.provision",
        ),
        (
            "jmt-monitor-1",
            "restriction.recorded",
            {
                let mut r = restriction("pk", "denial", None);
                r["at"] = json!("2999-01-01T00:00:00Z");
                r
            },
            422,
            "payload.at",
        ),
    ];
    support::assert_refused(&app, cases).await;
}

/// The contact the exercise opened with `party` by `channel`, by log index.
async fn exercise_contact(app: &TestApp, party: &str, channel: &str) -> u64 {
    let listed = app
        .get_json(&format!("/api/v1/liaison?party={party}&channel={channel}"))
        .await;
    listed["items"][0]["index"].as_u64().unwrap()
}

#[tokio::test]
async fn the_liaison_channel_measures_how_each_party_answers() {
    let app = spawn_exercise().await;
    let compliance = app.get_json("/api/v1/compliance").await;
    let answers = |party: &str| {
        compliance["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["party"] == party)
            .unwrap()["liaison"]
            .clone()
    };
    // Pakistan answered the call in 12 minutes and the notice in 40; Afghanistan left the
    // message unanswered and acknowledged the notice after 149 minutes.
    assert_eq!(
        answers("pk"),
        json!({"contacts": 2, "acknowledged": 2, "no_answer": 0, "mean_response_s": 1560, "max_response_s": 2400})
    );
    assert_eq!(
        answers("af"),
        json!({"contacts": 2, "acknowledged": 1, "no_answer": 1, "mean_response_s": 8940, "max_response_s": 8940})
    );
    let week = app
        .get_text("/reports/period?from=2025-11-05&to=2025-11-11&lang=en")
        .await;
    assert!(week.contains("The liaison channel") && week.contains("Not acknowledged"));
}

#[tokio::test]
async fn only_the_contacted_partys_own_liaison_acknowledges_and_each_step_happens_once() {
    let app = spawn_exercise().await;
    let message = exercise_contact(&app, "af", "message").await;
    let call = exercise_contact(&app, "pk", "hotline_call").await;
    let fresh = json!({"party": "af", "channel": "hotline_call", "subject": "test call"});
    let response = write(&app, "jmt-monitor-1", "liaison.contact", fresh).await;
    assert_eq!(response.status(), 201);
    let opened: Value = response.json().await.unwrap();
    let opened = opened["index"].as_u64().unwrap();
    let cases = vec![
        (
            "pk-liaison-1",
            "liaison.acknowledged",
            json!({"contact": message}),
            403,
            "author",
        ),
        (
            "jmt-monitor-1",
            "liaison.acknowledged",
            json!({"contact": message}),
            403,
            "author",
        ),
        (
            "pk-liaison-1",
            "liaison.acknowledged",
            json!({"contact": call}),
            409,
            "payload.contact",
        ),
        (
            "jmt-monitor-1",
            "liaison.outcome",
            json!({"contact": call, "outcome": "escalated"}),
            409,
            "payload.contact",
        ),
        (
            "af-liaison-1",
            "liaison.acknowledged",
            json!({"contact": 3}),
            422,
            "payload.contact",
        ),
        (
            "jmt-monitor-1",
            "liaison.contact",
            json!({"party": "jmt", "channel": "message", "subject": "x"}),
            422,
            "payload.party",
        ),
        (
            "jmt-monitor-1",
            "liaison.contact",
            json!({"party": "pk", "channel": "movement_notice", "subject": "x"}),
            422,
            "payload.movement",
        ),
        (
            "pk-liaison-1",
            "liaison.contact",
            json!({"party": "af", "channel": "message", "subject": "x"}),
            403,
            "author",
        ),
    ];
    support::assert_refused(&app, cases).await;
    let response = write(
        &app,
        "af-liaison-1",
        "liaison.acknowledged",
        json!({"contact": opened}),
    )
    .await;
    assert_eq!(
        response.status(),
        201,
        "the contacted party's own liaison acknowledges"
    );
    let listed = app
        .get_json("/api/v1/liaison?party=af&channel=hotline_call")
        .await;
    assert_eq!(listed["items"][0]["acknowledged_idx"], opened + 1);
    assert!(listed["items"][0]["response_s"].as_i64().unwrap() >= 0);
}

#[tokio::test]
async fn an_incident_shows_how_sure_the_mechanism_is_and_reconciles_the_figures() {
    let app = spawn_exercise().await;
    let incidents = app.get_json("/api/v1/incidents?limit=50").await;
    let mortar = incidents["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"].as_str().unwrap().contains("mortar"))
        .unwrap()["index"]
        .as_u64()
        .unwrap();
    let detail = app.get_json(&format!("/api/v1/incidents/{mortar}")).await;
    assert_eq!(detail["verifications"][0]["status"], "verified", "{detail}");
    assert_eq!(detail["reconciliation"]["killed_best"], 2);
    let violation = detail["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["provision"] == "ceasefire")
        .unwrap();
    assert_eq!(violation["intent"], "deliberate");
    let page = app.get_text(&format!("/incidents/{mortar}?lang=en")).await;
    let page = plain(&page);
    for shown in [
        "How sure the mechanism is",
        "The mechanism (corroborated)",
        "1–2–3",
        "Assessed: <strong>Deliberate</strong>",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }

    let report = detail["reports"][0]["index"].as_u64().unwrap();
    let verified = |status: &str, corroborating: Value| {
        json!({"report": report, "status": status, "rule": "two independent credible sources",
            "corroborating": corroborating})
    };
    let reconciled = |incident: u64| {
        json!({"incident": incident, "killed": {"low": 1, "best": 1, "high": 1},
            "injured": {"low": 0, "best": 0, "high": 0}, "explanation": "test"})
    };
    let cases = vec![
        (
            "jmt-monitor-1",
            "report.verified",
            verified("corroborated", json!([])),
            422,
            "payload.corroborating",
        ),
        (
            "jmt-monitor-1",
            "report.verified",
            verified("verified", json!([report])),
            422,
            "payload.corroborating",
        ),
        (
            "pk-liaison-1",
            "report.verified",
            verified("discounted", json!([])),
            403,
            "author",
        ),
        (
            "jmt-monitor-1",
            "report.verified",
            json!({"report": mortar, "status": "verified", "rule": "x"}),
            422,
            "payload.report",
        ),
        (
            "jmt-monitor-1",
            "casualties.reconciled",
            reconciled(report),
            422,
            "payload.incident",
        ),
        (
            "tr-commissioner-1",
            "casualties.reconciled",
            reconciled(mortar),
            403,
            "author",
        ),
    ];
    support::assert_refused(&app, cases).await;
}

/// A liaison acknowledges the mechanism's contact from the desk, with its own key; a
/// monitor records a restriction from the desk, and the refusal of a liaison recording its
/// own side's restriction comes back on the page naming the field.
#[tokio::test]
async fn the_desk_acknowledges_contacts_and_records_restrictions() {
    use crate::support::web::{as_browser, browser_logged_in, csrf_in, desk_post};
    let app = spawn_exercise().await;
    let message = exercise_contact(&app, "af", "message").await;
    let liaison = browser_logged_in(&app, "af-liaison-1").await;
    let (_, desk) = as_browser(&app, &liaison, "/desk?lang=fa-AF").await;
    assert!(
        desk.contains(&format!(r#"id="contact-{message}""#)),
        "the unanswered message waits"
    );
    let csrf = csrf_in(&desk);
    let contact = message.to_string();
    let ack = [
        ("csrf", csrf.as_str()),
        ("contact", contact.as_str()),
        ("note", ""),
    ];
    let (status, _, body) = desk_post(&app, &liaison, "/desk/acknowledge", &ack).await;
    assert_eq!(status, 303, "{body}");
    let listed = app
        .get_json("/api/v1/liaison?party=af&channel=message")
        .await;
    assert!(listed["items"][0]["response_s"].as_i64().unwrap() > 0);

    let restriction = |csrf: &str, controlled_by: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("movement".into(), "patrol".into()),
            ("kind".into(), "delay".into()),
            ("minutes".into(), "25".into()),
            ("at".into(), "2025-11-12T08:00".into()),
            ("controlled_by".into(), controlled_by.into()),
            ("place".into(), "desk test checkpoint".into()),
            ("reason_given".into(), "Wait for the commander.".into()),
            ("notified".into(), "yes".into()),
            ("provision".into(), "access".into()),
            ("outcome".into(), "passed after 25 minutes".into()),
        ]
    };
    let monitor = browser_logged_in(&app, "jmt-monitor-1").await;
    let (_, desk) = as_browser(&app, &monitor, "/desk").await;
    let pairs = restriction(&csrf_in(&desk), "pk");
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, body) = desk_post(&app, &monitor, "/desk/restriction", &pairs).await;
    assert_eq!(status, 303, "{body}");
    let delayed = app
        .get_json("/api/v1/restrictions?party=pk&kind=delay")
        .await;
    assert_eq!(delayed["items"][0]["delay_minutes"], 25);

    let (_, desk) = as_browser(&app, &liaison, "/desk").await;
    let own = restriction(&csrf_in(&desk), "af");
    let own: Vec<(&str, &str)> = own.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, _, page) = desk_post(&app, &liaison, "/desk/restriction", &own).await;
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("payload.controlled_by"), "{page}");
}

/// A monitor opens a liaison contact and sets a report's verification status from the
/// desk; a movement notice without its route is refused naming the field.
#[tokio::test]
async fn the_desk_opens_contacts_and_sets_verification_statuses() {
    use crate::support::web::{as_browser, browser_logged_in, csrf_in, desk_post};
    let app = spawn_exercise().await;
    let monitor = browser_logged_in(&app, "jmt-monitor-2").await;
    let (_, desk) = as_browser(&app, &monitor, "/desk?lang=ur").await;
    assert!(
        desk.contains(r#"action="/desk/contact""#)
            && desk.contains(r#"action="/desk/verification""#)
    );
    let csrf = csrf_in(&desk);
    let notice = [
        ("csrf", csrf.as_str()),
        ("party", "pk"),
        ("channel", "movement_notice"),
        ("incident", ""),
        ("subject", "desk test patrol"),
        ("route", "Torkham gate to Landi Kotal"),
        ("window_start", "2026-01-02T08:00"),
        ("window_end", "2026-01-02T12:00"),
    ];
    let (status, _, body) = desk_post(&app, &monitor, "/desk/contact", &notice).await;
    assert_eq!(status, 303, "{body}");
    let listed = app
        .get_json("/api/v1/liaison?party=pk&channel=movement_notice")
        .await;
    assert_eq!(listed["items"][0]["route"], "Torkham gate to Landi Kotal");
    let no_route = [
        ("csrf", csrf.as_str()),
        ("party", "pk"),
        ("channel", "movement_notice"),
        ("subject", "desk test patrol"),
        ("route", ""),
    ];
    let (status, _, page) = desk_post(&app, &monitor, "/desk/contact", &no_route).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("payload.movement"), "{page}");

    let report = app.get_json("/api/v1/reports?limit=1").await["items"][0]["index"]
        .as_u64()
        .unwrap()
        .to_string();
    let verification = [
        ("csrf", csrf.as_str()),
        ("report", report.as_str()),
        ("status", "under_review"),
        ("corroborating", ""),
        ("rule", "one source so far"),
    ];
    let (status, _, body) = desk_post(&app, &monitor, "/desk/verification", &verification).await;
    assert_eq!(status, 303, "{body}");
}

#[tokio::test]
async fn observations_export_as_csv_for_an_area() {
    let app = spawn_exercise().await;
    let response = app
        .get("/api/v1/exports/observations.csv?sector=chaman-spin-boldak")
        .await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("index,day,start_at,end_at,platform")
    );
    let rows: Vec<&str> = lines.collect();
    // Seven patrols and six camera watches near Chaman, newest first.
    assert_eq!(rows.len(), 13, "{text}");
    assert!(rows.iter().all(|r| r.contains(",chaman-spin-boldak,")));
    let problem: Value = app
        .get("/api/v1/exports/observations.csv?day=2025-11-10")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(problem["field"], "day", "an export takes only an area");
}

#[tokio::test]
async fn the_observations_page_shows_a_day_by_delegation_in_any_language() {
    let app = spawn_exercise().await;
    let page = app.get_text("/observations?day=2025-11-10&lang=en").await;
    let page = plain(&page);
    assert!(
        page.contains("39 violations observed, including 16 explosions (6 the day before)."),
        "{page}"
    );
    assert!(
        page.contains("Impact 9") && page.contains("Burst of fire 10"),
        "{page}"
    );
    let latest = app.get("/observations?lang=ar").await;
    assert_eq!(latest.status(), 200);
    let latest = latest.text().await.unwrap();
    assert!(
        latest.contains(r#"dir="rtl""#) && latest.contains("2025-11-11"),
        "the latest day observed"
    );
    let sector = app
        .get_text("/observations?day=2025-11-08&sector=chaman-spin-boldak&lang=en")
        .await;
    assert!(
        sector.contains("Chaman camera 1"),
        "the camera down that day"
    );
    let bad = app.get("/observations?day=8-11-2025").await;
    assert_eq!(bad.status(), 400);
}

/// The rest of the monitors' forms: a sensor registered and put down, a contact's outcome,
/// an incident's reconciliation; an outcome recorded twice is refused naming the field.
#[tokio::test]
async fn the_desk_registers_sensors_closes_contacts_and_reconciles_figures() {
    use crate::support::web::{as_browser, browser_logged_in, csrf_in, desk_post};
    let app = spawn_exercise().await;
    let monitor = browser_logged_in(&app, "jmt-monitor-1").await;
    let (_, desk) = as_browser(&app, &monitor, "/desk?lang=tr").await;
    let csrf = csrf_in(&desk);
    let sensor = [
        ("csrf", csrf.as_str()),
        ("id", "cam-desk-1"),
        ("kind", "fixed_camera"),
        ("name", "desk camera"),
        ("lat", "34.12"),
        ("lon", "71.1"),
    ];
    let (status, _, body) = desk_post(&app, &monitor, "/desk/sensor", &sensor).await;
    assert_eq!(status, 303, "{body}");
    let down = [
        ("csrf", csrf.as_str()),
        ("sensor", "cam-desk-1"),
        ("state", "down"),
        ("since", "2025-12-01T10:00"),
        ("reason", "lens obstructed"),
    ];
    let (status, _, body) = desk_post(&app, &monitor, "/desk/sensor-status", &down).await;
    assert_eq!(status, 303, "{body}");
    let sensors = app.get_json("/api/v1/sensors").await;
    let camera = sensors
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "cam-desk-1")
        .unwrap()
        .clone();
    assert_eq!(camera["state"], "down");

    let notice = exercise_contact(&app, "af", "movement_notice")
        .await
        .to_string();
    let outcome = [
        ("csrf", csrf.as_str()),
        ("contact", notice.as_str()),
        ("outcome", "de_escalated"),
        ("note", ""),
    ];
    let (status, _, body) = desk_post(&app, &monitor, "/desk/outcome", &outcome).await;
    assert_eq!(status, 303, "{body}");
    let (status, _, page) = desk_post(&app, &monitor, "/desk/outcome", &outcome).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("payload.contact"));

    let incidents = app.get_json("/api/v1/incidents?limit=1").await;
    let incident = incidents["items"][0]["index"].as_u64().unwrap().to_string();
    let reconcile = [
        ("csrf", csrf.as_str()),
        ("incident", incident.as_str()),
        ("killed_low", "0"),
        ("killed_best", "1"),
        ("killed_high", "2"),
        ("injured_low", "0"),
        ("injured_best", "0"),
        ("injured_high", "1"),
        (
            "explanation",
            "desk test: one death confirmed by the clinic",
        ),
    ];
    let (status, _, body) = desk_post(&app, &monitor, "/desk/reconciliation", &reconcile).await;
    assert_eq!(status, 303, "{body}");
    let detail = app.get_json(&format!("/api/v1/incidents/{incident}")).await;
    assert_eq!(detail["reconciliation"]["killed_best"], 1);
}
