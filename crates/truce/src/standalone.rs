//! A page a node serves, made whole for reading offline (`truce report ... --format html`):
//! its stylesheets are put into the file (with the webfonts they name as `data:` URLs, so
//! Pashto, Dari, Urdu and Arabic keep their script's font), its scripts left out (the
//! page is whole without them: the map and charts are SVG already), and its links and
//! forms made absolute, so that they lead back to the node when there is a network.

use std::collections::HashMap;

use anyhow::Context as _;
use base64::Engine as _;
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::Failure;
use crate::client::Node;

/// The page at `path` (its query included in `query`) as one self-contained file.
pub async fn page(node: &Node, path: &str, query: &[(String, String)]) -> Result<String, Failure> {
    let html = node.get_bytes(path, query).await?;
    let html = String::from_utf8(html).context("the page is not UTF-8")?;
    let mut styles = HashMap::new();
    for href in stylesheets(&html)? {
        let css = node.get_bytes(&href, &[]).await?;
        let css = String::from_utf8(css).with_context(|| format!("{href} is not UTF-8"))?;
        styles.insert(href, with_fonts_inside(node, &css).await?);
    }
    Ok(rewrite(&html, &styles, node.url(), path)?)
}

/// The stylesheets a page links, in order.
fn stylesheets(html: &str) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("link[rel=stylesheet][href]", |el| {
                found.extend(el.get_attribute("href"));
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    )
    .context("reading the page's HTML")?;
    Ok(found)
}

/// The stylesheet with each `url(/...)` it names replaced by the file as a `data:` URL.
async fn with_fonts_inside(node: &Node, css: &str) -> Result<String, Failure> {
    let mut whole = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        let (before, after) = rest.split_at(at + "url(".len());
        whole.push_str(before);
        let end = after
            .find(')')
            .context("a url( in the stylesheet is not closed")?;
        let target = after[..end].trim_matches(|c| c == '"' || c == '\'');
        if target.starts_with('/') {
            let bytes = node.get_bytes(target, &[]).await?;
            let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
            whole.push_str("data:");
            whole.push_str(media_type(target));
            whole.push_str(";base64,");
            whole.push_str(&encoded);
        } else {
            whole.push_str(&after[..end]);
        }
        rest = &after[end..];
    }
    whole.push_str(rest);
    Ok(whole)
}

fn media_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("ttf") => "font/ttf",
        Some("woff2") => "font/woff2",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The page with its stylesheets inline, no scripts, and links absolute on `server`.
fn rewrite(
    html: &str,
    styles: &HashMap<String, String>,
    server: &str,
    path: &str,
) -> anyhow::Result<String> {
    let absolute = |href: &str| -> Option<String> {
        if href.starts_with('/') {
            Some(format!("{server}{href}"))
        } else if href.starts_with('?') {
            Some(format!("{server}{path}{href}"))
        } else {
            None
        }
    };
    let settings = RewriteStrSettings {
        element_content_handlers: vec![
            element!("link[rel=stylesheet][href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if let Some(css) = styles.get(&href) {
                    // CSS cannot hold "</" in a style element; "<\/" reads the same in CSS.
                    let css = css.replace("</", "<\\/");
                    el.replace(&format!("<style>{css}</style>"), ContentType::Html);
                }
                Ok(())
            }),
            element!("script", |el| {
                el.remove();
                Ok(())
            }),
            element!("a[href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if let Some(url) = absolute(&href) {
                    el.set_attribute("href", &url)?;
                }
                Ok(())
            }),
            // The period form asks the node for another period.
            element!("form[action]", |el| {
                let action = el.get_attribute("action").unwrap_or_default();
                if let Some(url) = absolute(&action) {
                    el.set_attribute("action", &url)?;
                }
                Ok(())
            }),
        ],
        ..RewriteStrSettings::new()
    };
    rewrite_str(html, settings).context("rewriting the page's HTML")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!doctype html><html lang="ps" dir="rtl"><head>
<link rel="stylesheet" href="/static/app.1.css"><link rel="icon" href="data:,">
<script src="/static/map.2.js" defer></script></head><body>
<a href="/incidents/7">incident</a> <a href="?lang=en">English</a> <a href="#main">skip</a>
<a href="https://example.org/">elsewhere</a>
<form method="get" action="/reports/period"></form></body></html>"##;

    #[test]
    fn stylesheets_are_found_and_put_inside_scripts_left_out_links_made_absolute() {
        assert_eq!(stylesheets(PAGE).unwrap(), vec!["/static/app.1.css"]);
        let styles = HashMap::from([(
            "/static/app.1.css".to_string(),
            "b { x: '</style>' }".to_string(),
        )]);
        let whole = rewrite(
            PAGE,
            &styles,
            "http://node:8080",
            "/reports/daily/2025-10-12",
        )
        .unwrap();
        assert!(
            whole.contains("<style>b { x: '<\\/style>' }</style>"),
            "{whole}"
        );
        assert!(!whole.contains("<script") && !whole.contains("app.1.css"));
        assert!(whole.contains(r#"href="http://node:8080/incidents/7""#));
        assert!(whole.contains(r#"href="http://node:8080/reports/daily/2025-10-12?lang=en""#));
        assert!(
            whole.contains(r##"href="#main""##) && whole.contains(r#"href="https://example.org/""#)
        );
        assert!(whole.contains(r#"<link rel="icon" href="data:,">"#));
        assert!(whole.contains(r#"action="http://node:8080/reports/period""#));
    }
}
