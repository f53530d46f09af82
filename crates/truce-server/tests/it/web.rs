//! The public dashboard at `/`, over HTTP against a real node: languages and their
//! direction, the security headers, escaping, the map, and the page's weight.

use crate::support;
use crate::support::web::{browser_logged_in, cookies_set, csrf_in, form_body, header, page};
use crate::support::{TestApp, clash_report, file_report, spawn_exercise};

#[tokio::test]
async fn the_dashboard_is_html_with_its_security_headers_and_a_map() {
    let app = spawn_exercise().await;
    let (status, headers, body) = page(&app, "/", &[]).await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    let csp = header(&headers, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{directive} not in {csp}");
    }
    assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert!(body.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(body.contains("<svg"), "no map");
    assert!(body.contains("Durand Line (de facto border)"));
    assert!(!body.to_lowercase().contains("international border"));
    // The exercise's crossings and parties are on it; no inline script or style.
    assert!(body.contains("Torkham"), "no crossing");
    assert!(
        body.contains(r#"class="crossing st-"#),
        "no crossing marker"
    );
    // No inline script or style: the one script is a file of this origin (the map's pan
    // and zoom), and the page is whole without it.
    let scripts: Vec<&str> = body.split("<script").skip(1).collect();
    assert_eq!(scripts.len(), 1);
    assert!(
        scripts[0].starts_with(" src=\"/static/map."),
        "{}",
        scripts[0]
    );
    assert!(!body.contains("<style") && !body.contains("style="));
    // Field conditions: the page is small even before compression.
    assert!(body.len() < 150_000, "{} bytes", body.len());
}

#[tokio::test]
async fn a_node_without_a_genesis_shows_an_empty_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let config = support::config(dir.path());
    let app = TestApp::start(config, dir).await;
    let (status, _, body) = page(&app, "/", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("No border geometry is agreed in this record yet."));
    assert!(!body.contains("<svg"));
}

#[tokio::test]
async fn pashto_is_chosen_by_the_query_remembered_by_the_cookie_and_right_to_left() {
    let app = spawn_exercise().await;
    let (status, headers, body) = page(&app, "/?lang=ps", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"lang="ps" dir="rtl""#), "not Pashto rtl");
    let cookie = header(&headers, "set-cookie");
    assert!(cookie.starts_with("lang=ps;"), "{cookie}");
    assert!(
        cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    // The next request carries the cookie and no query: still Pashto.
    let (_, headers, body) = page(&app, "/", &[("cookie", "lang=ps")]).await;
    assert!(body.contains(r#"<html lang="ps" dir="rtl">"#));
    assert!(headers.get("set-cookie").is_none());
    // The query wins over the cookie.
    let (_, _, body) = page(&app, "/?lang=tr", &[("cookie", "lang=ps")]).await;
    assert!(body.contains(r#"<html lang="tr" dir="ltr">"#));
}

#[tokio::test]
async fn accept_language_chooses_urdu_and_dari_right_to_left() {
    let app = spawn_exercise().await;
    let (_, headers, body) = page(&app, "/", &[("accept-language", "ur, en;q=0.5")]).await;
    assert!(body.contains(r#"<html lang="ur" dir="rtl">"#));
    assert!(header(&headers, "vary").contains("Accept-Language"));
    let (_, _, body) = page(&app, "/", &[("accept-language", "fa-AF")]).await;
    assert!(body.contains(r#"<html lang="fa-AF" dir="rtl">"#));
    let (_, _, body) = page(&app, "/?lang=ar", &[]).await;
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(body.contains("خط ديورند"));
    let (_, _, body) = page(&app, "/", &[("accept-language", "de, fr")]).await;
    assert!(body.contains(r#"<html lang="en" dir="ltr">"#));
}

/// The agreement names its delegations, provisions and measures in the six languages:
/// pages in another language use those names, and fall back to the text as written.
#[tokio::test]
async fn pages_name_parties_provisions_and_measures_as_the_agreement_does_in_their_language() {
    let app = spawn_exercise().await;
    let (_, _, urdu) = page(&app, "/?lang=ur", &[]).await;
    assert!(
        urdu.contains("افغانستان (کابل میں ڈی فیکٹو حکام)"),
        "the party, in Urdu"
    );
    assert!(
        urdu.contains("مخاصمت کا خاتمہ"),
        "a provision's title, in Urdu"
    );
    assert!(
        urdu.contains("باضابطہ نوٹس"),
        "the measure's title, in Urdu"
    );
    assert!(!urdu.contains("Afghanistan (de facto authorities in Kabul)"));
    let (_, _, turkish) = page(&app, "/?lang=tr", &[]).await;
    assert!(
        turkish.contains("Afganistan (Kabil&#39;deki fiilî yönetim)")
            || turkish.contains("Afganistan (Kabil'deki fiilî yönetim)"),
        "the party, in Turkish (askama escapes an apostrophe as &#39;)"
    );
    let (_, _, english) = page(&app, "/?lang=en", &[]).await;
    assert!(english.contains("Afghanistan (de facto authorities in Kabul)"));
    assert!(english.contains("Cessation of hostilities"));
    let (_, _, talks) = page(&app, "/talks?lang=ps", &[]).await;
    assert!(talks.contains("ترکیه (منځګړی)"), "a mediator, in Pashto");
}

#[tokio::test]
async fn a_report_holding_markup_is_shown_as_text() {
    let app = spawn_exercise().await;
    let mut report = clash_report();
    report["title"] = serde_json::json!("<script>alert(1)</script> & more");
    let response = file_report(&app, "pk-liaison-1", report).await;
    assert_eq!(response.status(), 201);
    let (_, _, body) = page(&app, "/", &[]).await;
    assert!(!body.contains("<script>alert(1)</script>"));
    assert!(
        body.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; more")
            || body.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"),
        "the title is not on the page, escaped"
    );
}

#[tokio::test]
async fn the_page_compressed_is_under_300_kb_and_its_stylesheet_is_cached_long() {
    let app = spawn_exercise().await;
    let response = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(header(response.headers(), "content-encoding"), "gzip");
    let compressed = response.bytes().await.unwrap();
    assert!(compressed.len() < 300_000, "{} bytes", compressed.len());

    let (_, _, body) = page(&app, "/", &[]).await;
    let css = body
        .split(r#"<link rel="stylesheet" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(
        css.starts_with("/static/app.") && css.len() == "/static/app.".len() + 16 + ".css".len(),
        "{css}"
    );
    let (status, headers, sheet) = page(&app, css, &[]).await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/css"));
    assert!(header(&headers, "cache-control").contains("max-age=31536000"));
    assert!(sheet.contains("margin-inline-start"));
    let (status, _, _) = page(&app, "/static/app.0000000000000000.css", &[]).await;
    assert_eq!(status, 404);
}

/// The exercise's incident that Afghanistan is accused in (the mortar fire near Angoor Adda).
async fn incident_accusing_af(app: &TestApp) -> i64 {
    let incidents = app.get_json("/api/v1/incidents").await;
    incidents["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["accused"] == serde_json::json!(["af"])
                && i["title"].as_str().unwrap().contains("mortar")
        })
        .and_then(|i| i["index"].as_i64())
        .expect("the exercise has the mortar incident")
}

#[tokio::test]
async fn an_incident_page_shows_its_timeline_accounts_and_a_verify_button_per_step() {
    let app = spawn_exercise().await;
    let index = incident_accusing_af(&app).await;
    let statement = serde_json::json!({"figures": {"injured": {"low": 0, "best": 1, "high": 2},
        "killed": {"low": 0, "best": 0, "high": 0}}, "incident": index, "kind": "clarification",
        "lang": "en", "party": "af", "sources": [], "text": "<img src=x onerror=alert(1)> & more"});
    let response = support::write(&app, "af-liaison-1", "statement.filed", statement).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());

    let (status, headers, body) = page(&app, &format!("/incidents/{index}?lang=en"), &[]).await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-security-policy").contains("script-src 'self'"));
    assert!(
        !body.contains("<img src=x"),
        "a statement's markup is shown as text"
    );
    assert!(
        body.contains("&#60;img src=x onerror=alert(1)&#62; &#38; more")
            || body.contains("&lt;img src=x")
    );
    assert!(
        body.contains("Afghanistan"),
        "the accused party's account is shown"
    );
    assert!(
        body.contains("The mechanism&#39;s findings") || body.contains("The mechanism's findings")
    );
    let steps = body.matches("<li id=\"entry-").count();
    assert!(steps >= 5, "{steps} steps");
    assert_eq!(body.matches("class=\"verify\" data-index=").count(), steps);
    assert_eq!(body.matches("/proof\" download>").count(), steps);
    let vkey = app.get("/log/vkey").await.text().await.unwrap();
    assert!(
        body.contains(&format!("data-log-vkey=\"{}\"", vkey.trim())),
        "the log key is on the page"
    );

    let script = body
        .split("<script src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(
        script.starts_with("/static/verify.") && script.len() == "/static/verify.".len() + 16 + 3,
        "{script}"
    );
    let (status, headers, js) = page(&app, script, &[]).await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").starts_with("text/javascript"));
    assert!(js.contains("crypto.subtle.verify"));

    let (status, _, rtl) = page(&app, &format!("/incidents/{index}?lang=ps"), &[]).await;
    assert_eq!(status, 200);
    assert!(rtl.contains("<html lang=\"ps\" dir=\"rtl\">"));
}

#[tokio::test]
async fn an_incident_page_for_what_is_not_an_incident_is_a_clear_error() {
    let app = spawn_exercise().await;
    let (status, _, body) = page(&app, "/incidents/1", &[]).await;
    assert_eq!(status, 404);
    assert!(body.contains("entry 1 is not an incident"), "{body}");
    let (status, _, body) = page(&app, "/incidents/first", &[]).await;
    assert_eq!(status, 400);
    assert!(body.contains("index"), "{body}");
}

#[tokio::test]
async fn desk_forms_need_the_sessions_csrf_token_and_a_session_that_has_not_ended() {
    let app = spawn_exercise().await;
    let session = browser_logged_in(&app, "tr-commissioner-1").await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let desk = client
        .get(app.url("/desk"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(desk.status(), 200);
    assert_eq!(header(desk.headers(), "cache-control"), "no-store");
    let csrf = csrf_in(&desk.text().await.unwrap());
    let post = |path: &str, token: &str, finding: &str| {
        client
            .post(app.url(path))
            .header("cookie", &session)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(&[("csrf", token), ("finding", finding)]))
            .send()
    };
    let forged = post("/desk/finalize", &"0".repeat(32), "1").await.unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged.text().await.unwrap().contains("csrf"));
    // The right token reaches the log, whose refusal names the field on the page.
    let refused = post("/desk/finalize", &csrf, "1").await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("class=\"problem\"") && page.contains("payload.finding"),
        "{page}"
    );

    let out = post("/logout", &csrf, "").await.unwrap();
    assert_eq!(out.status(), 303);
    let after = client
        .get(app.url("/desk"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(header(after.headers(), "location"), "/login");
}

#[tokio::test]
async fn a_wrong_password_or_a_login_form_from_elsewhere_is_refused_on_the_page() {
    let app = spawn_exercise().await;
    let form = app.get("/login").await;
    let login_cookie = cookies_set(form.headers());
    let csrf = csrf_in(&form.text().await.unwrap());
    let login = |cookie: String, password: &'static str| {
        app.client
            .post(app.url("/login"))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(&[
                ("csrf", csrf.as_str()),
                ("name", "pk-liaison-1"),
                ("password", password),
            ]))
            .send()
    };
    let wrong = login(login_cookie.clone(), "nope").await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("The name or the password is wrong")
    );
    // A form posted from another site carries no matching login cookie.
    let elsewhere = login(String::new(), "exercise-only").await.unwrap();
    assert_eq!(elsewhere.status(), 403);
}

#[tokio::test]
async fn the_record_page_pages_through_entries_and_names_a_bad_page() {
    let app = spawn_exercise().await;
    let size = app.size().await;
    let (status, _, body) = page(&app, "/record", &[]).await;
    assert_eq!(status, 200);
    assert!(
        body.contains(&format!("/api/v1/entries/{}/proof", size - 1)),
        "the newest entry is listed"
    );
    assert!(
        body.contains(&format!("/record?before={}", size - 25)),
        "an older page is linked"
    );
    let (status, _, body) = page(&app, "/record?before=3", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("/api/v1/entries/0/proof") && !body.contains("/api/v1/entries/3/proof"));
    let (status, _, body) = page(&app, "/record?before=soon", &[]).await;
    assert_eq!(status, 400);
    assert!(body.contains("\"field\":\"before\""), "{body}");
}

#[tokio::test]
async fn a_crossing_page_shows_its_statuses_and_each_partys_flows() {
    let app = spawn_exercise().await;
    let (_, _, dashboard) = page(&app, "/", &[]).await;
    assert!(dashboard.contains("href=\"/crossings/chaman-spin-boldak\""));
    let (status, _, body) = page(&app, "/crossings/chaman-spin-boldak?lang=en", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Deportations only"), "the current status");
    assert!(
        body.contains("8,000"),
        "the deportations the Taliban authorities reported"
    );
    // The country's name (CLDR's), isolated by Fluent as any placeable is.
    assert!(body.contains("into \u{2068}Afghanistan\u{2069}") && body.contains("deportation"));
    let (status, _, body) = page(&app, "/crossings/nowhere", &[]).await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn the_talks_page_lists_rounds_with_their_commitments() {
    let app = spawn_exercise().await;
    let (status, _, body) = page(&app, "/talks?lang=en", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Istanbul"));
    assert!(
        body.contains("Set up a monitoring mechanism"),
        "a commitment under its round"
    );
    assert!(body.contains("Met"), "the commitment's status in words");
}

#[tokio::test]
async fn a_browser_is_shown_a_problem_as_a_page_and_an_api_client_as_json() {
    let app = spawn_exercise().await;
    let html = [("accept", "text/html,application/xhtml+xml")];
    let (status, headers, body) = page(&app, "/incidents/1?lang=ps", &html).await;
    assert_eq!(status, 404);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(
        body.contains("dir=\"rtl\"") && body.contains("entry 1 is not an incident"),
        "{body}"
    );
    let (status, headers, _) = page(&app, "/incidents/1", &[]).await;
    assert_eq!(status, 404);
    assert!(header(&headers, "content-type").starts_with("application/problem+json"));
}

#[tokio::test]
async fn the_dashboard_charts_allegations_per_party_and_per_provision() {
    let app = spawn_exercise().await;
    let (_, _, body) = page(&app, "/?lang=en", &[]).await;
    assert!(body.contains("Allegations per month against each party"));
    assert!(body.contains("Allegations per month under each provision"));
    assert!(body.contains("id=\"trend-t\"") && body.contains("id=\"provision-trend-t\""));
    // A bar's title names its series, month and count.
    assert!(
        body.contains("Cessation of hostilities, 2025-10:"),
        "a provision's bar"
    );
}

#[tokio::test]
async fn the_dashboard_links_the_situation_report_of_the_latest_day_with_reports() {
    let app = spawn_exercise().await;
    let (_, _, body) = page(&app, "/?lang=en", &[]).await;
    let link = body
        .split("href=\"/reports/daily/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to a daily report");
    let (status, _, report) = page(&app, &format!("/reports/daily/{link}?lang=en"), &[]).await;
    assert_eq!(status, 200, "{report}");
}
