//! The login throttle against a hostile public (issue 17, findings 1 and 2): names are
//! validated before anything is remembered, a burst of guesses gets only the checks the
//! throttle allows, and the holder of the password still logs in while someone guesses.

use std::time::Instant;

use crate::support::web::{cookies_set, csrf_in, form_body, no_redirects};
use crate::support::*;
use serde_json::{Value, json};

async fn login_with(app: &TestApp, body: Value) -> (u16, Value) {
    let answer = app
        .client
        .post(app.url("/api/v1/login"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.json().await.unwrap())
}

/// Sends `n` logins at once, `name(i)` with a wrong password: how many were checked (401)
/// and how many refused unchecked (429).
async fn burst(app: &TestApp, n: usize, name: impl Fn(usize) -> String) -> (usize, usize) {
    let answers = futures::future::join_all(
        (0..n).map(|i| login_with(app, json!({"name": name(i), "password": "guess-guess"}))),
    )
    .await;
    let count = |status| answers.iter().filter(|(s, _)| *s == status).count();
    assert_eq!(count(401) + count(429), n, "{answers:?}");
    (count(401), count(429))
}

#[tokio::test]
async fn a_name_or_password_no_account_can_have_is_refused_before_it_is_remembered() {
    let app = spawn_exercise().await;
    let huge = "a".repeat(500_000);
    for (body, field) in [
        (json!({"name": huge, "password": "guess-guess"}), "name"),
        (
            json!({"name": "Pk Liaison", "password": "guess-guess"}),
            "name",
        ),
        (
            json!({"name": "pk-liaison-1", "password": "p".repeat(1_025)}),
            "password",
        ),
        (
            json!({"name": "pk-liaison-1", "password": "x", "device": 7}),
            "device",
        ),
    ] {
        let (status, problem) = login_with(&app, body).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (400, Some(field)),
            "{problem}"
        );
        assert!(
            problem["detail"].as_str().unwrap().len() < 200,
            "not shown back whole"
        );
    }
    // The browser's form says the same, without showing the name back whole.
    let client = no_redirects();
    let form = client.get(app.url("/login")).send().await.unwrap();
    let cookie = cookies_set(form.headers());
    let csrf = csrf_in(&form.text().await.unwrap());
    let answer = client
        .post(app.url("/login"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[
            ("csrf", &csrf),
            ("name", &huge),
            ("password", "x"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await.unwrap().len() < 100_000);
}

#[tokio::test]
async fn a_concurrent_burst_of_wrong_guesses_on_a_name_gets_only_the_free_checks() {
    let app = spawn_exercise().await;
    let (checked, refused) = burst(&app, 30, |_| "qa-commissioner-1".into()).await;
    assert!(
        checked <= 5,
        "{checked} guesses were checked, {refused} refused"
    );
}

#[tokio::test]
async fn guesses_sprayed_over_many_names_get_at_most_the_nodes_rate_of_checks() {
    let app = spawn_with(truce_server::Demo::Exercise, |config| {
        config.limits.password_checks_per_s = 2;
    })
    .await;
    let started = Instant::now();
    let (checked, _) = burst(&app, 20, |i| format!("nobody-{i}")).await;
    // The bucket holds a second's worth and refills at the rate while the burst runs.
    let allowed = 2 * (1 + started.elapsed().as_secs() as usize + 1);
    assert!(
        checked <= allowed,
        "{checked} checked, at most {allowed} allowed"
    );
}

#[tokio::test]
async fn the_right_password_still_logs_in_while_an_attacker_keeps_guessing() {
    let app = spawn_exercise().await;
    let (status, first) = login_with(
        &app,
        json!({"name": "pk-liaison-1", "password": DEMO_PASSWORD}),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    let device = first["device"].as_str().unwrap().to_string();
    let browser = browser_login(&app, "pk-liaison-1", None).await;
    assert_eq!(browser.0, 303);
    let browser_device = browser.1;

    // The attacker has no device token: after the free guesses, the name waits for them.
    for _ in 0..3 {
        let (checked, refused) = burst(&app, 10, |_| "pk-liaison-1".into()).await;
        assert!(checked <= 5 && refused >= 5, "{checked} checked");
        let guessed_right = login_with(
            &app,
            json!({"name": "pk-liaison-1", "password": DEMO_PASSWORD}),
        )
        .await;
        assert_eq!(
            guessed_right.0, 429,
            "without the device, even the right password waits"
        );
        // The person, from a device that logged in before, is let through.
        let (status, answer) = login_with(
            &app,
            json!({"name": "pk-liaison-1", "password": DEMO_PASSWORD, "device": device}),
        )
        .await;
        assert_eq!(status, 201, "{answer}");
        let (status, _) = browser_login(&app, "pk-liaison-1", Some(&browser_device)).await;
        assert_eq!(status, 303, "the browser's device cookie lets it through");
    }
    // A device token is its name's only.
    let (status, _) = login_with(
        &app,
        json!({"name": "af-liaison-1", "password": "guess-guess", "device": device}),
    )
    .await;
    assert_eq!(status, 401);
}

/// Logs in through the form, with the device cookie `device` if given: the status and
/// the `truce_device` cookie the answer sets.
async fn browser_login(app: &TestApp, name: &str, device: Option<&str>) -> (u16, String) {
    let client = no_redirects();
    let form = client.get(app.url("/login")).send().await.unwrap();
    let mut cookie = cookies_set(form.headers());
    if let Some(device) = device {
        cookie = format!("{cookie}; {device}");
    }
    let csrf = csrf_in(&form.text().await.unwrap());
    let answer = client
        .post(app.url("/login"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[
            ("csrf", &csrf),
            ("name", name),
            ("password", DEMO_PASSWORD),
        ]))
        .send()
        .await
        .unwrap();
    let device = cookies_set(answer.headers())
        .split("; ")
        .find(|c| c.starts_with("truce_device="))
        .unwrap_or_default()
        .to_string();
    (answer.status().as_u16(), device)
}
