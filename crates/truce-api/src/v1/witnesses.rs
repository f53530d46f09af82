//! `GET /api/v1/log/witnesses`: how far behind the newest signed checkpoint the newest
//! witnessed one is, and each witness the genesis names: what it last cosigned, and when,
//! and the last error asking it.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::problem::Problem;
use crate::state::AppState;

pub async fn list(State(state): State<AppState>) -> Result<Json<Value>, Problem> {
    let head = state.store.head().await?;
    let genesis = state.genesis().await?;
    let (quorum, named) = genesis
        .as_deref()
        .map_or((0, vec![]), |g| (g.witness_quorum, g.witnesses.clone()));
    let witnessed = match quorum {
        0 => Some(head.size),
        quorum => state.store.newest_cosigned(quorum).await?,
    };
    // Sizes and times from storage (what any process of this log stored); URLs and
    // errors from this process's own attempts.
    let stored: BTreeMap<String, _> = state
        .store
        .latest_cosignatures()
        .await?
        .into_iter()
        .map(|c| (c.witness.clone(), c))
        .collect();
    let attempts: BTreeMap<String, _> = state
        .witnessing
        .statuses()
        .into_iter()
        .map(|s| (s.vkey.clone(), s))
        .collect();
    let witnesses: Vec<Value> = named
        .iter()
        .map(|w| {
            let cosigned = stored.get(&w.vkey);
            let attempt = attempts.get(&w.vkey);
            json!({
                "vkey": w.vkey,
                "delegation": w.delegation,
                "url": state.config.witness_url(&w.vkey),
                "cosigned_size": cosigned.map(|c| c.size),
                "cosigned_at": cosigned.map(|c| c.cosigned_at),
                "last_error": attempt.and_then(|a| a.last_error.clone()),
                "errors": attempt.map_or(0, |a| a.errors),
            })
        })
        .collect();
    Ok(Json(json!({
        "quorum": quorum,
        "signed_size": head.size,
        "witnessed_size": witnessed,
        "lag_entries": head.size - witnessed.unwrap_or(0),
        "witnesses": witnesses,
    })))
}
