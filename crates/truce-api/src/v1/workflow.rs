//! Investigations, findings, measures and talks: lists with filters and cursors, and one
//! record with what hangs off it (steps, votes, replies, commitments).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Serialize;
use truce_store::projection::Arg;
use truce_store::read::findings::{FindingDetail, FindingRow, FindingView};
use truce_store::read::liaison::ContactRow;
use truce_store::read::restrictions::RestrictionRow;
use truce_store::read::talks::{CommitmentRow, RoundRow};
use truce_store::read::workflow::{InvestigationRow, MeasureRow, StepRow};
use truce_store::read::{FromRow, Listed};

use super::entries::parse_index;
use super::listing::{Page, cursor, known_parameters, page_limit};
use crate::problem::Problem;
use crate::state::AppState;

type Params = Query<HashMap<String, String>>;

/// A list endpoint: its table and the equality filters it takes (`parameter`, `column`).
pub struct Listing {
    pub table: &'static str,
    pub filters: &'static [(&'static str, &'static str)],
}

pub const INVESTIGATIONS: Listing = Listing {
    table: "investigations",
    filters: &[("incident", "incident_idx"), ("status", "status")],
};
pub const FINDINGS: Listing = Listing {
    table: "findings",
    filters: &[
        ("incident", "incident_idx"),
        ("party", "party"),
        ("provision", "provision"),
        ("status", "status"),
        ("determination", "determination"),
    ],
};
pub const MEASURES: Listing = Listing {
    table: "measures",
    filters: &[("party", "party"), ("status", "status")],
};
pub const RESTRICTIONS: Listing = Listing {
    table: "restrictions",
    filters: &[
        ("party", "controlled_by"),
        ("kind", "kind"),
        ("movement", "movement"),
        ("investigation", "investigation_idx"),
    ],
};
pub const CONTACTS: Listing = Listing {
    table: "liaison_contacts",
    filters: &[
        ("party", "party"),
        ("channel", "channel"),
        ("outcome", "outcome"),
        ("incident", "incident_idx"),
    ],
};
pub const ROUNDS: Listing = Listing {
    table: "talks_rounds",
    filters: &[],
};
pub const COMMITMENTS: Listing = Listing {
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
        before: cursor(query)?,
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

/// One page of typed rows of `listing`'s table.
pub async fn page_of<T: FromRow>(
    state: &AppState,
    listing: &Listing,
    query: &HashMap<String, String>,
) -> Result<Page<T>, Problem> {
    let (listed, limit) = listed(state, listing, query)?;
    Ok(Page::of(state.store.newest_first(&listed).await?, limit))
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
    pub findings: Vec<FindingView>,
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
    let findings: Vec<FindingRow> = state.store.children("investigation_idx", index).await?;
    let now = state.clock.now();
    Ok(Json(InvestigationView {
        investigation,
        steps,
        findings: findings.into_iter().map(|f| f.at(now)).collect(),
    }))
}

/// One page of findings as seen now (which reply windows are open).
pub async fn findings_page(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<Page<FindingView>, Problem> {
    let page: Page<FindingRow> = page_of(state, &FINDINGS, query).await?;
    let now = state.clock.now();
    Ok(Page {
        items: page.items.into_iter().map(|f| f.at(now)).collect(),
        next: page.next,
    })
}

/// `GET /api/v1/findings?incident=&party=&provision=&status=&determination=`.
pub async fn findings(
    State(state): State<AppState>,
    Query(query): Params,
) -> Result<Json<Page<FindingView>>, Problem> {
    Ok(Json(findings_page(&state, &query).await?))
}

/// `GET /api/v1/findings/{index}`: with its votes (dissents kept), the parties' replies,
/// and the measure it led to.
pub async fn finding(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<FindingDetail>, Problem> {
    let index = parse_index("index", &index)?;
    state
        .store
        .finding(index, state.clock.now())
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not a finding")))
}

/// `GET /api/v1/restrictions?party=&kind=&movement=&investigation=`: restrictions on the
/// monitors, newest first; `party` is the one that controlled the place.
pub async fn restrictions(
    State(state): State<AppState>,
    Query(query): Params,
) -> Result<Json<Page<RestrictionRow>>, Problem> {
    Ok(Json(page_of(&state, &RESTRICTIONS, &query).await?))
}

/// `GET /api/v1/liaison?party=&channel=&outcome=&incident=`: liaison contacts, newest
/// first, each with its acknowledgement and outcome once recorded.
pub async fn contacts(
    State(state): State<AppState>,
    Query(query): Params,
) -> Result<Json<Page<ContactRow>>, Problem> {
    Ok(Json(page_of(&state, &CONTACTS, &query).await?))
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
