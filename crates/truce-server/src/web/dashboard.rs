//! `GET /`: the public dashboard. Everything on it is read through the API's own
//! functions (the compliance summary, the crossings list, the reports list, the findings
//! and measures lists), so the page and the JSON API never disagree.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;
use truce_store::read::crossings::FlowFilter;
use truce_store::read::workflow::MeasureRow as Measure;

use super::Chrome;
use super::lang::Lang;
use super::map::{BaseMap, Point};
use super::names::Names;
use crate::api;
use crate::api::crossings::CrossingSummary;
use crate::api::workflow::Page;
use crate::app::AppState;
use crate::problem::Problem;

/// How many of the newest reports the map shows as dots, and the list names.
const REPORT_DOTS: usize = 100;
const REPORTS_LISTED: usize = 8;
const FINDINGS_LISTED: &str = "6";
/// How many months the trend chart shows, ending with the latest report's.
const TREND_MONTHS: i64 = 12;

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct Dashboard {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub script: &'static str,
    pub log_size: u64,
    pub map: Option<Arc<BaseMap>>,
    pub parties: Vec<PartyRow>,
    pub crossings: Vec<CrossingRow>,
    pub alert_provision: Option<String>,
    pub dots: Vec<Dot>,
    pub reports: Vec<ReportRow>,
    pub findings: Vec<FindingRow>,
    pub measures: Vec<MeasureRow>,
    pub trend: Option<super::chart::Trend>,
    pub provision_trend: Option<super::chart::Trend>,
    /// The day of the latest event among the newest reports: its situation report's link.
    pub sitrep_day: Option<String>,
}

impl Chrome for Dashboard {}

pub struct PartyRow {
    pub name: String,
    pub made: i64,
    pub against: i64,
}

pub struct CrossingRow {
    pub id: String,
    pub name: String,
    /// `open`, `closed`, `restricted`, `deportations_only`, or `unknown`.
    pub status: String,
    pub since: String,
    pub closed_days: Option<i64>,
    pub alert: bool,
    pub at: Option<Point>,
}

pub struct Dot {
    pub at: Point,
    pub title: String,
}

pub struct ReportRow {
    pub index: i64,
    pub title: String,
    pub status: String,
    pub occurred: String,
}

pub struct FindingRow {
    pub index: i64,
    pub incident: i64,
    pub provision: String,
    pub determination: String,
    pub party: String,
    pub status: String,
}

pub struct MeasureRow {
    pub party: String,
    pub step: String,
    pub status: String,
}

/// `GET /?lang=`.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    let log_size = state.store.head().await?.size;
    let render = async {
        let dashboard = Dashboard::read(&state, lang, log_size).await?;
        dashboard.render().map_err(|e| Problem::internal(&e))
    };
    let html = state.dashboards.get(lang, log_size, render).await?;
    super::page(html.to_string(), asked, lang)
}

/// Allegations per month against each party, or under each provision, over the months up
/// to the latest report's.
async fn trend(
    state: &AppState,
    lang: Lang,
    names: &Names,
    by: api::compliance::TrendBy,
) -> Result<Option<super::chart::Trend>, Problem> {
    let counts = api::compliance::trend(state, TREND_MONTHS, by).await?;
    if counts.is_empty() {
        // Nothing to draw (and, on a log without a genesis, no provisions to name).
        return Ok(None);
    }
    let months = counts
        .iter()
        .map(|(month, _, _)| month.as_str())
        .max()
        .map(|last| super::chart::months_ending(last, TREND_MONTHS))
        .unwrap_or_default();
    let series = match by {
        api::compliance::TrendBy::Party => names.parties(),
        api::compliance::TrendBy::Provision => names.provisions(),
    };
    Ok(super::chart::trend(lang, &months, series, &counts))
}

impl Dashboard {
    /// The dashboard of a log of `log_size` entries (the size the cache is keyed by, read
    /// once per request).
    async fn read(state: &AppState, lang: Lang, log_size: u64) -> Result<Dashboard, Problem> {
        let geometry = api::geo::agreed(state).await?;
        let map = geometry.map(BaseMap::of);
        let compliance = api::compliance::summary(State(state.clone())).await?.0;
        let names = Names::read(state, lang).await?;
        let party = |id: &Value| names.delegation(id.as_str().unwrap_or_default());
        let parties = items(&compliance["parties"])
            .map(|p| PartyRow {
                name: party(&p["party"]),
                made: p["allegations_made"]["total"].as_i64().unwrap_or(0),
                against: p["allegations_against"]["total"].as_i64().unwrap_or(0),
            })
            .collect();
        // `provisions` holds the crossing-closure alert's provision, when the agreement names one.
        let alert_provision = items(&compliance["provisions"])
            .find_map(|p| p["provision"].as_str())
            .map(|id| names.provision(id));
        let crossings = if geometry.is_some() {
            let list = api::crossings::crossings(state, &FlowFilter::default()).await?;
            list.items
                .iter()
                .map(|c| crossing(&c.summary, map.as_deref(), geometry, lang))
                .collect()
        } else {
            vec![]
        };
        let limit = REPORT_DOTS.min(state.config.limits.page_items_max);
        let query = HashMap::from([("limit".to_string(), limit.to_string())]);
        let reports = api::reports::list(State(state.clone()), Query(query))
            .await?
            .0;
        let dots = map.as_ref().map_or_else(Vec::new, |map| {
            items(&reports["items"])
                .filter_map(|r| {
                    let point = &r["report"]["location"]["point"];
                    let at = map.point(point["lon"].as_f64()?, point["lat"].as_f64()?)?;
                    Some(Dot {
                        at,
                        title: text(&r["report"]["title"]),
                    })
                })
                .collect()
        });
        let listed = HashMap::from([("limit".to_string(), FINDINGS_LISTED.to_string())]);
        let findings = api::workflow::list(state, &api::workflow::FINDINGS, &listed).await?;
        let measures: Page<Measure> =
            api::workflow::page_of(state, &api::workflow::MEASURES, &listed).await?;
        let party_trend = trend(state, lang, &names, api::compliance::TrendBy::Party).await?;
        let provision_trend =
            trend(state, lang, &names, api::compliance::TrendBy::Provision).await?;
        Ok(Dashboard {
            lang,
            trend: party_trend,
            provision_trend,
            languages: &Lang::ALL,
            css: super::assets::CSS.path(),
            script: super::assets::MAP.path(),
            log_size,
            map,
            parties,
            crossings,
            alert_provision,
            dots,
            sitrep_day: items(&reports["items"])
                .filter_map(|r| r["report"]["occurred"]["start"].as_str()?.get(..10))
                .max()
                .map(str::to_string),
            reports: items(&reports["items"])
                .take(REPORTS_LISTED)
                .map(|r| ReportRow {
                    index: r["index"].as_i64().unwrap_or(0),
                    title: text(&r["report"]["title"]),
                    status: text(&r["status"]),
                    occurred: day(lang, &r["report"]["occurred"]["start"]),
                })
                .collect(),
            findings: items(&findings["items"])
                .map(|f| FindingRow {
                    index: f["index"].as_i64().unwrap_or(0),
                    incident: f["incident_idx"].as_i64().unwrap_or(0),
                    provision: names.provision(f["provision"].as_str().unwrap_or_default()),
                    determination: text(&f["determination"]),
                    party: party(&f["party"]),
                    status: text(&f["status"]),
                })
                .collect(),
            measures: measures
                .items
                .iter()
                .map(|m| MeasureRow {
                    party: names.delegation(&m.party),
                    step: names.measure(m.step.as_deref().unwrap_or_default()),
                    status: m.status.clone(),
                })
                .collect(),
        })
    }

    /// A `YYYY-MM-DD` day in the page's language.
    fn day_of(&self, day: &str) -> String {
        super::dates::day(self.lang, day)
    }

    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }

    /// The closure alert's words, naming the provision it is raised on.
    fn alert_text(&self) -> String {
        let provision = self.alert_provision.clone().unwrap_or_default();
        self.lang
            .t_with("crossing-alert", &[("provision", provision.into())])
    }

    #[allow(clippy::trivially_copy_pass_by_ref)] // askama passes arguments by reference
    fn days_closed(&self, days: &i64) -> String {
        self.lang
            .t_with("crossing-closed-days", &[("days", (*days).into())])
    }
}

fn crossing(
    item: &CrossingSummary,
    map: Option<&BaseMap>,
    geometry: Option<&truce_geo::Geometry>,
    lang: Lang,
) -> CrossingRow {
    let at = map.and_then(|map| map.point(item.lon?, item.lat?));
    let status = item.status.as_ref();
    let gazetteer = crossing_name(geometry, &item.id, lang);
    CrossingRow {
        id: item.id.clone(),
        name: gazetteer.unwrap_or_else(|| item.name.clone().unwrap_or_else(|| item.id.clone())),
        status: status.map_or("unknown", |s| s.status.as_str()).to_string(),
        since: super::dates::day(lang, status.map_or("", |s| s.since.as_str())),
        closed_days: item.closed_days,
        alert: item.alert.is_some(),
        at,
    }
}

/// The gazetteer's name of crossing `id` in `lang`, where it has one.
pub(super) fn crossing_name(
    geometry: Option<&truce_geo::Geometry>,
    id: &str,
    lang: Lang,
) -> Option<String> {
    let crossing = geometry?.crossings().iter().find(|c| c.id == id)?;
    match lang {
        Lang::Ps => crossing.name_ps.clone(),
        Lang::Prs => crossing.name_fa.clone(),
        Lang::Ur => crossing.name_ur.clone(),
        Lang::En | Lang::Tr | Lang::Ar => None,
    }
}

fn items(list: &Value) -> impl Iterator<Item = &Value> {
    list.as_array().into_iter().flatten()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

/// The day of an RFC 3339 time in the page's language (Solar Hijri too for Dari, Pashto).
fn day(lang: Lang, value: &Value) -> String {
    super::dates::day(lang, value.as_str().unwrap_or_default())
}
