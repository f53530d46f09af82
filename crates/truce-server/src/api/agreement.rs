//! `GET /api/v1/agreement`: the constitution in force — delegations, quorum rules, and the
//! provisions, ladder of measures and reply window as last amended — with every amendment.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use truce_core::genesis::{MeasureStep, Provision};

use super::listing::Filter;
use super::rows::{select, table};
use crate::app::AppState;
use crate::problem::Problem;

/// The provisions and ladder of measures in force: the genesis's, or the latest
/// amendment's.
pub(crate) async fn in_force(
    state: &AppState,
) -> Result<Option<(Vec<Provision>, Vec<MeasureStep>)>, Problem> {
    let Some(genesis) = super::compliance::genesis(state).await? else {
        return Ok(None);
    };
    let amendments = select(
        state,
        table("amendments"),
        &Filter::default(),
        "ORDER BY idx DESC LIMIT 1",
    )
    .await?;
    let Some(latest) = amendments.first() else {
        return Ok(Some((genesis.provisions.clone(), genesis.measures.clone())));
    };
    Ok(Some((
        typed(&latest["provisions"])?,
        typed(&latest["measures"])?,
    )))
}

/// A stored amendment's list, decoded as the record's own type.
fn typed<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, Problem> {
    serde_json::from_value(value.clone())
        .map_err(|e| Problem::internal(&format!("a stored amendment does not decode: {e}")))
}

pub async fn agreement(State(state): State<AppState>) -> Result<Json<Value>, Problem> {
    let genesis = super::compliance::genesis(&state)
        .await?
        .ok_or_else(|| Problem::not_found("the log has no genesis yet"))?;
    let amendments = select(
        &state,
        table("amendments"),
        &Filter::default(),
        "ORDER BY idx",
    )
    .await?;
    let mut answer = json!({
        "title": genesis.title,
        "titles": genesis.titles,
        "exercise": genesis.exercise,
        "origin": genesis.log.origin,
        "delegations": genesis.delegations.iter()
            .map(|d| json!({"id": d.id, "name": d.name, "names": d.names, "kind": d.kind}))
            .collect::<Vec<_>>(),
        "quorum": genesis.quorum,
        "provisions": genesis.provisions,
        "measures": genesis.measures,
        "reply_window_hours": genesis.reply_window_hours,
        "amended_at": null,
        "amendments": amendments,
    });
    if let Some(latest) = answer["amendments"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
    {
        answer["amended_at"] = latest["index"].clone();
        answer["provisions"] = latest["provisions"].clone();
        answer["measures"] = latest["measures"].clone();
        answer["reply_window_hours"] = latest["reply_window_hours"].clone();
    }
    Ok(Json(answer))
}
