//! `/api/v1/observations`, `/api/v1/observations/daily` and `/api/v1/sensors`: what the
//! monitors saw and heard, the daily counts a situation report leads with, and the
//! sensors with their current state.
//!
//! The daily counts are per reporting delegation: the mechanism's (delegations of kind
//! `monitor`) first, then each party's own counts, side by side and never added together,
//! each against the day before, with the sensors that were down at some time that day.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;
use truce_core::Day;
use truce_core::genesis::DelegationKind;
use truce_core::mechanism::CrossingId;
use truce_store::read::observations::{
    Area, DelegationDay, KindCount, ObservationRow, SensorRow, SensorStatusRow,
};

use super::listing::{Page, cursor, known_parameters, page_limit};
use super::sitrep::Period;
use crate::problem::Problem;
use crate::state::AppState;

/// The list's parameters.
pub const PARAMETERS: &[&str] = &["day", "province", "sector", "cursor", "limit"];
/// The daily counts' parameters.
pub const DAILY_PARAMETERS: &[&str] = &["day", "province", "sector"];

/// The counts for whole days `from` to `to` (one day for the daily counts) in one area,
/// and for the period of the same length before.
#[derive(Debug, Clone, Serialize)]
pub struct ObservationCounts {
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub area: Area,
    /// Each delegation that recorded observations in the period or the one before.
    pub delegations: Vec<DelegationCounts>,
    /// Sensors down at some time during the period, with the status that put them down.
    pub sensors_down: Vec<SensorDown>,
}

/// One delegation's counts: the mechanism's, or a party's own.
#[derive(Debug, Clone, Serialize)]
pub struct DelegationCounts {
    pub delegation: String,
    /// Whether these are the mechanism's own (a monitoring delegation's).
    pub mechanism: bool,
    pub observations: i64,
    pub total: i64,
    pub explosions: i64,
    pub previous_total: i64,
    pub previous_explosions: i64,
    pub kinds: Vec<KindCount>,
}

/// A sensor that was down, as the status that said so.
#[derive(Debug, Clone, Serialize)]
pub struct SensorDown {
    pub sensor: String,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub since: String,
    pub reason: Option<String>,
}

/// A sensor and its current state (`up` unless a status says otherwise).
#[derive(Debug, Clone, Serialize)]
pub struct SensorView {
    #[serde(flatten)]
    pub sensor: SensorRow,
    pub state: String,
    pub state_since: Option<String>,
    pub reason: Option<String>,
}

impl ObservationCounts {
    /// The mechanism's counts summed over its monitoring delegations (usually one): all
    /// it counted, the explosions among them, and the explosions of the period before.
    #[must_use]
    pub fn mechanism(&self) -> (i64, i64, i64) {
        self.delegations
            .iter()
            .filter(|d| d.mechanism)
            .fold((0, 0, 0), |(t, e, p), d| {
                (t + d.total, e + d.explosions, p + d.previous_explosions)
            })
    }
}

/// `GET /api/v1/observations?day=&province=&sector=&cursor=&limit=`: newest first.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Page<ObservationRow>>, Problem> {
    known_parameters(&query, PARAMETERS)?;
    let day = query.get("day").map(|d| parse_day(d)).transpose()?;
    let area = area(&state, &query).await?;
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    let before = cursor(&query)?;
    let rows = state
        .store
        .observations(day.as_ref(), &area, before, limit + 1)
        .await?;
    Ok(Json(Page::of(rows, limit)))
}

/// `GET /api/v1/observations/daily?day=&province=&sector=`: `day` is today (UTC, by
/// this server's clock) when not given.
pub async fn daily(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ObservationCounts>, Problem> {
    known_parameters(&query, DAILY_PARAMETERS)?;
    let day = match query.get("day") {
        Some(day) => parse_day(day)?,
        None => {
            Day::parse(state.clock.now().date().to_string()).map_err(|e| Problem::internal(&e))?
        }
    };
    let area = area(&state, &query).await?;
    let day = Period {
        from: day.date(),
        to: day.date(),
    };
    Ok(Json(counts(&state, day, area).await?))
}

/// `GET /api/v1/sensors`: every registered sensor with its current state.
pub async fn sensors(State(state): State<AppState>) -> Result<Json<Vec<SensorView>>, Problem> {
    let now_s = state.clock.now().unix_timestamp();
    let latest = latest_statuses(&state, now_s).await?;
    let views = state
        .store
        .sensors()
        .await?
        .into_iter()
        .map(|sensor| {
            let status = latest.get(&sensor.id);
            SensorView {
                state: status.map_or_else(|| "up".to_string(), |s| s.state.clone()),
                state_since: status.map(|s| s.since.clone()),
                reason: status.and_then(|s| s.reason.clone()),
                sensor,
            }
        })
        .collect();
    Ok(Json(views))
}

/// The status in effect now for each sensor that has one.
async fn latest_statuses(
    state: &AppState,
    now_s: i64,
) -> Result<HashMap<String, SensorStatusRow>, Problem> {
    let mut latest = HashMap::new();
    for status in state.store.sensor_statuses_until(now_s + 1).await? {
        latest.insert(status.sensor.clone(), status);
    }
    Ok(latest)
}

/// The counts over `period` in `area` against the period before, by delegation.
pub async fn counts(
    state: &AppState,
    period: Period,
    area: Area,
) -> Result<ObservationCounts, Problem> {
    let previous = period.previous();
    let today = delegation_counts(state, period, &area).await?;
    let before = delegation_counts(state, previous, &area).await?;
    let genesis = state.genesis().await?;
    let is_mechanism = |id: &str| {
        genesis.as_ref().is_some_and(|g| {
            g.delegations_of(DelegationKind::Monitor)
                .any(|d| d.id.as_str() == id)
        })
    };
    let mut delegations: Vec<DelegationCounts> = today
        .iter()
        .map(|d| counted(d, is_mechanism(&d.reported_by)))
        .collect();
    for d in &before {
        let known = delegations.iter().any(|c| c.delegation == d.reported_by);
        if !known {
            // Counted only the period before: nothing in this one.
            delegations.push(DelegationCounts {
                kinds: vec![],
                observations: 0,
                total: 0,
                explosions: 0,
                ..counted(d, is_mechanism(&d.reported_by))
            });
        }
        let entry = delegations
            .iter_mut()
            .find(|c| c.delegation == d.reported_by)
            .expect("pushed above when missing");
        entry.previous_total = d.total;
        entry.previous_explosions = d.explosions;
    }
    // The mechanism's counts lead; then each party's, by id.
    delegations.sort_by(|a, b| {
        b.mechanism
            .cmp(&a.mechanism)
            .then(a.delegation.cmp(&b.delegation))
    });
    Ok(ObservationCounts {
        from: period.from.to_string(),
        to: period.to.to_string(),
        previous_from: previous.from.to_string(),
        previous_to: previous.to.to_string(),
        area,
        delegations,
        sensors_down: sensors_down(state, period).await?,
    })
}

async fn delegation_counts(
    state: &AppState,
    period: Period,
    area: &Area,
) -> Result<Vec<DelegationDay>, Problem> {
    let (first, last) = period.first_and_last()?;
    Ok(state.store.observation_counts(&first, &last, area).await?)
}

fn counted(d: &DelegationDay, mechanism: bool) -> DelegationCounts {
    DelegationCounts {
        delegation: d.reported_by.clone(),
        mechanism,
        observations: d.observations,
        total: d.total,
        explosions: d.explosions,
        previous_total: 0,
        previous_explosions: 0,
        kinds: d.kinds.clone(),
    }
}

/// The sensors down at some time during `period` (UTC days).
async fn sensors_down(state: &AppState, period: Period) -> Result<Vec<SensorDown>, Problem> {
    let (start, end) = period.seconds();
    let down = state.store.sensors_down(start, end).await?;
    let sensors = state.store.sensors().await?;
    Ok(down
        .into_iter()
        .map(|status| {
            let sensor = sensors.iter().find(|s| s.id == status.sensor);
            SensorDown {
                name: sensor.map(|s| s.name.clone()),
                kind: sensor.map(|s| s.kind.clone()),
                sensor: status.sensor,
                since: status.since,
                reason: status.reason,
            }
        })
        .collect())
}

fn parse_day(text: &str) -> Result<Day, Problem> {
    Day::parse(text).map_err(|why| Problem::bad_request("day", why))
}

/// The area a query names: a province by ISO 3166-2 code or English name, a border
/// sector by its crossing's id; refused naming the parameter.
pub async fn area(state: &AppState, query: &HashMap<String, String>) -> Result<Area, Problem> {
    let province = match query.get("province") {
        Some(text) => {
            let geometry = super::geo::agreed(state).await?;
            Some(super::reports::places::province_code(text, geometry)?)
        }
        None => None,
    };
    let sector = match query.get("sector") {
        Some(text) => Some(
            CrossingId::parse(text.as_str())
                .map_err(|why| Problem::bad_request("sector", why))?
                .to_string(),
        ),
        None => None,
    };
    Ok(Area { province, sector })
}
