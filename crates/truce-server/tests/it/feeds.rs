//! `/feeds/findings.atom`: the exercise's final finding, as an Atom feed.

use crate::support;
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

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The feed parsed as XML, checked for what RFC 4287 requires of a feed and of each
/// entry (id, title, updated; a link), with unique ids. Returns the entries' elements as
/// (id, title, summary, hrefs) for the test to look into.
fn atom_entries(xml: &str) -> Vec<(String, String, String, Vec<String>)> {
    let document = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let feed = document.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "{xml}");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    for required in ["id", "title", "updated"] {
        assert!(!child(feed, required).is_empty(), "feed lacks {required}");
    }
    let updated = child(feed, "updated");
    time::OffsetDateTime::parse(&updated, &time::format_description::well_known::Rfc3339)
        .expect("updated is an RFC 3339 time");
    let mut ids = std::collections::HashSet::new();
    let mut entries = vec![];
    for entry in feed.children().filter(|c| c.has_tag_name((ATOM, "entry"))) {
        for required in ["id", "title", "updated"] {
            assert!(!child(entry, required).is_empty(), "entry lacks {required}");
        }
        assert!(ids.insert(child(entry, "id")), "entry ids repeat");
        let hrefs: Vec<String> = entry
            .children()
            .filter(|c| c.has_tag_name((ATOM, "link")))
            .filter_map(|c| c.attribute("href").map(str::to_string))
            .collect();
        assert!(!hrefs.is_empty(), "entry without a link");
        entries.push((
            child(entry, "id"),
            child(entry, "title"),
            child(entry, "summary"),
            hrefs,
        ));
    }
    entries
}

#[tokio::test]
async fn published_reports_are_an_atom_feed_linked_from_the_dashboard() {
    let app = support::spawn_exercise().await;
    let empty = app.get("/feeds/reports.atom").await.text().await.unwrap();
    assert!(atom_entries(&empty).is_empty());

    let daily = serde_json::json!({
        "period": {"from": "2025-10-12", "to": "2025-10-12"}, "language": "ps",
        "format": "pdf", "sha256": "a1".repeat(32),
        "title": "<script>alert(1)</script> & daily",
        "url": "https://example.org/r/2025-10-12.pdf?a=1&b=2",
    });
    let period = serde_json::json!({
        "period": {"from": "2025-10-01", "to": "2025-10-31"}, "language": "en",
        "format": "html", "sha256": "b2".repeat(32),
    });
    for (key, payload) in [("tr-commissioner-1", daily), ("jmt-monitor-1", period)] {
        let response = support::write(&app, key, "report.published", payload).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }

    let response = app.get("/feeds/reports.atom").await;
    let kind = response.headers()["content-type"].to_str().unwrap();
    assert!(kind.starts_with("application/atom+xml"), "{kind}");
    let entries = atom_entries(&response.text().await.unwrap());
    assert_eq!(entries.len(), 2);
    let (_, title, summary, hrefs) = &entries[0];
    assert_eq!(
        title,
        "Situation report 2025-10-01 to 2025-10-31 (HTML, en)"
    );
    assert!(summary.contains(&"b2".repeat(32)), "{summary}");
    assert!(hrefs.contains(&"/reports/period?from=2025-10-01&to=2025-10-31&lang=en".into()));
    let (_, title, _, hrefs) = &entries[1];
    assert_eq!(title, "<script>alert(1)</script> & daily (PDF, ps)");
    assert!(hrefs.contains(&"https://example.org/r/2025-10-12.pdf?a=1&b=2".into()));
    assert!(hrefs.contains(&"/reports/daily/2025-10-12?lang=ps".into()));
    assert!(hrefs.iter().any(|h| h.ends_with("/proof")), "{hrefs:?}");

    let findings = app.get("/feeds/findings.atom").await.text().await.unwrap();
    assert!(!atom_entries(&findings).is_empty());
    let dashboard = app.get("/?lang=en").await.text().await.unwrap();
    for feed in ["/feeds/findings.atom", "/feeds/reports.atom"] {
        let link = format!(r#"<link rel="alternate" type="application/atom+xml" href="{feed}""#);
        assert!(
            dashboard.contains(&link),
            "{feed} not linked from the dashboard"
        );
    }
}
