//! `GET /observations?day=&province=&sector=&lang=`: one day of the monitors' observations
//! (the latest day with any when none is asked): the lead figures, each delegation's counts
//! by kind against the day before (the mechanism's first, each party's own beside it, never
//! added), the sensors down, and the day's observations one by one.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use time::Duration;
use truce_core::Day;
use truce_store::read::observations::ObservationRow;

use super::Chrome;
use super::lang::Lang;
use super::names::Names;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;
use truce_api::v1::sitrep::Period;

/// The most observations the page lists one by one (the counts cover them all).
const LISTED_MAX: usize = 100;

#[derive(Template)]
#[template(path = "observations.html")]
pub struct Observations {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub log_size: u64,
    pub day: String,
    pub previous_day: String,
    pub next_day: String,
    pub sector: String,
    pub sectors: Vec<(String, String)>,
    pub lead: Option<String>,
    pub delegations: Vec<Counted>,
    pub sensors_down: Vec<(String, String, String)>,
    pub listed: Vec<Listed>,
}

impl Chrome for Observations {}

impl Observations {
    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }
}

/// One delegation's counts for the day.
pub struct Counted {
    pub whose: String,
    pub observations: i64,
    pub total: i64,
    pub explosions: i64,
    pub previous_explosions: i64,
    pub kinds: String,
}

/// One observation of the day.
pub struct Listed {
    pub index: u64,
    pub window: String,
    pub place: String,
    pub platform: String,
    pub total: i64,
    pub explosions: i64,
    pub by: String,
}

/// `GET /observations`.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    let day = if let Some(day) = query.get("day").filter(|d| !d.is_empty()) {
        Day::parse(day.as_str()).map_err(|why| Problem::bad_request("day", why))?
    } else {
        let latest = state.store.latest_observation_day().await?;
        let today = state.clock.now().date().to_string();
        Day::parse(latest.unwrap_or(today)).map_err(|e| Problem::internal(&e))?
    };
    let mut area_query = query.clone();
    area_query.retain(|k, v| (k == "province" || k == "sector") && !v.is_empty());
    let area = api::observations::area(&state, &area_query).await?;
    let period = Period {
        from: day.date(),
        to: day.date(),
    };
    let counts = api::observations::counts(&state, period, area.clone()).await?;
    let names = Names::read(&state, lang).await?;
    let rows = state
        .store
        .observations(Some(&day), &area, None, LISTED_MAX)
        .await?;
    let page = Observations {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        log_size: state.store.head().await?.size,
        day: day.as_str().to_string(),
        previous_day: (day.date() - Duration::days(1)).to_string(),
        next_day: (day.date() + Duration::days(1)).to_string(),
        sector: area.sector.clone().unwrap_or_default(),
        sectors: sectors(&state).await?,
        lead: super::sitrep::observed_lead(lang, &counts, true),
        delegations: counts
            .delegations
            .iter()
            .map(|d| Counted {
                whose: if d.mechanism {
                    lang.t_with(
                        "report-mechanism",
                        &[("name", names.delegation(&d.delegation).into())],
                    )
                } else {
                    names.delegation(&d.delegation)
                },
                observations: d.observations,
                total: d.total,
                explosions: d.explosions,
                previous_explosions: d.previous_explosions,
                kinds: d
                    .kinds
                    .iter()
                    .map(|k| {
                        format!(
                            "{} {}",
                            lang.t_or(&format!("observed-{}", k.kind), &k.kind),
                            lang.number(&k.count)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect(),
        sensors_down: counts
            .sensors_down
            .iter()
            .map(|s| {
                (
                    s.name.clone().unwrap_or_else(|| s.sensor.clone()),
                    super::dates::minute(lang, &s.since),
                    s.reason.clone().unwrap_or_default(),
                )
            })
            .collect(),
        listed: rows.iter().map(|o| listed(lang, &names, o)).collect(),
    };
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    super::page(html, asked, lang)
}

fn listed(lang: Lang, names: &Names, o: &ObservationRow) -> Listed {
    Listed {
        index: o.index,
        window: format!(
            "{} – {}",
            super::dates::minute(lang, &o.start_at),
            super::dates::minute(lang, &o.end_at)
        ),
        place: o.place.clone(),
        platform: lang.t_or(&format!("platform-{}", o.platform), &o.platform),
        total: o.total,
        explosions: o.explosions,
        by: names.delegation(&o.reported_by),
    }
}

/// The border sectors a visitor may pick: the agreed gazetteer's crossings, by name.
async fn sectors(state: &AppState) -> Result<Vec<(String, String)>, Problem> {
    let Some(geometry) = api::geo::agreed(state).await? else {
        return Ok(vec![]);
    };
    Ok(geometry
        .crossings()
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect())
}
