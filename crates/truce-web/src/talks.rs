//! `/talks`: the rounds of talks, newest first, each with the commitments made at it, whose
//! they are, when they fall due and where they stand.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use truce_store::read::talks::{CommitmentRow, RoundRow};

use super::Chrome;
use super::dates::day;
use super::lang::Lang;
use super::names::Names;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;

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
    pub index: u64,
    pub title: String,
    pub place: String,
    pub dates: String,
    pub participants: String,
    pub summary: String,
    pub commitments: Vec<Commitment>,
}

pub struct Commitment {
    pub index: u64,
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
    let rounds = api::workflow::page_of(&state, &api::workflow::ROUNDS, &listed).await?;
    let commitments = api::workflow::page_of(&state, &api::workflow::COMMITMENTS, &listed).await?;
    let names = Names::read(&state, lang).await?;
    let page = Talks {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        log_size: state.store.head().await?.size,
        rounds: rounds
            .items
            .iter()
            .map(|r| round(r, &commitments.items, lang, &names))
            .collect(),
    };
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    Ok(Html(html).into_response())
}

fn round(r: &RoundRow, commitments: &[CommitmentRow], lang: Lang, names: &Names) -> Round {
    Round {
        index: r.index,
        title: r.title.clone(),
        place: r.place.clone(),
        dates: match &r.ends {
            Some(ends) => format!("{} – {}", day(lang, &r.starts), day(lang, ends)),
            None => day(lang, &r.starts),
        },
        participants: r
            .participants
            .iter()
            .map(|p| names.delegation(p))
            .collect::<Vec<_>>()
            .join(", "),
        summary: r.summary.clone(),
        commitments: commitments
            .iter()
            .filter(|c| c.round_idx == r.index)
            .map(|c| Commitment {
                index: c.index,
                owner: names.delegation(&c.owner),
                text: c.text.clone(),
                due: day(lang, c.due.as_deref().unwrap_or_default()),
                status: c.status.clone(),
                note: c.note.clone(),
            })
            .collect(),
    }
}
