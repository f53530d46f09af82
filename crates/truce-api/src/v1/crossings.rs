//! `/api/v1/crossings`: every crossing of the agreed gazetteer with its current status,
//! how long it has been closed, the closure alert the agreement names, and the flows of
//! people through it (filtered by day, category and direction).
//!
//! The current status is the one that took effect last (`since`, then log index), whoever
//! reported it; every delegation's statuses stay in the history, side by side. How long a
//! crossing has been closed is counted here, against this server's clock: the projection
//! holds only what the log says.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Serialize;
use serde_json::{Value, json};
use truce_core::Day;
use truce_core::genesis::CrossingAlert;
use truce_core::mechanism::{CrossingId, CrossingState};
use truce_store::read::crossings::{FlowFilter, FlowRow, FlowTotal, StatusRow};

use super::listing::{known_parameters, page_limit};
use crate::problem::Problem;
use crate::state::AppState;

/// The list's parameters: which flows the totals and the latest flow count.
pub const PARAMETERS: &[&str] = &["from", "to", "category", "direction"];
/// One crossing's parameters: the same, and how many flows to list.
pub const DETAIL_PARAMETERS: &[&str] = &["from", "to", "category", "direction", "limit"];
/// The most statuses one crossing's history answers (and the closure is counted over).
const HISTORY_MAX: usize = 1_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// The list: every crossing, and the alert the agreement raises on long closures.
#[derive(Debug, Serialize)]
pub struct CrossingList {
    pub items: Vec<ListedCrossing>,
    pub closure_alert: Option<CrossingAlert>,
}

/// A crossing in the list: where it stands, its latest flow and its flows' totals.
#[derive(Debug, Serialize)]
pub struct ListedCrossing {
    #[serde(flatten)]
    pub summary: CrossingSummary,
    pub latest_flow: Option<FlowRow>,
    pub totals: Vec<FlowTotal>,
}

/// One crossing: where it stands, its status history newest first, its flows newest
/// first, and their totals.
#[derive(Debug, Serialize)]
pub struct CrossingView {
    #[serde(flatten)]
    pub summary: CrossingSummary,
    pub history: Vec<StatusRow>,
    pub flows: Vec<FlowRow>,
    pub totals: Vec<FlowTotal>,
}

/// A crossing as the gazetteer names it (or only as the log does, if it is not in it),
/// its current status, and how long it has been closed.
#[derive(Debug, Serialize)]
pub struct CrossingSummary {
    pub id: String,
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub status: Option<StatusRow>,
    pub closed_since: Option<String>,
    pub closed_days: Option<i64>,
    pub alert: Option<ClosureAlert>,
}

/// A closure longer than the agreement allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosureAlert {
    pub provision: String,
    pub threshold_days: u32,
    pub closed_since: String,
    pub closed_days: i64,
}

/// The compliance summary's alerts on crossings closed too long.
#[derive(Debug, Serialize)]
pub struct ClosureAlerts {
    pub provision: String,
    pub crossing_closure_days: u32,
    pub crossing_alerts: Vec<AlertedCrossing>,
}

/// A crossing closed longer than the agreement allows.
#[derive(Debug, Serialize)]
pub struct AlertedCrossing {
    pub crossing: String,
    pub name: Option<String>,
    pub status: Option<String>,
    pub closed_since: Option<String>,
    pub closed_days: Option<i64>,
}

/// A crossing as the gazetteer names it (or only as the log does, if it is not in it).
struct Place {
    id: String,
    name: Option<String>,
    point: Option<(f64, f64)>,
}

/// `GET /api/v1/crossings?from=&to=&category=&direction=`.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<CrossingList>, Problem> {
    known_parameters(&query, PARAMETERS)?;
    let flows = parse_flows(&query)?;
    Ok(Json(crossings(&state, &flows).await?))
}

/// Every crossing of the agreed gazetteer (then those only the log names), with the
/// flows `flows` selects.
pub async fn crossings(state: &AppState, flows: &FlowFilter) -> Result<CrossingList, Problem> {
    let geometry = super::geo::agreed_geometry(state).await?;
    let alert = closure_alert(state).await?;
    let now_s = state.clock.now().unix_timestamp();
    let mut items = vec![];
    for place in places(state, Some(geometry)).await? {
        let history = history(state, &place.id).await?;
        let latest_flow = state.store.crossing_flows(&place.id, flows, 1).await?.pop();
        let totals = state.store.crossing_flow_totals(&place.id, flows).await?;
        items.push(ListedCrossing {
            summary: summary(place, &history, alert.as_ref(), now_s),
            latest_flow,
            totals,
        });
    }
    Ok(CrossingList {
        items,
        closure_alert: alert,
    })
}

/// `GET /api/v1/crossings/{id}`: the crossing, its status history newest first, and its
/// flows newest first (at most `limit`; the totals count every matching flow).
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<CrossingView>, Problem> {
    known_parameters(&query, DETAIL_PARAMETERS)?;
    let id = parse_id(&id)?;
    let flows = parse_flows(&query)?;
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    Ok(Json(crossing(&state, &id, &flows, limit).await?))
}

pub fn parse_id(text: &str) -> Result<CrossingId, Problem> {
    CrossingId::parse(text).map_err(|why| Problem::bad_request("id", why))
}

/// One crossing with its flows under `flows`, at most `limit` of them listed.
pub async fn crossing(
    state: &AppState,
    id: &CrossingId,
    flows: &FlowFilter,
    limit: usize,
) -> Result<CrossingView, Problem> {
    let geometry = super::geo::agreed_geometry(state).await?;
    let place = places(state, Some(geometry))
        .await?
        .into_iter()
        .find(|p| p.id == id.as_str())
        .ok_or_else(|| {
            Problem::not_found(format!(
                "no crossing {id} is in the gazetteer or on the log"
            ))
        })?;
    let alert = closure_alert(state).await?;
    let now_s = state.clock.now().unix_timestamp();
    let history = history(state, &place.id).await?;
    let flow_rows = state.store.crossing_flows(&place.id, flows, limit).await?;
    let totals = state.store.crossing_flow_totals(&place.id, flows).await?;
    Ok(CrossingView {
        summary: summary(place, &history, alert.as_ref(), now_s),
        history,
        flows: flow_rows,
        totals,
    })
}

/// The closures longer than the agreement's threshold, for the compliance summary:
/// `None` if the agreement names no threshold.
pub async fn alerts(state: &AppState) -> Result<Option<ClosureAlerts>, Problem> {
    let Some(alert) = closure_alert(state).await? else {
        return Ok(None);
    };
    // The summary answers even where the node lacks the agreed geometry: the crossings
    // on the log are enough to count closures.
    let geometry = super::geo::agreed_geometry(state).await.ok();
    let now_s = state.clock.now().unix_timestamp();
    let mut alerts = vec![];
    for place in places(state, geometry).await? {
        let history = history(state, &place.id).await?;
        let item = summary(place, &history, Some(&alert), now_s);
        if item.alert.is_some() {
            alerts.push(AlertedCrossing {
                crossing: item.id,
                name: item.name,
                status: item.status.map(|s| s.status),
                closed_since: item.closed_since,
                closed_days: item.closed_days,
            });
        }
    }
    Ok(Some(ClosureAlerts {
        provision: alert.provision,
        crossing_closure_days: alert.closure_days,
        crossing_alerts: alerts,
    }))
}

async fn closure_alert(state: &AppState) -> Result<Option<CrossingAlert>, Problem> {
    let genesis = state.genesis().await?;
    Ok(genesis.and_then(|g| g.crossing_alert.clone()))
}

/// The gazetteer's crossings in its order, then any other crossing the log names.
async fn places(
    state: &AppState,
    geometry: Option<&truce_geo::Geometry>,
) -> Result<Vec<Place>, Problem> {
    let mut places: Vec<Place> = geometry
        .map(truce_geo::Geometry::crossings)
        .unwrap_or_default()
        .iter()
        .map(|c| Place {
            id: c.id.clone(),
            name: Some(c.name.clone()),
            point: Some((c.lat, c.lon)),
        })
        .collect();
    for id in state.store.crossings_on_log().await? {
        if !places.iter().any(|p| p.id == id) {
            places.push(Place {
                id,
                name: None,
                point: None,
            });
        }
    }
    Ok(places)
}

/// The crossing, its current status (the first of `history`), and how long it has been
/// closed.
fn summary(
    place: Place,
    history: &[StatusRow],
    alert: Option<&CrossingAlert>,
    now_s: i64,
) -> CrossingSummary {
    let closure = Closure::of(history, now_s);
    CrossingSummary {
        id: place.id,
        name: place.name,
        lat: place.point.map(|p| p.0),
        lon: place.point.map(|p| p.1),
        status: history.first().cloned(),
        closed_since: closure.as_ref().map(|c| c.since.clone()),
        closed_days: closure.as_ref().map(Closure::days),
        alert: closure.and_then(|c| c.alert(alert)),
    }
}

/// The crossing's statuses, the one in effect first.
async fn history(state: &AppState, id: &str) -> Result<Vec<StatusRow>, Problem> {
    Ok(state.store.crossing_statuses(id, HISTORY_MAX).await?)
}

/// The current closure: from the first of the unbroken run of closed (or deportations
/// only) statuses that ends with the current one.
#[derive(Debug, PartialEq)]
struct Closure {
    since: String,
    /// How long it has lasted, by this server's clock.
    elapsed_s: i64,
}

impl Closure {
    fn of(history: &[StatusRow], now_s: i64) -> Option<Self> {
        let closed = |status: &StatusRow| {
            serde_json::from_value::<CrossingState>(Value::from(status.status.as_str()))
                .is_ok_and(CrossingState::is_closure)
        };
        let first = history.iter().take_while(|s| closed(s)).last()?;
        Some(Self {
            since: first.since.clone(),
            elapsed_s: (now_s - first.since_s).max(0),
        })
    }

    /// Whole days closed.
    fn days(&self) -> i64 {
        self.elapsed_s / SECONDS_PER_DAY
    }

    /// The alert, if the closure has lasted longer than the agreement's threshold.
    fn alert(&self, alert: Option<&CrossingAlert>) -> Option<ClosureAlert> {
        let alert = alert?;
        (self.elapsed_s > i64::from(alert.closure_days) * SECONDS_PER_DAY).then(|| ClosureAlert {
            provision: alert.provision.clone(),
            threshold_days: alert.closure_days,
            closed_since: self.since.clone(),
            closed_days: self.days(),
        })
    }
}

/// The flows the query asks for: overlapping `from`..`to` (whole days), of `category`
/// and `direction`, each checked and named in a 400 if malformed.
pub fn parse_flows(query: &HashMap<String, String>) -> Result<FlowFilter, Problem> {
    let day = |name: &str| {
        query
            .get(name)
            .map(|text| Day::parse(text.as_str()).map_err(|why| Problem::bad_request(name, why)))
            .transpose()
    };
    let named = |name: &str| query.get(name).map(|text| json!(text));
    Ok(FlowFilter {
        from: day("from")?,
        to: day("to")?,
        category: named("category")
            .map(|v| parse("category", v))
            .transpose()?,
        direction: named("direction")
            .map(|v| parse("direction", v))
            .transpose()?,
    })
}

fn parse<T: serde::de::DeserializeOwned>(field: &str, value: Value) -> Result<T, Problem> {
    serde_json::from_value(value).map_err(|e| Problem::bad_request(field, format!("{field}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: &str, since_s: i64) -> StatusRow {
        StatusRow {
            index: 0,
            crossing: "c".into(),
            status: status.into(),
            since: format!("t{since_s}"),
            since_s,
            source: String::new(),
            note: None,
            reported_by: "p".into(),
            author: "p/k".into(),
            signed_at: String::new(),
        }
    }

    const DAY: i64 = SECONDS_PER_DAY;

    #[test]
    fn a_closure_runs_from_the_first_of_its_unbroken_closed_statuses() {
        let history = [
            status("deportations_only", 13 * DAY),
            status("closed", 10 * DAY),
            status("open", 5 * DAY),
            status("closed", DAY),
        ];
        let closure = Closure::of(&history, 30 * DAY + 5).unwrap();
        assert_eq!((closure.since.as_str(), closure.days()), ("t864000", 20));
        assert!(Closure::of(&history[2..], 30 * DAY).is_none());
        assert!(Closure::of(&[], 30 * DAY).is_none());
    }

    #[test]
    fn the_alert_is_raised_only_past_the_threshold() {
        let alert = CrossingAlert {
            closure_days: 14,
            provision: "humanitarian".into(),
        };
        let closed = |s| Closure::of(&[status("closed", 0)], s).unwrap();
        assert!(closed(14 * DAY).alert(Some(&alert)).is_none());
        let raised = closed(14 * DAY + 1).alert(Some(&alert)).unwrap();
        assert_eq!(raised.provision, "humanitarian");
        assert_eq!(raised.closed_days, 14);
        assert!(closed(100 * DAY).alert(None).is_none());
    }
}
