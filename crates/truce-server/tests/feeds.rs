//! `/feeds/findings.atom`: the exercise's final finding, as an Atom feed.

mod support;

#[tokio::test]
async fn final_findings_are_an_atom_feed() {
    let app = support::spawn_exercise().await;
    let response = app.get("/feeds/findings.atom").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed = response.text().await.unwrap();
    assert!(feed.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom">"#));
    let entries = feed.matches("<entry>").count();
    assert!(entries >= 1, "{feed}");
    assert_eq!(entries, feed.matches("</entry>").count());
    let findings = app.get_json("/api/v1/findings?limit=100").await;
    let finals = findings["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["final_idx"].is_null())
        .count();
    assert_eq!(entries, finals, "{feed}");
    // Text from the log is character data, never markup.
    let text = feed.replace("<entry>", "").replace("</entry>", "");
    assert!(!text.contains("<script"));
}
