//! `GET /api/v1/agreement`: the constitution in force — delegations, quorum rules, and the
//! provisions, ladder of measures and reply window as last amended — with every amendment.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use truce_core::genesis::{Delegation, DelegationKind, MeasureStep, Provision, Quorum};
use truce_store::read::agreement::AmendmentRow;

use crate::problem::Problem;
use crate::state::AppState;

/// The provisions and ladder of measures in force: the genesis's, or the latest
/// amendment's.
pub async fn in_force(
    state: &AppState,
) -> Result<Option<(Vec<Provision>, Vec<MeasureStep>)>, Problem> {
    let Some(genesis) = state.genesis().await? else {
        return Ok(None);
    };
    Ok(Some(match state.store.latest_amendment().await? {
        Some(latest) => (latest.provisions, latest.measures),
        None => (genesis.provisions.clone(), genesis.measures.clone()),
    }))
}

/// The constitution in force and every amendment.
#[derive(Debug, Serialize)]
pub struct Agreement {
    pub title: String,
    pub titles: BTreeMap<String, String>,
    pub exercise: bool,
    pub origin: String,
    pub delegations: Vec<DelegationSummary>,
    pub quorum: Quorum,
    pub provisions: Vec<Provision>,
    pub measures: Vec<MeasureStep>,
    pub reply_window_hours: i64,
    /// The amendment in force, if any.
    pub amended_at: Option<u64>,
    pub amendments: Vec<AmendmentRow>,
}

/// A delegation as the agreement names it.
#[derive(Debug, Serialize)]
pub struct DelegationSummary {
    pub id: String,
    pub name: String,
    pub names: BTreeMap<String, String>,
    pub kind: DelegationKind,
}

pub async fn agreement(State(state): State<AppState>) -> Result<Json<Agreement>, Problem> {
    let genesis = state
        .genesis()
        .await?
        .ok_or_else(|| Problem::not_found("the log has no genesis yet"))?;
    let amendments = state.store.amendments().await?;
    let delegations = genesis.delegations.iter().map(summary).collect();
    let mut agreement = Agreement {
        title: genesis.title.clone(),
        titles: genesis.titles.clone(),
        exercise: genesis.exercise,
        origin: genesis.log.origin.clone(),
        delegations,
        quorum: genesis.quorum.clone(),
        provisions: genesis.provisions.clone(),
        measures: genesis.measures.clone(),
        reply_window_hours: i64::from(genesis.reply_window_hours),
        amended_at: None,
        amendments: vec![],
    };
    if let Some(latest) = amendments.last() {
        agreement.amended_at = Some(latest.index);
        agreement.provisions.clone_from(&latest.provisions);
        agreement.measures.clone_from(&latest.measures);
        agreement.reply_window_hours = latest.reply_window_hours;
    }
    agreement.amendments = amendments;
    Ok(Json(agreement))
}

fn summary(d: &Delegation) -> DelegationSummary {
    DelegationSummary {
        id: d.id.to_string(),
        name: d.name.clone(),
        names: d.names.clone(),
        kind: d.kind,
    }
}
