//! `GET /feeds/findings.atom`: the mechanism's final findings as an Atom feed (RFC 4287),
//! newest first, so that anyone can follow what the mechanism decides with an ordinary
//! feed reader. Each entry links to the finding in the API and names its log index, where
//! anyone can verify it.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use truce_log::SignedEntry;
use truce_store::projection::{Arg, Column};

use crate::app::AppState;
use crate::problem::Problem;

/// Entries in the feed: enough for a reader that checks daily.
const ENTRIES_MAX: i64 = 50;

const FINAL_FINDINGS: &str = "SELECT idx, provision, determination, attribution, party, \
    confidence, reasoning, dissent, final_idx FROM findings WHERE final_idx IS NOT NULL \
    ORDER BY final_idx DESC LIMIT $1";
const COLUMNS: &[Column] = &[
    Column::Int,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Text,
    Column::Int,
];

/// `GET /feeds/findings.atom`.
pub async fn findings(State(state): State<AppState>) -> Result<Response, Problem> {
    let mut rows = Vec::new();
    state
        .store
        .for_each_row(
            FINAL_FINDINGS.into(),
            &[Arg::Int(ENTRIES_MAX)],
            COLUMNS,
            |row| rows.push(row),
        )
        .await?;
    let mut entries = String::new();
    let mut updated = None;
    for row in &rows {
        let Arg::Int(final_idx) = row[8] else {
            continue;
        };
        let time = finalized_at(&state, final_idx).await?;
        updated.get_or_insert_with(|| time.clone());
        entries.push_str(&entry(row, &time));
    }
    let origin = escape(&origin(&state).await?);
    let updated = updated.unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Final findings: {origin}</title>\
         <id>urn:truce:{origin}:findings</id>\
         <link rel=\"self\" href=\"/feeds/findings.atom\"/>\
         <author><name>{origin}</name></author>\
         <updated>{updated}</updated>{entries}</feed>\n"
    );
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed,
    )
        .into_response())
}

fn entry(row: &[Arg], time: &str) -> String {
    let text = |i: usize| escape(row[i].text());
    let (index, final_idx) = (row[0].to_json(), row[8].to_json());
    let party = match text(4) {
        party if party.is_empty() => String::new(),
        party => format!(" ({party})"),
    };
    let dissent = match text(7) {
        d if d.is_empty() || d == "[]" => String::new(),
        d => format!(" Dissent: {d}."),
    };
    format!(
        "<entry><id>urn:truce:finding:{index}</id>\
         <title>{provision}: {determination}{party}</title>\
         <updated>{time}</updated>\
         <link href=\"/api/v1/findings/{index}\"/>\
         <summary>Attribution: {attribution}; confidence: {confidence}. {reasoning}{dissent} \
         Final at log index {final_idx}.</summary></entry>",
        provision = text(1),
        determination = text(2),
        attribution = text(3),
        confidence = text(5),
        reasoning = text(6),
    )
}

/// The time the finalizing entry claims (its author's, within the log's clock skew).
async fn finalized_at(state: &AppState, index: i64) -> Result<String, Problem> {
    let index = u64::try_from(index).map_err(|e| Problem::internal(&e))?;
    let stored = state.store.entry(index).await?;
    let entry = stored
        .and_then(|e| SignedEntry::parse(e.note).ok())
        .ok_or_else(|| Problem::internal(&format!("entry {index} is missing")))?;
    Ok(entry.envelope().time.as_str().to_string())
}

async fn origin(state: &AppState) -> Result<String, Problem> {
    let genesis = crate::api::compliance::genesis(state).await?;
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
