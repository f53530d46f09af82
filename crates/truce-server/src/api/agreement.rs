//! `GET /api/v1/agreement`: the constitution in force — delegations, quorum rules, and the
//! provisions, ladder of measures and reply window as last amended — with every amendment.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::listing::Filter;
use super::rows::{select, table};
use crate::app::AppState;
use crate::problem::Problem;

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
        "exercise": genesis.exercise,
        "origin": genesis.log.origin,
        "delegations": genesis.delegations.iter()
            .map(|d| json!({"id": d.id, "name": d.name, "kind": d.kind}))
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
