//! Investigations, findings, measures and talks: lists with filters and cursors, and one
//! record with what hangs off it (steps, votes, replies, commitments).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Serialize;
use serde_json::Value;
use truce_core::Timestamp;
use truce_store::projection::Arg;
use truce_store::read::talks::{CommitmentRow, RoundRow};
use truce_store::read::workflow::{InvestigationRow, MeasureRow, StepRow};
use truce_store::read::{FromRow, Listed};

use super::entries::parse_index;
use super::listing::{Filter, known_parameters, page, page_limit};
use super::rows::{children, one, select, table};
use crate::app::AppState;
use crate::problem::Problem;

type Params = Query<HashMap<String, String>>;

/// A list endpoint: its table and the equality filters it takes (`parameter`, `column`).
pub(crate) struct Listing {
    pub(crate) table: &'static str,
    pub(crate) filters: &'static [(&'static str, &'static str)],
}

pub(crate) const INVESTIGATIONS: Listing = Listing {
    table: "investigations",
    filters: &[("incident", "incident_idx"), ("status", "status")],
};
pub(crate) const FINDINGS: Listing = Listing {
    table: "findings",
    filters: &[
        ("incident", "incident_idx"),
        ("party", "party"),
        ("provision", "provision"),
        ("status", "status"),
        ("determination", "determination"),
    ],
};
pub(crate) const MEASURES: Listing = Listing {
    table: "measures",
    filters: &[("party", "party"), ("status", "status")],
};
pub(crate) const ROUNDS: Listing = Listing {
    table: "talks_rounds",
    filters: &[],
};
pub(crate) const COMMITMENTS: Listing = Listing {
    table: "commitments",
    filters: &[
        ("round", "round_idx"),
        ("party", "owner"),
        ("status", "status"),
    ],
};

/// The rows of `listing` that `query` asks for (its filters and cursor checked), and the
/// page size.
fn listed(
    state: &AppState,
    listing: &Listing,
    query: &HashMap<String, String>,
) -> Result<(Listed, usize), Problem> {
    let mut known = vec!["cursor", "limit"];
    known.extend(listing.filters.iter().map(|(p, _)| *p));
    known_parameters(query, &known)?;
    let limit = page_limit(query.get("limit"), state.config.limits.page_items_max)?;
    let mut listed = Listed {
        before: query
            .get("cursor")
            .map(|cursor| parse_index("cursor", cursor))
            .transpose()?,
        equal: vec![],
        // One more than the page, to learn whether there is a next page.
        limit: limit + 1,
    };
    for (parameter, column) in listing.filters {
        if let Some(value) = query.get(*parameter) {
            let arg = if column.ends_with("_idx") {
                super::rows::index_arg(parse_index(parameter, value)?)
            } else {
                Arg::Text(value.clone())
            };
            listed.equal.push((*column, arg));
        }
    }
    Ok((listed, limit))
}

/// A page of a list, newest first, and the cursor of the next page (the index of its
/// last item, as text), if there is one.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// One page of typed rows of `listing`'s table.
pub(crate) async fn page_of<T: FromRow>(
    state: &AppState,
    listing: &Listing,
    query: &HashMap<String, String>,
) -> Result<Page<T>, Problem> {
    let (listed, limit) = listed(state, listing, query)?;
    let mut items: Vec<T> = state.store.newest_first(&listed).await?;
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|last| last.index().to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// One page of `listing`'s table as JSON rows: for the tables the read model does not
/// type yet.
pub(crate) async fn list(
    state: &AppState,
    listing: &Listing,
    query: &HashMap<String, String>,
) -> Result<Value, Problem> {
    let (listed, limit) = listed(state, listing, query)?;
    let mut filter = Filter::default();
    if let Some(before) = listed.before {
        filter.push("idx < $1", vec![super::rows::index_arg(before)]);
    }
    for (column, value) in listed.equal {
        filter.push(&format!("{column} = $1"), vec![value]);
    }
    let order = format!("ORDER BY idx DESC LIMIT {}", listed.limit);
    let items = select(state, table(listing.table), &filter, &order).await?;
    Ok(page(items, limit))
}

/// `GET /api/v1/investigations?incident=&status=`.
pub async fn investigations(
    State(state): State<AppState>,
    Query(query): Params,
) -> Result<Json<Page<InvestigationRow>>, Problem> {
    Ok(Json(page_of(&state, &INVESTIGATIONS, &query).await?))
}

/// An investigation with its steps (denials of access included) and its findings.
#[derive(Debug, Serialize)]
pub struct InvestigationView {
    #[serde(flatten)]
    pub investigation: InvestigationRow,
    pub steps: Vec<StepRow>,
    pub findings: Vec<Value>,
}

/// `GET /api/v1/investigations/{index}`: with its steps, denials of access included.
pub async fn investigation(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<InvestigationView>, Problem> {
    let index = parse_index("index", &index)?;
    let investigation = state
        .store
        .row(index)
        .await?
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not an investigation")))?;
    let steps = state.store.children("investigation_idx", index).await?;
    let mut findings = children(&state, "findings", "investigation_idx", index).await?;
    findings.iter_mut().for_each(annotate_finding);
    Ok(Json(InvestigationView {
        investigation,
        steps,
        findings,
    }))
}

/// `GET /api/v1/findings?incident=&party=&provision=&status=&determination=`.
pub async fn findings(
    State(state): State<AppState>,
    Query(query): Params,
) -> Result<Json<Value>, Problem> {
    let mut answer = list(&state, &FINDINGS, &query).await?;
    for finding in answer["items"].as_array_mut().into_iter().flatten() {
        annotate_finding(finding);
    }
    Ok(Json(answer))
}

/// `GET /api/v1/findings/{index}`: with its votes (dissents kept), the parties' replies,
/// and the measure it led to.
pub async fn finding(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<Value>, Problem> {
    let index = parse_index("index", &index)?;
    let mut finding = one(&state, "findings", index, "a finding").await?;
    annotate_finding(&mut finding);
    finding["votes"] = children(&state, "finding_votes", "finding_idx", index)
        .await?
        .into();
    finding["replies"] = children(&state, "statements", "finding_idx", index)
        .await?
        .into();
    if let Some(index) = finding["measure_idx"].as_u64() {
        let measure = measure_row(&state, index).await?;
        finding["measure"] = serde_json::to_value(measure).map_err(|e| Problem::internal(&e))?;
    } else {
        finding["measure"] = Value::Null;
    }
    Ok(Json(finding))
}

/// Whether the right of reply is still open, by this server's clock (the projection
/// holds only what the log says: the deadline).
pub(crate) fn annotate_finding(finding: &mut Value) {
    let open = finding["status"] != "final"
        && finding["reply_due"]
            .as_str()
            .and_then(|due| Timestamp::parse(due).ok())
            .is_some_and(|due| due.instant() > time::OffsetDateTime::now_utc());
    finding["reply_window_open"] = open.into();
}

/// `GET /api/v1/measures?party=&status=`.
pub async fn measures(
    State(state): State<AppState>,
    Query(query): Params,
) -> Result<Json<Page<MeasureRow>>, Problem> {
    Ok(Json(page_of(&state, &MEASURES, &query).await?))
}

/// `GET /api/v1/measures/{index}`.
pub async fn measure(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<MeasureRow>, Problem> {
    let index = parse_index("index", &index)?;
    Ok(Json(measure_row(&state, index).await?))
}

/// The measure made by entry `index`, or 404.
async fn measure_row(state: &AppState, index: u64) -> Result<MeasureRow, Problem> {
    state
        .store
        .row(index)
        .await?
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not a measure")))
}

/// `GET /api/v1/talks`: rounds, newest first.
pub async fn rounds(
    State(state): State<AppState>,
    Query(query): Params,
) -> Result<Json<Page<RoundRow>>, Problem> {
    Ok(Json(page_of(&state, &ROUNDS, &query).await?))
}

/// A round of talks with the commitments made at it, oldest first.
#[derive(Debug, Serialize)]
pub struct RoundView {
    #[serde(flatten)]
    pub round: RoundRow,
    pub commitments: Vec<CommitmentRow>,
}

/// `GET /api/v1/talks/{index}`: a round with the commitments made at it.
pub async fn round(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<RoundView>, Problem> {
    let index = parse_index("index", &index)?;
    let round = state
        .store
        .row(index)
        .await?
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not a round of talks")))?;
    let commitments = state.store.children("round_idx", index).await?;
    Ok(Json(RoundView { round, commitments }))
}

/// `GET /api/v1/commitments?round=&party=&status=`.
pub async fn commitments(
    State(state): State<AppState>,
    Query(query): Params,
) -> Result<Json<Page<CommitmentRow>>, Problem> {
    Ok(Json(page_of(&state, &COMMITMENTS, &query).await?))
}
