//! Revoking a key ends the account that holds it (issue 17, finding 4): once a
//! `key.revoked` entry is on the log, its holder's tokens and sessions stop working at
//! once, the password logs in no more, and the desk's confidential work (public reports'
//! contacts, dismissing them, webhooks) is closed to them.

use crate::support::web::{as_browser, browser_logged_in, csrf_in, desk_post};
use crate::support::*;
use serde_json::json;

async fn webhooks(app: &TestApp, token: &str) -> u16 {
    let answer = app
        .client
        .get(app.url("/api/v1/webhooks"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    answer.status().as_u16()
}

#[tokio::test]
async fn a_revoked_key_ends_its_holders_logins_tokens_and_desk_at_once() {
    let app = spawn_exercise().await;
    let token = token(&app, "jmt-monitor-1").await;
    let session = browser_logged_in(&app, "jmt-monitor-1").await;
    let (status, desk) = as_browser(&app, &session, "/desk").await;
    assert_eq!(status, 200);
    let csrf = csrf_in(&desk);
    assert_eq!(webhooks(&app, &token).await, 200);

    let key = app.demo_key("jmt-monitor-1");
    let revocation = json!({"name": key.name().as_str(), "reason": "left the mission"});
    let revoked = write(&app, "jmt-root", "key.revoked", revocation).await;
    assert_eq!(revoked.status(), 201, "{}", revoked.text().await.unwrap());

    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401, "the API token ends");
    assert_eq!(
        webhooks(&app, &token).await,
        401,
        "webhooks are not theirs to manage"
    );
    let (status, _) = as_browser(&app, &session, "/desk").await;
    assert_eq!(
        status, 303,
        "the desk (and the public reports' contacts) sends them to log in"
    );
    let dismissal = [
        ("csrf", csrf.as_str()),
        ("intake", "0"),
        ("reason", "not ours"),
    ];
    let (status, _, _) = desk_post(&app, &session, "/desk/dismiss", &dismissal).await;
    assert_eq!(status, 401, "nor may they dismiss a public report");
    let again = login(&app, "jmt-monitor-1", DEMO_PASSWORD).await;
    assert_eq!(again.status(), 401, "the password logs in no more");
    // Others are untouched.
    assert_eq!(
        login(&app, "jmt-monitor-2", DEMO_PASSWORD).await.status(),
        201
    );
}
