//! `/talks`: the rounds of talks, newest first, each with the commitments made at it, whose
//! they are, when they fall due and where they stand.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use super::Chrome;
use super::json::{day, items, text};
use super::lang::Lang;
use crate::api;
use crate::app::AppState;
use crate::problem::Problem;

#[derive(Template)]
#[template(path = "talks.html")]
pub struct Talks {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub log_size: u64,
    pub rounds: Vec<Round>,
}

impl Chrome for Talks {}

pub struct Round {
    pub index: i64,
    pub title: String,
    pub place: String,
    pub dates: String,
    pub participants: String,
    pub summary: String,
    pub commitments: Vec<Commitment>,
}

pub struct Commitment {
    pub index: i64,
    pub owner: String,
    pub text: String,
    pub due: String,
    pub status: String,
    pub note: String,
}

impl Talks {
    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }
}

/// `GET /talks?lang=`.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let lang = Lang::negotiate(query.get("lang").map(String::as_str), &headers);
    let listed = HashMap::from([("limit".to_string(), "100".to_string())]);
    let rounds = api::workflow::list(&state, &api::workflow::ROUNDS, &listed).await?;
    let commitments = api::workflow::list(&state, &api::workflow::COMMITMENTS, &listed).await?;
    let names = super::names::Names::read(&state, lang).await?;
    let name = |v: &Value| names.delegation(v.as_str().unwrap_or_default());
    let day = |v: &Value| day(lang, v);
    let page = Talks {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        log_size: state.store.head().await?.size,
        rounds: items(&rounds["items"])
            .map(|r| Round {
                index: r["index"].as_i64().unwrap_or(0),
                title: text(&r["title"]),
                place: text(&r["place"]),
                dates: match r["ends"].as_str() {
                    Some(_) => format!("{} – {}", day(&r["starts"]), day(&r["ends"])),
                    None => day(&r["starts"]),
                },
                participants: items(&r["participants"])
                    .map(&name)
                    .collect::<Vec<_>>()
                    .join(", "),
                summary: text(&r["summary"]),
                commitments: items(&commitments["items"])
                    .filter(|c| c["round_idx"] == r["index"])
                    .map(|c| Commitment {
                        index: c["index"].as_i64().unwrap_or(0),
                        owner: name(&c["owner"]),
                        text: text(&c["text"]),
                        due: day(&c["due"]),
                        status: text(&c["status"]),
                        note: text(&c["note"]),
                    })
                    .collect(),
            })
            .collect(),
    };
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    Ok(Html(html).into_response())
}
