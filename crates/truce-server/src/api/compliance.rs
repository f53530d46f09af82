//! The per-party compliance summary: for each party to the agreement, what was alleged
//! against it, what the mechanism found, the measures it incurred and where they stand,
//! the denials of access recorded against it, and its commitments from the talks; and per
//! provision the alerts raised on it (crossings closed longer than the agreement allows).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use truce_core::{Body, DelegationKind, Genesis};
use truce_log::SignedEntry;
use truce_store::projection::{Arg, Column};

use crate::app::AppState;
use crate::problem::Problem;

/// (name in the answer, grouped count: party first, then an optional second key). Report
/// counts are kept by the projector in `report_counts`, so a million reports are not
/// counted on each request (BENCHMARKS.md).
const COUNTS: &[(&str, &str)] = &[
    (
        "allegations_against",
        "SELECT party, status, n FROM report_counts WHERE side = 'against'",
    ),
    (
        "allegations_made",
        "SELECT party, status, n FROM report_counts WHERE side = 'made'",
    ),
    (
        "findings_attributed",
        "SELECT party, status, COUNT(*) FROM findings WHERE party IS NOT NULL GROUP BY party, status",
    ),
    (
        "measures",
        "SELECT party, status, COUNT(*) FROM measures GROUP BY party, status",
    ),
    (
        "access_denials",
        "SELECT party, kind, COUNT(*) FROM investigation_steps WHERE kind = 'access_denied' GROUP BY party, kind",
    ),
    (
        "commitments",
        "SELECT owner, status, COUNT(*) FROM commitments GROUP BY owner, status",
    ),
];

/// `GET /api/v1/compliance`.
pub async fn summary(State(state): State<AppState>) -> Result<Json<Value>, Problem> {
    let mut parties: BTreeMap<String, Value> = parties(&state)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let mut summary = json!({"party": id, "name": name});
            for (field, _) in COUNTS {
                summary[*field] = json!({"total": 0, "by_status": {}});
            }
            (id, summary)
        })
        .collect();
    let columns = [Column::Text, Column::Text, Column::Int];
    for (field, sql) in COUNTS {
        let mut rows = vec![];
        state
            .store
            .for_each_row((*sql).to_string(), &[], &columns, |row| rows.push(row))
            .await?;
        for row in rows {
            let (Arg::Text(party), Arg::Text(status), Arg::Int(count)) =
                (&row[0], &row[1], &row[2])
            else {
                continue;
            };
            // Only the parties to the agreement are summarised (reports by monitors too
            // are counted under allegations_against their accused).
            let Some(summary) = parties.get_mut(party) else {
                continue;
            };
            let entry = &mut summary[*field];
            entry["total"] = (entry["total"].as_i64().unwrap_or(0) + count).into();
            if *field != "access_denials" {
                entry["by_status"][status] = (*count).into();
            }
        }
    }
    let provisions: Vec<Value> = super::crossings::alerts(&state)
        .await?
        .into_iter()
        .collect();
    Ok(Json(
        json!({"parties": parties.into_values().collect::<Vec<_>>(), "provisions": provisions}),
    ))
}

/// The parties named by the genesis (entry 0), by id, with their names.
pub(crate) async fn parties(state: &AppState) -> Result<Vec<(String, String)>, Problem> {
    let Some(genesis) = genesis(state).await? else {
        return Ok(vec![]);
    };
    Ok(genesis
        .delegations_of(DelegationKind::Party)
        .map(|d| (d.id.to_string(), d.name.clone()))
        .collect())
}

/// The genesis (entry 0) as signed, if the log has one.
/// Read from storage once: entry 0 never changes (amendments are entries of their own).
pub(crate) async fn genesis(state: &AppState) -> Result<Option<Arc<Genesis>>, Problem> {
    if let Some(genesis) = state.genesis.get() {
        return Ok(Some(genesis.clone()));
    }
    let Some(stored) = state.store.entry(0).await? else {
        return Ok(None);
    };
    let entry = SignedEntry::parse(stored.note)
        .map_err(|e| Problem::internal(&format!("the stored genesis does not parse: {e}")))?;
    let Body::Genesis(genesis) = entry.body() else {
        return Err(Problem::internal(&"entry 0 is not the genesis"));
    };
    Ok(Some(
        state
            .genesis
            .get_or_init(|| Arc::new((**genesis).clone()))
            .clone(),
    ))
}
