//! `GET /feeds/findings.atom`: the mechanism's final findings as an Atom feed (RFC 4287),
//! newest first, so that anyone can follow what the mechanism decides with an ordinary
//! feed reader. Each entry links to the finding in the API and names its log index, where
//! anyone can verify it. `GET /feeds/reports.atom`: the situation reports published on
//! the log (`report.published`), each with its SHA-256, the report's page and the
//! entry's proof. Both are linked from the dashboard (`<link rel="alternate">`).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use truce_log::SignedEntry;
use truce_store::read::Listed;
use truce_store::read::findings::FindingRow;
use truce_store::read::publications::PublicationRow;

use crate::problem::Problem;
use crate::state::AppState;

/// Entries in the feed: enough for a reader that checks daily.
const ENTRIES_MAX: usize = 50;

/// `GET /feeds/findings.atom`.
pub async fn findings(State(state): State<AppState>) -> Result<Response, Problem> {
    let findings = state.store.findings_made_final(ENTRIES_MAX).await?;
    let mut entries = String::new();
    let mut updated = None;
    for finding in &findings {
        let Some(final_idx) = finding.final_idx else {
            continue;
        };
        let time = finalized_at(&state, final_idx).await?;
        updated.get_or_insert_with(|| time.clone());
        entries.push_str(&entry(finding, final_idx, &time));
    }
    let origin = escape(&origin(&state).await?);
    Ok(feed(
        &origin,
        "findings",
        "Final findings",
        updated,
        &entries,
    ))
}

/// The feed around `entries`; `updated` is its newest entry's time (the epoch if none).
fn feed(origin: &str, name: &str, title: &str, updated: Option<String>, entries: &str) -> Response {
    let updated = updated.unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>{title}: {origin}</title>\
         <id>urn:truce:{origin}:{name}</id>\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"/feeds/{name}.atom\"/>\
         <link rel=\"alternate\" type=\"text/html\" href=\"/\"/>\
         <author><name>{origin}</name></author>\
         <updated>{updated}</updated>{entries}</feed>\n"
    );
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed,
    )
        .into_response()
}

/// `GET /feeds/reports.atom`: the published situation reports, newest first.
pub async fn reports(State(state): State<AppState>) -> Result<Response, Problem> {
    let newest = Listed {
        limit: ENTRIES_MAX,
        ..Listed::default()
    };
    let rows: Vec<PublicationRow> = state.store.newest_first(&newest).await?;
    let origin = escape(&origin(&state).await?);
    let entries: String = rows.iter().map(|row| published(&origin, row)).collect();
    let updated = rows.first().map(|row| row.signed_at.clone());
    let title = "Published situation reports";
    Ok(feed(&origin, "reports", title, updated, &entries))
}

/// One published report: its page in the report's language, its file where the
/// publisher put it, and the entry with its proof.
fn published(origin: &str, row: &PublicationRow) -> String {
    let index = row.index;
    let (from, to, lang) = (
        escape(&row.period_from),
        escape(&row.period_to),
        escape(&row.language),
    );
    let (page, period) = if from == to {
        (format!("/reports/daily/{from}?lang={lang}"), from.clone())
    } else {
        (
            format!("/reports/period?from={from}&amp;to={to}&amp;lang={lang}"),
            format!("{from} to {to}"),
        )
    };
    let format = escape(&row.format).to_uppercase();
    let title = match row.title.as_deref().map(escape) {
        Some(t) if !t.is_empty() => format!("{t} ({format}, {lang})"),
        _ => format!("Situation report {period} ({format}, {lang})"),
    };
    let file = match row.url.as_deref().map(escape) {
        Some(url) if !url.is_empty() => format!("<link rel=\"enclosure\" href=\"{url}\"/>"),
        _ => String::new(),
    };
    format!(
        "<entry><id>urn:truce:{origin}:published:{index}</id>\
         <title>{title}</title>\
         <updated>{updated}</updated>\
         <link rel=\"alternate\" type=\"text/html\" hreflang=\"{lang}\" href=\"{page}\"/>{file}\
         <link rel=\"related\" href=\"/api/v1/entries/{index}/proof\"/>\
         <summary>SHA-256 {sha256}. Published by {by}, entered on the log at index {index}.</summary>\
         </entry>",
        updated = escape(&row.signed_at),
        sha256 = escape(&row.sha256),
        by = escape(&row.published_by),
    )
}

fn entry(finding: &FindingRow, final_idx: u64, time: &str) -> String {
    let index = finding.index;
    let party = match finding.party.as_deref().map(escape) {
        Some(party) if !party.is_empty() => format!(" ({party})"),
        _ => String::new(),
    };
    let dissent = match escape(&finding.dissent.join(",")) {
        d if d.is_empty() => String::new(),
        d => format!(" Dissent: {d}."),
    };
    format!(
        "<entry><id>urn:truce:finding:{index}</id>\
         <title>{provision}: {determination}{party}</title>\
         <updated>{time}</updated>\
         <link href=\"/api/v1/findings/{index}\"/>\
         <summary>Attribution: {attribution}; confidence: {confidence}. {reasoning}{dissent} \
         Final at log index {final_idx}.</summary></entry>",
        provision = escape(&finding.provision),
        determination = escape(&finding.determination),
        attribution = escape(finding.attribution.as_deref().unwrap_or_default()),
        confidence = escape(&finding.confidence),
        reasoning = escape(&finding.reasoning),
    )
}

/// The time the finalizing entry claims (its author's, within the log's clock skew).
async fn finalized_at(state: &AppState, index: u64) -> Result<String, Problem> {
    let stored = state.store.entry(index).await?;
    let entry = stored
        .and_then(|e| SignedEntry::parse(e.note).ok())
        .ok_or_else(|| Problem::internal(&format!("entry {index} is missing")))?;
    Ok(entry.envelope().time.as_str().to_string())
}

async fn origin(state: &AppState) -> Result<String, Problem> {
    let genesis = state.genesis().await?;
    Ok(genesis.map_or_else(String::new, |g| g.log.origin.clone()))
}

/// Text as XML character data or an attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_from_the_log_becomes_character_data() {
        assert_eq!(
            escape(r#"<script>alert('x')</script> & "more""#),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;more&quot;"
        );
    }
}
