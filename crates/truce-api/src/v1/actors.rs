//! The neutral actor registry, and one actor with every party's designations of it side
//! by side: each party's current and withdrawn designations, in its own words, never
//! merged into one label.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Serialize;
use truce_core::mechanism::ActorId;
use truce_store::read::actors::{ActorRow, DesignationRow};

use super::entries::parse_index;
use super::listing::Page;
use super::workflow::{Listing, page_of};
use crate::problem::Problem;
use crate::state::AppState;

pub const ACTORS: Listing = Listing {
    table: "actors",
    filters: &[("kind", "kind")],
};

/// `GET /api/v1/actors?kind=`: the registry, newest first.
pub async fn actors(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Page<ActorRow>>, Problem> {
    Ok(Json(page_of(&state, &ACTORS, &query).await?))
}

/// An actor with every party's designations of it.
#[derive(Debug, Serialize)]
pub struct ActorView {
    #[serde(flatten)]
    pub actor: ActorRow,
    pub designations: Vec<PartyDesignations>,
}

/// One party's designations of an actor, in its own words.
#[derive(Debug, Serialize)]
pub struct PartyDesignations {
    pub party: String,
    /// The party's name, for a party to the agreement.
    pub name: Option<String>,
    pub current: Vec<DesignationRow>,
    pub withdrawn: Vec<DesignationRow>,
}

/// `GET /api/v1/actors/{id-or-index}`: the actor, and per party its designations.
pub async fn actor(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<ActorView>, Problem> {
    let actor = if key.bytes().all(|b| b.is_ascii_digit()) {
        let index = parse_index("index", &key)?;
        state.store.row(index).await?
    } else {
        let id = ActorId::parse(key.as_str()).map_err(|why| Problem::bad_request("id", why))?;
        state.store.actor_by_id(id.as_str()).await?
    };
    let actor = actor.ok_or_else(|| Problem::not_found(format!("no actor {key} is registered")))?;
    let filed = state.store.children("actor_idx", actor.index).await?;
    let parties = state.parties().await?;
    Ok(Json(ActorView {
        designations: side_by_side(parties, filed),
        actor,
    }))
}

/// One entry per party to the agreement (and any other that filed), each with its
/// current and its withdrawn designations, oldest first.
fn side_by_side(
    parties: Vec<(String, String)>,
    filed: Vec<DesignationRow>,
) -> Vec<PartyDesignations> {
    let empty = |party: String, name| PartyDesignations {
        party,
        name,
        current: vec![],
        withdrawn: vec![],
    };
    let mut by_party: BTreeMap<String, PartyDesignations> = parties
        .into_iter()
        .map(|(id, name)| (id.clone(), empty(id, Some(name))))
        .collect();
    for designation in filed {
        let party = designation.party.clone();
        let entry = by_party
            .entry(party.clone())
            .or_insert_with(|| empty(party, None));
        if designation.status == "withdrawn" {
            entry.withdrawn.push(designation);
        } else {
            entry.current.push(designation);
        }
    }
    by_party.into_values().collect()
}
