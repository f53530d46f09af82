//! The neutral actor registry, and one actor with every party's designations of it side
//! by side: each party's current and withdrawn designations, in its own words, never
//! merged into one label.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use truce_core::mechanism::ActorId;
use truce_store::projection::Arg;

use super::entries::parse_index;
use super::listing::Filter;
use super::rows::{children, select, table};
use super::workflow::{Listing, list};
use crate::app::AppState;
use crate::problem::Problem;

pub(crate) const ACTORS: Listing = Listing {
    table: "actors",
    filters: &[("kind", "kind")],
};

/// `GET /api/v1/actors?kind=`: the registry, newest first.
pub async fn actors(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(list(&state, &ACTORS, &query).await?))
}

/// `GET /api/v1/actors/{id-or-index}`: the actor, and per party its designations.
pub async fn actor(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<Value>, Problem> {
    let mut filter = Filter::default();
    if key.bytes().all(|b| b.is_ascii_digit()) {
        let index = parse_index("index", &key)?;
        filter.push("idx = $1", vec![super::rows::index_arg(index)]);
    } else {
        let id = ActorId::parse(key.as_str()).map_err(|why| Problem::bad_request("id", why))?;
        filter.push("id = $1", vec![Arg::Text(id.to_string())]);
    }
    let mut actor = select(&state, table(ACTORS.table), &filter, "")
        .await?
        .pop()
        .ok_or_else(|| Problem::not_found(format!("no actor {key} is registered")))?;
    let index = actor["index"].as_u64().unwrap_or_default();
    let filed = children(&state, "designations", "actor_idx", index).await?;
    actor["designations"] = side_by_side(super::compliance::parties(&state).await?, filed);
    Ok(Json(actor))
}

/// One entry per party to the agreement (and any other that filed), each with its
/// current and its withdrawn designations, oldest first.
fn side_by_side(parties: Vec<(String, String)>, filed: Vec<Value>) -> Value {
    let mut by_party: BTreeMap<String, Value> = parties
        .into_iter()
        .map(|(id, name)| {
            let entry = json!({"party": id, "name": name, "current": [], "withdrawn": []});
            (id, entry)
        })
        .collect();
    for designation in filed {
        let party = designation["party"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let entry = by_party.entry(party.clone()).or_insert_with(
            || json!({"party": party, "name": null, "current": [], "withdrawn": []}),
        );
        let status = if designation["status"] == "withdrawn" {
            "withdrawn"
        } else {
            "current"
        };
        if let Some(list) = entry[status].as_array_mut() {
            list.push(designation);
        }
    }
    by_party.into_values().collect()
}
