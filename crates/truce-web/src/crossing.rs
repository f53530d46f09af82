//! `/crossings/{id}`: one border crossing as the record tells it. Its current status (and
//! the agreement's alert when it has been closed too long), every status report in turn,
//! and the people who crossed it by direction and category, as each reporting party's own
//! figures side by side: a bar chart of the totals and every reported flow.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use truce_store::read::crossings::{FlowFilter, FlowRow, FlowTotal};

use super::Chrome;
use super::dates::day;
use super::lang::Lang;
use super::names::Names;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;
use truce_api::v1::crossings::CrossingView;
use truce_api::v1::listing::page_limit;

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
    pub index: u64,
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
    pub index: u64,
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
    let id = api::crossings::parse_id(&id)?;
    let limit = page_limit(None, state.config.limits.page_items_max)?;
    let crossing = api::crossings::crossing(&state, &id, &FlowFilter::default(), limit).await?;
    let names = super::names::Names::read(&state, lang).await?;
    let page = Crossing::of(&crossing, lang, &names, state.store.head().await?.size);
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    Ok(Html(html).into_response())
}

impl Crossing {
    fn of(crossing: &CrossingView, lang: Lang, names: &Names, log_size: u64) -> Self {
        let summary = &crossing.summary;
        let status = summary.status.as_ref();
        Crossing {
            lang,
            languages: &Lang::ALL,
            css: super::assets::CSS.path(),
            log_size,
            name: summary.name.clone().unwrap_or_default(),
            status: status.map_or("unknown", |s| s.status.as_str()).to_string(),
            since: day(lang, status.map_or("", |s| s.since.as_str())),
            closed_days: summary.closed_days,
            alert: summary.alert.as_ref().map(|a| {
                lang.t_with(
                    "crossing-alert",
                    &[("provision", names.provision(&a.provision).into())],
                )
            }),
            history: crossing
                .history
                .iter()
                .map(|h| StatusRow {
                    index: h.index,
                    status: h.status.clone(),
                    since: day(lang, &h.since),
                    reported_by: names.delegation(&h.reported_by),
                    source: h.source.clone(),
                    note: h.note.clone().unwrap_or_default(),
                })
                .collect(),
            totals: totals(&crossing.totals, lang, names),
            flows: crossing
                .flows
                .iter()
                .map(|f| flow(f, lang, names))
                .collect(),
        }
    }
}

/// Each delegation's totals as bars, the largest as wide as the chart.
fn totals(totals: &[FlowTotal], lang: Lang, names: &Names) -> Vec<Total> {
    let largest = totals
        .iter()
        .map(|t| t.count.best)
        .max()
        .unwrap_or(1)
        .max(1);
    totals
        .iter()
        .enumerate()
        .map(|(i, t)| Total {
            label: format!(
                "{}: {}, {}",
                names.delegation(&t.reported_by),
                lang.direction(&t.direction),
                word(lang, "category", &t.category)
            ),
            count: lang.range(t.count.low, t.count.best, t.count.high),
            width: (t.count.best as f64 / largest as f64 * BAR_MAX)
                .round()
                .max(1.0),
            y: 46.0 * i as f64,
        })
        .collect()
}

fn flow(f: &FlowRow, lang: Lang, names: &Names) -> Flow {
    Flow {
        index: f.index,
        days: format!("{} – {}", day(lang, &f.start_day), day(lang, &f.end_day)),
        direction: lang.direction(&f.direction),
        category: word(lang, "category", &f.category),
        count: lang.range(f.count_low, f.count_best, f.count_high),
        precision: word(lang, "precision", &f.precision),
        reported_by: names.delegation(&f.reported_by),
        source: f.source.clone(),
    }
}

/// A status, category or precision word in the page's language.
fn word(lang: Lang, prefix: &str, value: &str) -> String {
    lang.t_or(&format!("{prefix}-{value}"), value)
}
