//! The anonymous public report form (`/report`) and the monitors' handling of what it
//! receives, over HTTP against a real node, as a browser without JavaScript sends it.

use crate::support;
use crate::support::web::{
    as_browser, browser_logged_in, cookies_set, csrf_in, desk_post, field_in, form_body, header,
    no_redirects,
};
use crate::support::{TestApp, spawn_exercise};

const ACCOUNT: &str = "Mortar rounds landed near the school in Chaman at dawn; two houses burned.";
const CONTACT: &str = "ask for Gul at the Chaman bazaar pharmacy";

/// A public report form as a person would fill it, with the fields `changes` changed.
fn filled<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("account", ACCOUNT),
        ("date", "2025-10-14"),
        ("place", "Chaman, Killa Abdullah, Balochistan"),
        ("lat", "30.92"),
        ("lon", "66.45"),
        ("killed", ""),
        ("injured", "3"),
        ("contact", CONTACT),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

/// Posts the form as a browser that loaded it does (its cookie and token), or without the
/// cookie when `cookie` is false: (status, location, body).
async fn send(app: &TestApp, fields: &[(&str, &str)], cookie: bool) -> (u16, String, String) {
    let client = no_redirects();
    let form = client.get(app.url("/report")).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let jar = cookies_set(form.headers());
    assert!(jar.starts_with("truce_public="), "{jar}");
    // The token the page's form carries is the cookie's value; a closed form has no form,
    // and a draft kept offline from an earlier page still carries it.
    let csrf = jar.trim_start_matches("truce_public=").to_string();
    let mut pairs = vec![("csrf", csrf.as_str())];
    pairs.extend_from_slice(fields);
    let mut request = client
        .post(app.url("/report"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&pairs));
    if cookie {
        request = request.header("cookie", jar);
    }
    let answer = request.send().await.unwrap();
    let status = answer.status().as_u16();
    let location = header(answer.headers(), "location").to_string();
    (status, location, answer.text().await.unwrap())
}

/// The public report's id from its status page's address.
fn reference(location: &str) -> String {
    let id = location.strip_prefix("/report/").unwrap();
    assert_eq!(id.len(), 24, "{location}");
    id.to_string()
}

/// The files under `dir` holding `needle`.
fn holding(dir: &std::path::Path, needle: &[u8]) -> Vec<std::path::PathBuf> {
    let mut found = vec![];
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(holding(&path, needle));
        } else if std::fs::read(&path)
            .unwrap_or_default()
            .windows(needle.len())
            .any(|w| w == needle)
        {
            found.push(path);
        }
    }
    found
}

/// GET `path` with a session cookie; it must answer 200.
async fn as_person(app: &TestApp, session: &str, path: &str) -> String {
    let (status, page) = as_browser(app, session, path).await;
    assert_eq!(status, 200, "{path}");
    page
}

#[tokio::test]
async fn a_public_report_reaches_the_record_only_as_a_monitors_report_naming_it() {
    let app = spawn_exercise().await;
    let (status, location, _) = send(&app, &filled(&[]), true).await;
    assert_eq!(status, 303);
    let id = reference(&location);

    // The reporter's status page tells the status, never what was written or the contact.
    let mine = app.get_text(&location).await;
    assert!(
        mine.contains("Waiting for a monitor") && mine.contains(&id),
        "{mine}"
    );
    assert!(!mine.contains("Mortar") && !mine.contains("pharmacy"));
    // Nothing reached the log: the public report is not an entry.
    let size = app.size().await;

    // A liaison does not see the queue; a monitor does. The contact was sealed to the
    // exercise's custodians on arrival: the desk says so and shows how to have it opened,
    // and the node kept it nowhere in clear.
    let liaison = browser_logged_in(&app, "pk-liaison-1").await;
    let theirs = as_person(&app, &liaison, "/desk").await;
    assert!(!theirs.contains(&id) && !theirs.contains("pharmacy"));
    let monitor = browser_logged_in(&app, "jmt-monitor-1").await;
    let desk = as_person(&app, &monitor, "/desk").await;
    assert!(desk.contains(&id) && desk.contains("Mortar rounds") && !desk.contains("pharmacy"));
    assert!(
        desk.contains("sealed to the custodians of testimony")
            && desk.contains(&format!("truce testimony record --public-report {id}")),
        "{desk}"
    );
    assert!(
        holding(app.dir.path(), CONTACT.as_bytes()).is_empty(),
        "the contact is in clear on disk"
    );

    // Preparing a report from it fills the form; the monitor completes and signs it.
    let prepared = as_person(&app, &monitor, &format!("/desk?intake={id}")).await;
    assert!(
        prepared.contains(&format!(r#"name="intake" value="{id}""#)),
        "{prepared}"
    );
    assert!(prepared.contains(&format!("Public report {id} (anonymous)")));
    let csrf = csrf_in(&prepared);
    let source = format!("Public report {id} (anonymous)");
    let report = [
        ("csrf", csrf.as_str()),
        ("intake", id.as_str()),
        ("title", "Mortar fire near a school in Chaman"),
        ("summary", ACCOUNT),
        (
            "event",
            "explosions_remote_violence/shelling_artillery_missile_attack",
        ),
        ("date", "2025-10-14"),
        ("date_prec", "day"),
        ("place", "Chaman"),
        ("lat", "30.92"),
        ("lon", "66.45"),
        ("where_prec", "2"),
        ("killed_low", "0"),
        ("killed_best", "0"),
        ("killed_high", "0"),
        ("injured_low", "3"),
        ("injured_best", "3"),
        ("injured_high", "3"),
        ("accused", ""),
        ("source_name", source.as_str()),
        ("source_reliability", "F"),
        ("source_credibility", "6"),
    ];
    let (status, location, body) = desk_post(&app, &monitor, "/desk/report", &report).await;
    assert_eq!(status, 303, "{body}");
    let index: u64 = location
        .strip_prefix("/desk?done=")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(index, size, "the report is the next entry");

    // On the record: the monitor's report naming the public one, without the contact.
    let entry = app.get_text(&format!("/api/v1/entries/{index}")).await;
    assert!(
        entry.contains(&source) && entry.contains("jmt/monitor-1"),
        "{entry}"
    );
    assert!(!entry.contains("pharmacy"));
    let mine = app.get_text(&format!("/report/{id}")).await;
    assert!(mine.contains("Filed on the record"), "{mine}");
    assert!(mine.contains(&format!(r#"href="/api/v1/entries/{index}""#)));
    let desk = as_person(&app, &monitor, "/desk").await;
    assert!(
        !desk.contains("pharmacy"),
        "a filed report leaves the queue"
    );
}

#[tokio::test]
async fn a_bad_public_report_is_refused_naming_the_field_with_the_draft_kept_and_nothing_kept() {
    let app = spawn_exercise().await;
    let cases: [(&[(&str, &str)], &str); 7] = [
        (
            &[("account", "boom")],
            "account: must be 10 to 4000 characters (is 4)",
        ),
        (&[("date", "2999-01-01")], "date: 2999-01-01 is after today"),
        (&[("date", "14/10/2025")], "date: must be a date YYYY-MM-DD"),
        (&[("lon", "")], "lon: must be degrees from -180 to 180"),
        (&[("lat", "91")], "lat: must be degrees from -90 to 90"),
        (
            &[("killed", "-1")],
            "killed: must be a whole number from 0 to 100000",
        ),
        (
            &[("place", "Chaman\u{0}")],
            "place: must not contain the control character U+0000",
        ),
    ];
    for (changes, reason) in cases {
        let (status, _, page) = send(&app, &filled(changes), true).await;
        assert_eq!(status, 400, "{changes:?}");
        assert!(
            page.contains(reason),
            "{changes:?}: no {reason:?} in\n{page}"
        );
        assert!(page.contains("pharmacy"), "the draft is kept: {changes:?}");
    }
    // A form posted from another site (no cookie) is refused, the draft kept.
    let (status, _, page) = send(&app, &filled(&[]), false).await;
    assert_eq!(status, 403);
    assert!(page.contains("csrf") && page.contains("Mortar rounds"));

    let monitor = browser_logged_in(&app, "jmt-monitor-1").await;
    let desk = as_person(&app, &monitor, "/desk").await;
    // The exercise's own two public reports, and none of the refused ones.
    let queued = desk.matches(r#"<article class="public-report""#).count();
    assert_eq!(queued, 2, "nothing refused was kept");
    assert!(!desk.contains("pharmacy"));
}

#[tokio::test]
async fn only_a_monitor_dismisses_a_public_report_and_the_reporter_sees_why() {
    let app = spawn_exercise().await;
    let (_, location, _) = send(&app, &filled(&[]), true).await;
    let id = reference(&location);

    let liaison = browser_logged_in(&app, "af-liaison-1").await;
    let csrf = csrf_in(&as_person(&app, &liaison, "/desk").await);
    let dismissal = [
        ("csrf", csrf.as_str()),
        ("intake", id.as_str()),
        ("reason", "not ours"),
    ];
    let (status, _, _) = desk_post(&app, &liaison, "/desk/dismiss", &dismissal).await;
    assert_eq!(status, 403);

    let monitor = browser_logged_in(&app, "jmt-monitor-1").await;
    let csrf = csrf_in(&as_person(&app, &monitor, "/desk").await);
    let no_reason = [
        ("csrf", csrf.as_str()),
        ("intake", id.as_str()),
        ("reason", ""),
    ];
    let (status, _, page) = desk_post(&app, &monitor, "/desk/dismiss", &no_reason).await;
    assert_eq!(status, 400);
    assert!(
        page.contains("reason: must be 3 to 500 characters (is 0)"),
        "{page}"
    );

    let reason = "Duplicate of report 14, already under investigation";
    let dismissal = [
        ("csrf", csrf.as_str()),
        ("intake", id.as_str()),
        ("reason", reason),
    ];
    let (status, location, _) = desk_post(&app, &monitor, "/desk/dismiss", &dismissal).await;
    assert_eq!((status, location.as_str()), (303, "/desk#public-h"));
    let mine = app.get_text(&format!("/report/{id}")).await;
    assert!(
        mine.contains("Not filed") && mine.contains(reason),
        "{mine}"
    );

    // Settled once: a second monitor's dismissal names the first's.
    let (status, _, page) = desk_post(&app, &monitor, "/desk/dismiss", &dismissal).await;
    assert_eq!(status, 400);
    assert!(
        page.contains("was dismissed by jmt-monitor-1 already"),
        "{page}"
    );
    // An unknown or malformed reference is not found.
    assert_eq!(
        app.get("/report/0123456789abcdef01234567").await.status(),
        404
    );
    assert_eq!(app.get("/report/not-a-reference").await.status(), 404);
}

#[tokio::test]
async fn the_caps_close_the_form_and_say_why_keeping_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(dir.path());
    config.limits.public_reports_hour_max = 2;
    let app = TestApp::start(config, dir).await;
    for _ in 0..2 {
        assert_eq!(send(&app, &filled(&[]), true).await.0, 303);
    }
    let (status, _, page) = send(&app, &filled(&[]), true).await;
    assert_eq!(status, 429);
    assert!(
        page.contains("2 public reports arrived in the last hour"),
        "{page}"
    );
    assert!(page.contains("pharmacy"), "the draft is kept");

    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(dir.path());
    config.limits.public_reports_pending_max = 0;
    let app = TestApp::start(config, dir).await;
    let form = app.get_text("/report").await;
    assert!(form.contains("The form takes no more reports at the moment"));
    assert!(!form.contains(r#"action="/report""#));
    let (status, _, page) = send(&app, &filled(&[]), true).await;
    assert_eq!(status, 503);
    assert!(
        page.contains("public reports to read before they can take more"),
        "{page}"
    );
}

/// Finding 8 of issue 17: one person could fill the pending cap and close the form for
/// everyone. Past a quarter of the cap each report costs proof of work, with a MAC by the node
/// so it cannot be lowered, and spent once; below it a browser without JavaScript files
/// as before.
#[tokio::test]
async fn past_a_quarter_of_the_queue_a_report_costs_work_that_cannot_be_forged_or_replayed() {
    use truce_server::work;
    assert_eq!(
        (work::bits(249, 1_000), work::bits(250, 1_000)),
        (0, work::BITS_FIRST)
    );
    assert_eq!(work::bits(1_000, 1_000), work::BITS_LAST);
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(dir.path());
    config.limits.public_reports_pending_max = 8;
    let app = TestApp::start(config, dir).await;
    for _ in 0..2 {
        assert_eq!(send(&app, &filled(&[]), true).await.0, 303, "no work yet");
    }
    // Two of eight wait: work is asked for, and a form sent without it is refused.
    let (status, _, page) = send(&app, &filled(&[]), true).await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("proof of work is missing or wrong"), "{page}");
    assert!(page.contains("pharmacy"), "the draft is kept");

    let (jar, challenge) = form_with_work(&app).await;
    let bits: u32 = challenge.split('.').nth(1).unwrap().parse().unwrap();
    assert_eq!(bits, work::BITS_FIRST);
    let nonce = solve(&challenge, bits);
    assert_eq!(post(&app, &jar, &challenge, &nonce).await.0, 303);
    let (status, page) = post(&app, &jar, &challenge, &nonce).await;
    assert_eq!(status, 400, "replayed");
    assert!(page.contains("this form was sent already"), "{page}");

    // A challenge whose bits were lowered fails its MAC, however well it is solved.
    let (jar, challenge) = form_with_work(&app).await;
    let parts: Vec<&str> = challenge.split('.').collect();
    let forged = [parts[0], "1", parts[2], parts[3]].join(".");
    let (status, page) = post(&app, &jar, &forged, &solve(&forged, 1)).await;
    assert_eq!(status, 400);
    assert!(page.contains("too old or from another server"), "{page}");
}

/// Loads the form: its cookie and its proof-of-work challenge.
async fn form_with_work(app: &TestApp) -> (String, String) {
    let form = no_redirects().get(app.url("/report")).send().await.unwrap();
    let jar = cookies_set(form.headers());
    let page = form.text().await.unwrap();
    (jar, field_in(&page, "work"))
}

fn solve(challenge: &str, bits: u32) -> String {
    (0..u64::MAX)
        .map(|n| n.to_string())
        .find(|nonce| truce_server::work::zero_bits(challenge, nonce) >= bits)
        .unwrap()
}

/// Posts the filled form with this work: (status, page).
async fn post(app: &TestApp, jar: &str, challenge: &str, nonce: &str) -> (u16, String) {
    let csrf = jar.trim_start_matches("truce_public=").to_string();
    let mut pairs = vec![
        ("csrf", csrf.as_str()),
        ("work", challenge),
        ("nonce", nonce),
    ];
    pairs.extend_from_slice(&filled(&[]));
    let answer = no_redirects()
        .post(app.url("/report"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", jar)
        .body(form_body(&pairs))
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

/// A custodian's desk lists the requests to unseal a testimony they hold a share of, with
/// the command that approves one from their own machine; once they approved, it is gone.
#[tokio::test]
async fn a_custodians_desk_lists_the_requests_awaiting_their_approval() {
    let app = spawn_exercise().await;
    let list = app.get_json("/api/v1/testimonies").await;
    let testimony = list["items"][0]["index"].as_u64().unwrap();
    let request = serde_json::json!({"testimony": testimony, "reason": "EXERCISE: to re-interview the witness",
        "recipient": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="});
    let answer = support::write(&app, "jmt-monitor-2", "testimony.unseal_requested", request).await;
    assert_eq!(answer.status(), 201);
    let index: u64 = answer.json::<serde_json::Value>().await.unwrap()["index"]
        .as_u64()
        .unwrap();
    let custodian = browser_logged_in(&app, "tr-commissioner-1").await;
    let desk = as_person(&app, &custodian, "/desk").await;
    assert!(
        desk.contains("Requests to unseal")
            && desk.contains("EXERCISE Witness W-1")
            && desk.contains(&format!("--request {index}")),
        "{desk}"
    );
    let liaison = browser_logged_in(&app, "pk-liaison-1").await;
    let theirs = as_person(&app, &liaison, "/desk").await;
    assert!(!theirs.contains("Requests to unseal"));
    let approval = serde_json::json!({"request": index, "sha256": "ab".repeat(32)});
    let answer = support::write(
        &app,
        "tr-commissioner-1",
        "testimony.unseal_approved",
        approval,
    )
    .await;
    assert_eq!(answer.status(), 201);
    let desk = as_person(&app, &custodian, "/desk").await;
    assert!(!desk.contains(&format!("--request {index}")), "{desk}");
}

/// An incident's page shows its sealed testimonies as every delegation may see them: the
/// pseudonym, the consent, the statement the witness agreed may be shown; never who.
#[tokio::test]
async fn an_incidents_page_shows_its_sealed_testimony_without_the_witness() {
    let app = spawn_exercise().await;
    let list = app.get_json("/api/v1/testimonies").await;
    let testimony = &list["items"][0];
    let incident = testimony["incident_idx"].as_u64().unwrap();
    let page = app.get_text(&format!("/incidents/{incident}")).await;
    assert!(
        page.contains("Sealed testimony")
            && page.contains("EXERCISE Witness W-1")
            && page.contains("may be published redacted")
            && page.contains("I saw two rounds land near the Chaman market"),
        "{page}"
    );
    assert!(!page.contains("shopkeeper"), "the sealed identity shows");
}
