//! `/crossings/{id}`: one border crossing as the record tells it. Its current status (and
//! the agreement's alert when it has been closed too long), every status report in turn,
//! and the people who crossed it by direction and category, as each reporting party's own
//! figures side by side: a bar chart of the totals and every reported flow.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use super::Chrome;
use super::json::{day, items, text};
use super::lang::Lang;
use crate::api;
use crate::app::AppState;
use crate::problem::Problem;

/// The widest bar of the totals chart, in SVG units.
const BAR_MAX: f64 = 720.0;

#[derive(Template)]
#[template(path = "crossing.html")]
pub struct Crossing {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub log_size: u64,
    pub name: String,
    pub status: String,
    pub since: String,
    pub closed_days: Option<i64>,
    pub alert: Option<String>,
    pub history: Vec<StatusRow>,
    pub totals: Vec<Total>,
    pub flows: Vec<Flow>,
}

impl Chrome for Crossing {}

pub struct StatusRow {
    pub index: i64,
    pub status: String,
    pub since: String,
    pub reported_by: String,
    pub source: String,
    pub note: String,
}

/// One reporting party's total for a direction and category, drawn as a bar.
pub struct Total {
    pub label: String,
    pub count: String,
    pub width: f64,
    pub y: f64,
}

pub struct Flow {
    pub index: i64,
    pub days: String,
    pub direction: String,
    pub category: String,
    pub count: String,
    pub precision: String,
    pub reported_by: String,
    pub source: String,
}

impl Crossing {
    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }

    #[allow(clippy::trivially_copy_pass_by_ref)] // askama passes arguments by reference
    fn days_closed(&self, days: &i64) -> String {
        self.lang
            .t_with("crossing-closed-days", &[("days", (*days).into())])
    }
}

/// `GET /crossings/{id}?lang=`.
pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let lang = Lang::negotiate(query.get("lang").map(String::as_str), &headers);
    let crossing = api::crossings::get(State(state.clone()), Path(id), Query(HashMap::new()))
        .await?
        .0;
    let names = super::names::Names::read(&state, lang).await?;
    let party = |v: &Value| names.delegation(v.as_str().unwrap_or_default());
    let largest = items(&crossing["totals"])
        .filter_map(|t| t["count"]["best"].as_i64())
        .max()
        .unwrap_or(1)
        .max(1);
    let page = Crossing {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        log_size: state.store.head().await?.size,
        name: text(&crossing["name"]),
        status: crossing["status"]["status"]
            .as_str()
            .unwrap_or("unknown")
            .to_string(),
        since: day(lang, &crossing["status"]["since"]),
        closed_days: crossing["closed_days"].as_i64(),
        alert: crossing["alert"]["provision"].as_str().map(|p| {
            lang.t_with(
                "crossing-alert",
                &[("provision", names.provision(p).into())],
            )
        }),
        history: items(&crossing["history"])
            .map(|h| StatusRow {
                index: h["index"].as_i64().unwrap_or(0),
                status: text(&h["status"]),
                since: day(lang, &h["since"]),
                reported_by: party(&h["reported_by"]),
                source: text(&h["source"]),
                note: text(&h["note"]),
            })
            .collect(),
        totals: items(&crossing["totals"])
            .enumerate()
            .map(|(i, t)| {
                let best = t["count"]["best"].as_i64().unwrap_or(0);
                Total {
                    label: format!(
                        "{}: {}, {}",
                        party(&t["reported_by"]),
                        lang.direction(t["direction"].as_str().unwrap_or_default()),
                        word(lang, "category", &t["category"])
                    ),
                    count: range(
                        lang,
                        &t["count"]["low"],
                        &t["count"]["best"],
                        &t["count"]["high"],
                    ),
                    width: (best as f64 / largest as f64 * BAR_MAX).round().max(1.0),
                    y: 46.0 * i as f64,
                }
            })
            .collect(),
        flows: items(&crossing["flows"])
            .map(|f| Flow {
                index: f["index"].as_i64().unwrap_or(0),
                days: format!(
                    "{} – {}",
                    day(lang, &f["start_day"]),
                    day(lang, &f["end_day"])
                ),
                direction: lang.direction(f["direction"].as_str().unwrap_or_default()),
                category: word(lang, "category", &f["category"]),
                count: range(lang, &f["count_low"], &f["count_best"], &f["count_high"]),
                precision: word(lang, "precision", &f["precision"]),
                reported_by: party(&f["reported_by"]),
                source: text(&f["source"]),
            })
            .collect(),
    };
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    Ok(Html(html).into_response())
}

/// A status, category or precision word in the page's language.
fn word(lang: Lang, prefix: &str, value: &Value) -> String {
    let value = value.as_str().unwrap_or_default();
    lang.t_or(&format!("{prefix}-{value}"), value)
}

/// A count as `best (low–high)` in the page's digits, or just the count when exact.
fn range(lang: Lang, low: &Value, best: &Value, high: &Value) -> String {
    let [low, best, high] = [low, best, high].map(|v| v.as_i64().unwrap_or(0));
    if low == high {
        lang.number(&best)
    } else {
        format!(
            "{} ({}–{})",
            lang.number(&best),
            lang.number(&low),
            lang.number(&high)
        )
    }
}
