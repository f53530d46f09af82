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
use serde_json::{Value, json};
use truce_core::Day;
use truce_core::genesis::CrossingAlert;
use truce_core::mechanism::{CrossingId, CrossingState, Direction, FlowCategory};
use truce_store::projection::{Arg, Column};

use super::listing::{Filter, known_parameters, page_limit};
use super::rows::{select, table};
use crate::app::AppState;
use crate::problem::Problem;

/// The list's parameters: which flows the totals and the latest flow count.
pub(crate) const PARAMETERS: &[&str] = &["from", "to", "category", "direction"];
/// One crossing's parameters: the same, and how many flows to list.
pub(crate) const DETAIL_PARAMETERS: &[&str] = &["from", "to", "category", "direction", "limit"];
/// The most statuses one crossing's history answers (and the closure is counted over).
const HISTORY_MAX: usize = 1_000;
const SECONDS_PER_DAY: i64 = 86_400;

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
) -> Result<Json<Value>, Problem> {
    known_parameters(&query, PARAMETERS)?;
    let flows = Flows::parse(&query)?;
    let geometry = super::geo::agreed_geometry(&state).await?;
    let alert = closure_alert(&state).await?;
    let now_s = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut items = vec![];
    for place in places(&state, Some(geometry)).await? {
        let mut item = summary(&state, &place, alert.as_ref(), now_s).await?;
        item["latest_flow"] = flow_rows(&state, &place.id, &flows, 1)
            .await?
            .pop()
            .unwrap_or(Value::Null);
        item["totals"] = totals(&state, &place.id, &flows).await?;
        items.push(item);
    }
    Ok(Json(json!({"items": items, "closure_alert": alert})))
}

/// `GET /api/v1/crossings/{id}`: the crossing, its status history newest first, and its
/// flows newest first (at most `limit`; the totals count every matching flow).
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Problem> {
    known_parameters(&query, DETAIL_PARAMETERS)?;
    let id = CrossingId::parse(id.as_str()).map_err(|why| Problem::bad_request("id", why))?;
    let flows = Flows::parse(&query)?;
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    let geometry = super::geo::agreed_geometry(&state).await?;
    let place = places(&state, Some(geometry))
        .await?
        .into_iter()
        .find(|p| p.id == id.as_str())
        .ok_or_else(|| {
            Problem::not_found(format!(
                "no crossing {id} is in the gazetteer or on the log"
            ))
        })?;
    let alert = closure_alert(&state).await?;
    let now_s = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut crossing = summary(&state, &place, alert.as_ref(), now_s).await?;
    crossing["history"] = history(&state, &place.id).await?.into();
    crossing["flows"] = flow_rows(&state, &place.id, &flows, limit).await?.into();
    crossing["totals"] = totals(&state, &place.id, &flows).await?;
    Ok(Json(crossing))
}

/// The closures longer than the agreement's threshold, for the compliance summary:
/// `None` if the agreement names no threshold.
pub(crate) async fn alerts(state: &AppState) -> Result<Option<Value>, Problem> {
    let Some(alert) = closure_alert(state).await? else {
        return Ok(None);
    };
    // The summary answers even where the node lacks the agreed geometry: the crossings
    // on the log are enough to count closures.
    let geometry = super::geo::agreed_geometry(state).await.ok();
    let now_s = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut alerts = vec![];
    for place in places(state, geometry).await? {
        let item = summary(state, &place, Some(&alert), now_s).await?;
        if !item["alert"].is_null() {
            alerts.push(json!({"crossing": item["id"], "name": item["name"],
                "status": item["status"]["status"], "closed_since": item["closed_since"],
                "closed_days": item["closed_days"]}));
        }
    }
    Ok(Some(json!({"provision": alert.provision,
        "crossing_closure_days": alert.closure_days, "crossing_alerts": alerts})))
}

async fn closure_alert(state: &AppState) -> Result<Option<CrossingAlert>, Problem> {
    let genesis = super::compliance::genesis(state).await?;
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
    let sql = "SELECT crossing FROM crossing_statuses UNION SELECT crossing FROM crossing_flows \
        ORDER BY crossing"
        .to_string();
    let mut on_log = vec![];
    state
        .store
        .for_each_row(sql, &[], &[Column::Text], |row| {
            on_log.push(row[0].text().to_string());
        })
        .await?;
    for id in on_log {
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

/// The crossing, its current status, and how long it has been closed.
async fn summary(
    state: &AppState,
    place: &Place,
    alert: Option<&CrossingAlert>,
    now_s: i64,
) -> Result<Value, Problem> {
    let history = history(state, &place.id).await?;
    let closure = Closure::of(&history, now_s);
    Ok(json!({
        "id": place.id,
        "name": place.name,
        "lat": place.point.map(|p| p.0),
        "lon": place.point.map(|p| p.1),
        "status": history.first().cloned().unwrap_or(Value::Null),
        "closed_since": closure.as_ref().map(|c| c.since.clone()),
        "closed_days": closure.as_ref().map(Closure::days),
        "alert": closure.and_then(|c| c.alert(alert)),
    }))
}

/// The crossing's statuses, the one in effect first.
async fn history(state: &AppState, id: &str) -> Result<Vec<Value>, Problem> {
    let mut filter = Filter::default();
    filter.push("crossing = $1", vec![Arg::Text(id.to_string())]);
    let order = format!("ORDER BY since_s DESC, idx DESC LIMIT {HISTORY_MAX}");
    select(state, table("crossing_statuses"), &filter, &order).await
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
    fn of(history: &[Value], now_s: i64) -> Option<Self> {
        let closed = |status: &Value| {
            let name = status["status"].as_str().unwrap_or_default();
            serde_json::from_value::<CrossingState>(json!(name))
                .is_ok_and(CrossingState::is_closure)
        };
        let first = history.iter().take_while(|s| closed(s)).last()?;
        Some(Self {
            since: first["since"].as_str()?.to_string(),
            elapsed_s: (now_s - first["since_s"].as_i64()?).max(0),
        })
    }

    /// Whole days closed.
    fn days(&self) -> i64 {
        self.elapsed_s / SECONDS_PER_DAY
    }

    /// The alert, if the closure has lasted longer than the agreement's threshold.
    fn alert(&self, alert: Option<&CrossingAlert>) -> Option<Value> {
        let alert = alert?;
        (self.elapsed_s > i64::from(alert.closure_days) * SECONDS_PER_DAY).then(|| {
            json!({"provision": alert.provision, "threshold_days": alert.closure_days,
                "closed_since": self.since, "closed_days": self.days()})
        })
    }
}

/// The flows the query asks for: overlapping `from`..`to` (whole days), of `category`
/// and `direction`, each checked and named in a 400 if malformed.
#[derive(Default)]
struct Flows {
    from: Option<Day>,
    to: Option<Day>,
    category: Option<FlowCategory>,
    direction: Option<Direction>,
}

impl Flows {
    fn parse(query: &HashMap<String, String>) -> Result<Self, Problem> {
        let day = |name: &str| {
            query
                .get(name)
                .map(|text| {
                    Day::parse(text.as_str()).map_err(|why| Problem::bad_request(name, why))
                })
                .transpose()
        };
        let named = |name: &str| query.get(name).map(|text| json!(text));
        Ok(Self {
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

    /// The WHERE clause of one crossing's flows.
    fn filter(&self, id: &str) -> Filter {
        let mut filter = Filter::default();
        let text = |value: &str| vec![Arg::Text(value.to_string())];
        filter.push("crossing = $1", text(id));
        if let Some(from) = &self.from {
            filter.push("end_day >= $1", text(from.as_str()));
        }
        if let Some(to) = &self.to {
            filter.push("start_day <= $1", text(to.as_str()));
        }
        if let Some(category) = self.category {
            filter.push("category = $1", text(category.as_str()));
        }
        if let Some(direction) = &self.direction {
            filter.push("direction = $1", text(direction.as_str()));
        }
        filter
    }
}

fn parse<T: serde::de::DeserializeOwned>(field: &str, value: Value) -> Result<T, Problem> {
    serde_json::from_value(value).map_err(|e| Problem::bad_request(field, format!("{field}: {e}")))
}

/// The crossing's flows under `filter`, the latest days first.
async fn flow_rows(
    state: &AppState,
    id: &str,
    flows: &Flows,
    limit: usize,
) -> Result<Vec<Value>, Problem> {
    let order = format!("ORDER BY end_day DESC, idx DESC LIMIT {limit}");
    select(state, table("crossing_flows"), &flows.filter(id), &order).await
}

/// Sums of the flows under `filter`, per delegation that reported them, direction and
/// category: one delegation's figures are never added to another's.
async fn totals(state: &AppState, id: &str, flows: &Flows) -> Result<Value, Problem> {
    let filter = flows.filter(id);
    let sql = format!(
        "SELECT reported_by, direction, category, COUNT(*), CAST(SUM(count_low) AS BIGINT), \
         CAST(SUM(count_best) AS BIGINT), CAST(SUM(count_high) AS BIGINT) FROM crossing_flows{} \
         GROUP BY reported_by, direction, category ORDER BY reported_by, direction, category",
        filter.where_clause()
    );
    let columns = [
        Column::Text,
        Column::Text,
        Column::Text,
        Column::Int,
        Column::Int,
        Column::Int,
        Column::Int,
    ];
    let mut totals = vec![];
    state
        .store
        .for_each_row(sql, &filter.args, &columns, |row| {
            let value = |i: usize| row[i].to_json();
            totals.push(json!({"reported_by": value(0), "direction": value(1),
                "category": value(2), "flows": value(3),
                "count": {"low": value(4), "best": value(5), "high": value(6)}}));
        })
        .await?;
    Ok(totals.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: &str, since_s: i64) -> Value {
        json!({"status": status, "since_s": since_s, "since": format!("t{since_s}")})
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
        assert_eq!(raised["provision"], "humanitarian");
        assert_eq!(raised["closed_days"], 14);
        assert!(closed(100 * DAY).alert(None).is_none());
    }
}
