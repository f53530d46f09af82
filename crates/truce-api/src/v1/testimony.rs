//! Sealed testimony over HTTP.
//!
//! Public, like the log itself: `GET /api/v1/custodians` (the agreement's policy and every
//! active custodian's encryption key), `GET /api/v1/testimonies` and
//! `GET /api/v1/testimonies/{index}` (the public part, who holds the shares, requests to
//! unseal with their approvals and status).
//!
//! Signed by an officer's key (`truce_log::request`), never a bearer token: the files
//! themselves. `PUT /api/v1/sealed/{sha256}` stores a sealed part or a share before the
//! entry naming it is signed; `GET /api/v1/sealed/{sha256}` serves a share to its
//! custodian, and the shares released to a request and the sealed part to its requester
//! once that request's approvals meet the policy. Anyone else gets
//! 404, as for a file that does not exist; a destroyed testimony's files are 410.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use truce_core::mechanism::TestimonyPolicy;
use truce_core::{DelegationId, KeyRecord, Role};
use truce_store::EvidenceSize;
use truce_store::public_reports::SealedContact;
use truce_store::read::testimony::{
    ApprovalRow, CustodianRow, SealedFilePart, SealedFileUse, ShareRow, TestimonyRow,
    UnsealRequestRow,
};

use super::entries::parse_index;
use super::evidence::{check_length, check_name, refused_file};
use super::listing::Page;
use crate::problem::Problem;
use crate::state::AppState;

/// The most testimonies one list answers.
const LIST_MAX: u32 = 200;
/// The most sealed files one key may store in an hour: a testimony stores one per
/// custodian and one more, an approval one. Far above any mission's pace; it bounds what
/// one officer's key can put on the node's disk before the hourly sweep of files no entry
/// names.
pub const UPLOADS_PER_KEY_HOUR: u32 = 1_000;

/// How many sealed files each key stored in the current hour. Counted only after the
/// request's signature checked, so the map holds at most one row per registered key.
#[derive(Debug, Default)]
pub struct Uploads(std::sync::Mutex<std::collections::HashMap<String, (i64, u32)>>);

impl Uploads {
    /// Counts one upload by `key` at `now_s`; false if the key used its hour's share.
    fn take(&self, key: &str, now_s: i64) -> bool {
        let hour = now_s / 3600;
        let mut counts = self.0.lock().expect("uploads lock");
        let slot = counts.entry(key.to_string()).or_insert((hour, 0));
        if slot.0 != hour {
            *slot = (hour, 0);
        }
        if slot.1 >= UPLOADS_PER_KEY_HOUR {
            return false;
        }
        slot.1 += 1;
        true
    }
}

#[derive(Debug, Serialize)]
pub struct CustodiansView {
    /// The agreement's policy; null if it provides for no sealed testimony.
    pub policy: Option<TestimonyPolicy>,
    pub custodians: Vec<CustodianRow>,
}

#[derive(Debug, Serialize)]
pub struct TestimonyView {
    #[serde(flatten)]
    pub testimony: TestimonyRow,
    pub shares: Vec<ShareRow>,
    pub requests: Vec<RequestView>,
}

#[derive(Debug, Serialize)]
pub struct RequestView {
    #[serde(flatten)]
    pub request: UnsealRequestRow,
    pub approvals: Vec<ApprovalRow>,
    /// `open`, `approved` (the approvals meet the policy), `lapsed` or `destroyed`.
    pub status: &'static str,
}

/// `GET /api/v1/custodians`.
pub async fn custodians(State(state): State<AppState>) -> Result<Json<CustodiansView>, Problem> {
    let policy = state.genesis().await?.and_then(|g| g.testimony.clone());
    let custodians = state.store.active_custodians().await?;
    Ok(Json(CustodiansView { policy, custodians }))
}

/// `GET /api/v1/testimonies`: the newest first, one page (they are few).
pub async fn list(State(state): State<AppState>) -> Result<Json<Page<TestimonyRow>>, Problem> {
    let items = state.store.testimonies(LIST_MAX).await?;
    Ok(Json(Page { items, next: None }))
}

/// `GET /api/v1/testimonies/{index}`.
pub async fn get(
    State(state): State<AppState>,
    Path(index): Path<String>,
) -> Result<Json<TestimonyView>, Problem> {
    let index = parse_index("index", &index)?;
    Ok(Json(testimony(&state, index).await?))
}

/// Testimony `index` with its shares and requests, or 404.
pub async fn testimony(state: &AppState, index: u64) -> Result<TestimonyView, Problem> {
    let testimony = state
        .store
        .testimony(index)
        .await?
        .ok_or_else(|| Problem::not_found(format!("entry {index} is not a testimony")))?;
    let shares = state.store.testimony_shares(index).await?;
    let mut requests = vec![];
    for request in state.store.unseal_requests(index).await? {
        let approvals = state.store.unseal_approvals(request.index).await?;
        let status = status(&testimony, &request, &approvals, state.clock.now());
        requests.push(RequestView {
            request,
            approvals,
            status,
        });
    }
    Ok(TestimonyView {
        testimony,
        shares,
        requests,
    })
}

/// Where `request` stands (`open`, `approved`, `lapsed`, `destroyed`), with the
/// testimony it is for: its approvals and the testimony read, not the testimony's other
/// requests.
pub async fn request_status(
    state: &AppState,
    request: &UnsealRequestRow,
) -> Result<(TestimonyRow, &'static str), Problem> {
    let testimony = state
        .store
        .testimony(request.testimony_idx)
        .await?
        .ok_or_else(|| Problem::internal(&"a request names no testimony"))?;
    let approvals = state.store.unseal_approvals(request.index).await?;
    let status = status(&testimony, request, &approvals, state.clock.now());
    Ok((testimony, status))
}

fn status(
    testimony: &TestimonyRow,
    request: &UnsealRequestRow,
    approvals: &[ApprovalRow],
    now: OffsetDateTime,
) -> &'static str {
    if testimony.destroyed_idx.is_some() {
        return "destroyed";
    }
    if meets_policy(testimony, approvals) {
        return "approved";
    }
    let expired = truce_core::Timestamp::parse(request.expires_at.clone())
        .is_ok_and(|expires| now > expires.instant());
    if expired { "lapsed" } else { "open" }
}

fn meets_policy(testimony: &TestimonyRow, approvals: &[ApprovalRow]) -> bool {
    let delegations: Vec<DelegationId> = approvals
        .iter()
        .filter_map(|a| DelegationId::parse(&a.delegation).ok())
        .collect();
    testimony.policy.is_met(delegations.iter())
}

/// `PUT /api/v1/sealed/{sha256}`: a sealed part, a share or a released share, stored by
/// its hash. The signature is checked before a byte of the body is read.
pub async fn upload(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), Problem> {
    check_name(&sha256)?;
    let caller = signed_caller(&state, &headers, "PUT", &sealed_path(&sha256)).await?;
    if !matches!(
        caller.role,
        Role::Monitor | Role::Commissioner | Role::Liaison
    ) {
        return Err(Problem::forbidden(format!(
            "a {} key does not seal testimony or release shares",
            caller.role.as_str()
        )));
    }
    let now_s = truce_node::sequencer::unix_ms() / 1000;
    if !state.sealed_uploads.take(caller.name.as_str(), now_s) {
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-uploads",
            "Too many sealed files",
            format!(
                "{} stored {UPLOADS_PER_KEY_HOUR} sealed files this hour, the most one key may; try again next hour",
                caller.name
            ),
        ));
    }
    if let Some(found) = state.store.sealed_file_use(&sha256).await?
        && found.testimony.destroyed_idx.is_some()
    {
        return Err(gone(&sha256));
    }
    let size = EvidenceSize {
        bytes_max: state.config.limits.evidence_bytes_max as u64,
        bytes_signed: None,
    };
    check_length(&headers, size)?;
    let bytes = state
        .sealed
        .put_stream(&sha256, body.into_data_stream(), size)
        .await
        .map_err(|e| refused_file(&e))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"sha256": sha256, "bytes": bytes})),
    ))
}

/// `GET /api/v1/sealed/{sha256}`.
pub async fn download(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    check_name(&sha256)?;
    let caller = signed_caller(&state, &headers, "GET", &sealed_path(&sha256)).await?;
    let hidden = || Problem::not_found("no sealed file with this SHA-256 that you may read");
    let Some(found) = state.store.sealed_file_use(&sha256).await? else {
        return Err(hidden());
    };
    if found.testimony.destroyed_idx.is_some() {
        return Err(gone(&sha256));
    }
    if !entitled(&state, &caller, &found).await? {
        return Err(hidden());
    }
    let bytes = state
        .sealed
        .get(&sha256)
        .await
        .map_err(|e| Problem::internal(&e))?
        .ok_or_else(|| Problem::not_found("the record names this file but it was not uploaded"))?;
    Ok(super::evidence::file_response(
        bytes,
        "application/octet-stream",
        false,
    ))
}

/// `GET /api/v1/public-reports/{id}/sealed-contact`: the sealed form of the way to reach
/// a public reporter (hashes, policy, shares), for a monitor to record as a testimony
/// (`truce testimony record --public-report`). Monitors only; signed like the files.
pub async fn sealed_contact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<SealedContact>, Problem> {
    let path = format!("/api/v1/public-reports/{id}/sealed-contact");
    let caller = signed_caller(&state, &headers, "GET", &path).await?;
    if caller.role != Role::Monitor {
        return Err(Problem::forbidden("only monitors read public reports"));
    }
    let report = crate::intake::get(&state.store, &id).await?;
    report
        .and_then(|r| r.report.contact_sealed)
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("public report {id} left no sealed contact")))
}

/// Whether `caller` may fetch the file: a custodian their own share; a requester, once
/// their request's approvals meet the policy, the shares released to it and the sealed
/// part.
async fn entitled(
    state: &AppState,
    caller: &KeyRecord,
    found: &SealedFileUse,
) -> Result<bool, Problem> {
    let me = caller.name.as_str();
    let testimony = &found.testimony;
    Ok(match &found.part {
        SealedFilePart::Share(share) => share.custodian == me,
        // Only once the request's own approvals meet the policy: shares released to a
        // request that falls short are never served, so two requests that each fell
        // short cannot be combined.
        SealedFilePart::Released(released) => {
            let request = &released.0;
            request.requester == me && {
                let approvals = state.store.unseal_approvals(request.index).await?;
                meets_policy(testimony, &approvals)
            }
        }
        SealedFilePart::Sealed => {
            let mut approved = false;
            for request in state.store.unseal_requests(testimony.index).await? {
                if request.requester != me {
                    continue;
                }
                let approvals = state.store.unseal_approvals(request.index).await?;
                approved |= meets_policy(testimony, &approvals);
            }
            approved
        }
    })
}

fn gone(sha256: &str) -> Problem {
    Problem::new(
        StatusCode::GONE,
        "destroyed",
        "Destroyed",
        format!("{sha256} belongs to a testimony destroyed on the record; no copy is kept"),
    )
}

fn sealed_path(sha256: &str) -> String {
    format!("/api/v1/sealed/{sha256}")
}

/// The officer whose key signed this request for `path` (`truce_log::request`), or 401.
async fn signed_caller(
    state: &AppState,
    headers: &HeaderMap,
    method: &str,
    path: &str,
) -> Result<KeyRecord, Problem> {
    use truce_log::request::{KEY_HEADER, SIGNATURE_HEADER, TIME_HEADER};
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                Problem::unauthorized(format!(
                    "sign the request with your key: {KEY_HEADER}, {TIME_HEADER} and {SIGNATURE_HEADER} (truce testimony does)"
                ))
            })
    };
    let (name, time, signature) = (
        header(KEY_HEADER)?,
        header(TIME_HEADER)?,
        header(SIGNATURE_HEADER)?,
    );
    let key = state
        .store
        .keys()
        .await?
        .into_iter()
        .find(|k| k.name.as_str() == name && k.is_active())
        .ok_or_else(|| Problem::unauthorized(format!("{name} is not an active key on this log")))?;
    let genesis = state
        .genesis()
        .await?
        .ok_or_else(|| Problem::unavailable("the log has no genesis yet"))?;
    let now_s = truce_node::sequencer::unix_ms() / 1000;
    truce_log::request::verify(
        &key,
        &genesis.log.origin,
        method,
        path,
        (time, signature),
        now_s,
    )
    .map_err(Problem::unauthorized)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_stores_its_hours_share_and_no_more_until_the_next_hour() {
        let uploads = Uploads::default();
        let hour = 1_800_000_000 / 3600 * 3600;
        for _ in 0..UPLOADS_PER_KEY_HOUR {
            assert!(uploads.take("jmt/monitor-1", hour + 10));
        }
        assert!(!uploads.take("jmt/monitor-1", hour + 20));
        assert!(uploads.take("tr/commissioner-1", hour + 20));
        assert!(uploads.take("jmt/monitor-1", hour + 3600));
    }
}
