//! `/record`: the log explorer. The latest checkpoint as signed, the entries newest first
//! (a page at a time, `?before=N`), and the keys the log has registered, each linked to
//! the API and the proof files that let anyone check it for themselves.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};

use super::Chrome;
use super::dates::minute;
use super::lang::Lang;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;

/// Entries shown per page.
const PAGE: u64 = 25;

#[derive(Template)]
#[template(path = "record.html")]
pub struct Record {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub log_size: u64,
    pub checkpoint: String,
    pub entries: Vec<Entry>,
    /// The `before` of the next older page, if there is one.
    pub older: Option<u64>,
    /// True when this is not the newest page.
    pub newer: bool,
    pub keys: Vec<Key>,
}

impl Chrome for Record {}

pub struct Entry {
    pub index: u64,
    pub kind: String,
    pub author: String,
    pub time: String,
    pub logged_at: String,
}

pub struct Key {
    pub name: String,
    pub role: String,
    pub delegation: String,
    pub registered_at: String,
    pub revoked_at: String,
}

impl Record {
    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }
}

/// `GET /record?before=N&lang=`.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let lang = Lang::negotiate(query.get("lang").map(String::as_str), &headers);
    let head = state.store.head().await?;
    let end = match query.get("before") {
        None => head.size,
        Some(before) => api::entries::parse_index("before", before)?.min(head.size),
    };
    let start = end.saturating_sub(PAGE);
    let mut entries = vec![];
    for index in (start..end).rev() {
        let stored = api::entries::stored(&state, index).await?;
        let entry = api::entries::parsed(&stored)?;
        let envelope = entry.envelope();
        entries.push(Entry {
            index,
            kind: envelope.kind.clone(),
            author: envelope.author.as_str().to_string(),
            time: minute(lang, envelope.time.as_str()),
            logged_at: minute(lang, &api::entries::rfc3339_ms(stored.logged_at_ms)),
        });
    }
    let keys = state
        .store
        .keys()
        .await?
        .into_iter()
        .map(|k| Key {
            name: k.name.as_str().to_string(),
            role: k.role.as_str().to_string(),
            delegation: k.delegation.as_str().to_string(),
            registered_at: k.registered_at.to_string(),
            revoked_at: k.revoked_at.map(|i| i.to_string()).unwrap_or_default(),
        })
        .collect();
    let page = Record {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        log_size: head.size,
        checkpoint: served_checkpoint(&state).await?,
        entries,
        older: (start > 0).then_some(start),
        newer: end < head.size,
        keys,
    };
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    Ok(Html(html).into_response())
}

/// The checkpoint `/log/checkpoint` serves: the newest with the genesis's witness quorum,
/// with its cosignatures.
async fn served_checkpoint(state: &AppState) -> Result<String, Problem> {
    let quorum = state.genesis().await?.map_or(0, |g| g.witness_quorum);
    let served = state.store.served_checkpoint(quorum).await?;
    Ok(served
        .map(|c| String::from_utf8_lossy(&c).into_owned())
        .unwrap_or_default())
}
