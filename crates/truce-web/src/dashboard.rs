//! `GET /`: the public dashboard. Everything on it is read through the same functions and
//! read model as the API (the compliance summary, the crossings list, the reports, the
//! findings and measures lists), so the page and the JSON API never disagree.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use truce_store::read::compliance::TrendBy;
use truce_store::read::crossings::FlowFilter;
use truce_store::read::reports::{Order, ReportFilter, ReportRow};
use truce_store::read::workflow::MeasureRow as Measure;

use super::Chrome;
use super::lang::Lang;
use super::map::{BaseMap, Point};
use super::names::Names;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;
use truce_api::v1::crossings::CrossingSummary;
use truce_api::v1::listing::Page;

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
    pub reports: Vec<ReportLine>,
    pub findings: Vec<FindingLine>,
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
    /// Restrictions on the monitors in places the party controlled.
    pub restrictions: i64,
    /// Liaison contacts it acknowledged, of those opened with it ("2 of 3").
    pub answered: String,
    /// Its mean time to acknowledge one, in minutes ("12 min"), or a dash.
    pub mean_answer: String,
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

pub struct ReportLine {
    pub index: u64,
    pub title: String,
    pub status: String,
    pub occurred: String,
}

pub struct FindingLine {
    pub index: u64,
    pub incident: u64,
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
    State(web): State<super::WebState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let state = &web.app;
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    let log_size = state.store.head().await?.size;
    let render = async {
        let dashboard = Dashboard::read(state, lang, log_size).await?;
        dashboard.render().map_err(|e| Problem::internal(&e))
    };
    let html = web.dashboards.get(lang, log_size, render).await?;
    super::page(html.to_string(), asked, lang)
}

/// Allegations per month against each party, or under each provision, over the months up
/// to the latest report's.
async fn trend(
    state: &AppState,
    lang: Lang,
    names: &Names,
    by: TrendBy,
) -> Result<Option<super::chart::Trend>, Problem> {
    let counts = api::compliance::trend(state, TREND_MONTHS, by).await?;
    if counts.is_empty() {
        // Nothing to draw (and, on a log without a genesis, no provisions to name).
        return Ok(None);
    }
    let months = counts
        .iter()
        .map(|c| c.month.as_str())
        .max()
        .map(|last| super::chart::months_ending(last, TREND_MONTHS))
        .unwrap_or_default();
    let series = match by {
        TrendBy::Party => names.parties(),
        TrendBy::Provision => names.provisions(),
    };
    Ok(super::chart::trend(lang, &months, series, &counts))
}

/// Each party's row of the summary: allegations, restrictions on the monitors, and its
/// answers on the liaison channel.
fn party_rows(
    compliance: &api::compliance::ComplianceSummary,
    names: &Names,
    lang: Lang,
) -> Vec<PartyRow> {
    compliance
        .parties
        .iter()
        .map(|p| PartyRow {
            name: names.delegation(&p.party),
            made: p.allegations_made.total,
            against: p.allegations_against.total,
            restrictions: p.restrictions.total,
            answered: lang.t_with(
                "liaison-of",
                &[
                    ("answered", p.liaison.acknowledged.into()),
                    ("contacts", p.liaison.contacts.into()),
                ],
            ),
            mean_answer: p.liaison.mean_response_s.map_or_else(
                || "–".to_string(),
                |s| lang.t_with("liaison-minutes", &[("minutes", (s / 60).into())]),
            ),
        })
        .collect()
}

impl Dashboard {
    /// The dashboard of a log of `log_size` entries (the size the cache is keyed by, read
    /// once per request).
    async fn read(state: &AppState, lang: Lang, log_size: u64) -> Result<Dashboard, Problem> {
        let geometry = api::geo::agreed(state).await?;
        let map = geometry.map(BaseMap::of);
        let compliance = api::compliance::compliance(state).await?;
        let names = Names::read(state, lang).await?;
        let parties = party_rows(&compliance, &names, lang);
        // `provisions` holds the crossing-closure alert's provision, when the agreement names one.
        let alert_provision = compliance
            .provisions
            .first()
            .map(|p| names.provision(&p.provision));
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
        let newest = Order::NewestBefore(None);
        let reports = state
            .store
            .reports(&ReportFilter::default(), newest, limit)
            .await?;
        let dots = map
            .as_deref()
            .map_or_else(Vec::new, |map| dots(map, &reports));
        let listed = HashMap::from([("limit".to_string(), FINDINGS_LISTED.to_string())]);
        let findings = api::workflow::findings_page(state, &listed).await?;
        let measures: Page<Measure> =
            api::workflow::page_of(state, &api::workflow::MEASURES, &listed).await?;
        let party_trend = trend(state, lang, &names, TrendBy::Party).await?;
        let provision_trend = trend(state, lang, &names, TrendBy::Provision).await?;
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
            sitrep_day: reports
                .iter()
                .filter_map(|r| r.report.occurred.start.as_str().get(..10))
                .max()
                .map(str::to_string),
            reports: reports
                .iter()
                .take(REPORTS_LISTED)
                .map(|r| ReportLine {
                    index: r.index,
                    title: r.report.title.clone(),
                    status: r.status.clone(),
                    occurred: super::dates::day(lang, r.report.occurred.start.as_str()),
                })
                .collect(),
            findings: findings
                .items
                .iter()
                .map(|f| FindingLine {
                    index: f.finding.index,
                    incident: f.finding.incident_idx,
                    provision: names.provision(&f.finding.provision),
                    determination: f.finding.determination.clone(),
                    party: names.delegation(f.finding.party.as_deref().unwrap_or_default()),
                    status: f.finding.status.clone(),
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

/// The reports that lie on the map, as dots.
fn dots(map: &BaseMap, reports: &[ReportRow]) -> Vec<Dot> {
    reports
        .iter()
        .filter_map(|r| {
            let point = r.report.location.point;
            Some(Dot {
                at: map.point(point.lon, point.lat)?,
                title: r.report.title.clone(),
            })
        })
        .collect()
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
