//! Evidence files: uploaded by hash, served by the roles entitled to them.
//!
//! `PUT /api/v1/evidence/{sha256}` stores a file once its bytes hash to the name (and, if
//! an entry already attaches it, once its size is the one the entry signed). The token is
//! checked before the body is read, and the body streams to storage, hashed as it goes.
//! `GET /api/v1/evidence/{sha256}` serves a file some entry attaches: to anyone if it is
//! public; otherwise only to monitors, commissioners and the delegation that attached it,
//! and only after an `evidence.accessed` entry for the reader is on the log. Who may not
//! see a file cannot learn whether it exists: anonymous readers get 401 and logged-in
//! readers 404 alike for files that are confidential and files that are not there.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use truce_core::Role;
use truce_store::evidence_files::{Attachment, UploadedFile};
use truce_store::{EvidenceError, EvidenceSize};

use super::actions::sign_for;
use super::session::{bearer, required};
use crate::accounts::Caller;
use crate::problem::Problem;
use crate::state::AppState;

/// `PUT /api/v1/evidence/{sha256}` with the file as the body and its media type as
/// `Content-Type`. Who sends it, under which name and of what size are settled before a
/// byte of the body is read; the body then streams to storage (`EvidenceStore::put_stream`).
pub async fn upload(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let caller = required(&state, &headers).await?;
    check_name(&sha256)?;
    let media_type = media_type(&headers)?;
    let bytes_signed = state
        .store
        .attachments(&sha256)
        .await?
        .first()
        .map(|a| u64::try_from(a.bytes).unwrap_or(u64::MAX));
    let size = EvidenceSize {
        bytes_max: state.config.limits.evidence_bytes_max as u64,
        bytes_signed,
    };
    check_length(&headers, size)?;
    let bytes = state
        .evidence
        .put_stream(&sha256, body.into_data_stream(), size)
        .await
        .map_err(|e| refused_file(&e))?;
    let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
    let file = UploadedFile {
        sha256: sha256.clone(),
        media_type: media_type.clone(),
        bytes,
        uploaded_by: caller.person.key.to_string(),
        uploaded_ms: truce_node::sequencer::unix_ms(),
    };
    state.store.add_uploaded_file(&file).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"sha256": sha256, "bytes": bytes, "media_type": media_type})),
    ))
}

/// Refuses an upload whose `Content-Length` already says it cannot fit, unread.
pub(crate) fn check_length(headers: &HeaderMap, size: EvidenceSize) -> Result<(), Problem> {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let Some(actual) = length else {
        return Ok(());
    };
    if actual > size.bytes_max {
        return Err(refused_file(&EvidenceError::TooLarge {
            bytes_max: size.bytes_max,
        }));
    }
    match size.bytes_signed {
        Some(expected) if expected != actual => Err(refused_file(&EvidenceError::SizeMismatch {
            expected,
            actual,
        })),
        _ => Ok(()),
    }
}

/// The answer to a file that was not stored.
pub(crate) fn refused_file(e: &EvidenceError) -> Problem {
    match e {
        EvidenceError::HashMismatch { .. } => Problem::unprocessable("sha256", e.to_string()),
        EvidenceError::SizeMismatch { .. } => Problem::unprocessable("bytes", e.to_string()),
        EvidenceError::TooLarge { .. } => {
            let mut problem = Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "File too large",
                format!("body: {e} (limits.evidence_bytes_max)"),
            );
            problem.field = Some("body".into());
            problem
        }
        EvidenceError::Body(_) => Problem::bad_request("body", e.to_string()),
        other => Problem::internal(other),
    }
}

/// `GET /api/v1/evidence/{sha256}[?purpose=...]`.
pub async fn download(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    check_name(&sha256)?;
    let caller = bearer(&state, &headers).await?;
    // The first entry to attach a file decides whose it is and whether it is public;
    // attaching it again later (by anyone) changes neither: only evidence.published does.
    let first = state.store.attachments(&sha256).await?.into_iter().next();
    let hidden = || match &caller {
        None => Problem::unauthorized(
            "this file is not public (or not on the record): log in to ask for it",
        ),
        Some(_) => {
            Problem::not_found("no file with this SHA-256 that you may read is on the record")
        }
    };
    let Some(first) = first else {
        return Err(hidden());
    };
    let public = first.public || state.store.evidence_published(&sha256).await?;
    if !public {
        let Some(caller) = &caller else {
            return Err(hidden());
        };
        if !entitled(&state, caller, &first).await? {
            return Err(hidden());
        }
    }
    let bytes = state
        .evidence
        .get(&sha256)
        .await
        .map_err(|e| Problem::internal(&e))?
        .ok_or_else(|| {
            Problem::not_found("the record names this file but it has not been uploaded yet")
        })?;
    if let (false, Some(caller)) = (public, &caller) {
        let purpose = query.get("purpose").cloned().unwrap_or_default();
        // The access is on the record before a byte is served.
        sign_for(
            &state,
            caller,
            "evidence.accessed",
            json!({"purpose": purpose, "sha256": sha256}),
            vec![],
        )
        .await?;
    }
    Ok(file_response(bytes, &first.media_type, public))
}

pub(crate) fn file_response(bytes: Bytes, media_type: &str, public: bool) -> Response {
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    let media = HeaderValue::from_str(media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, media);
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let cache = if public {
        "public, max-age=31536000, immutable"
    } else {
        "private, no-store"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// Monitors and commissioners read all evidence; a party reads what its own delegation
/// attached first.
async fn entitled(state: &AppState, caller: &Caller, first: &Attachment) -> Result<bool, Problem> {
    if matches!(caller.person.role, Role::Monitor | Role::Commissioner) {
        return Ok(true);
    }
    let keys = state.store.keys().await?;
    Ok(keys
        .iter()
        .any(|k| k.name.as_str() == first.author && k.delegation == caller.person.delegation))
}

pub(crate) fn check_name(sha256: &str) -> Result<(), Problem> {
    if truce_core::envelope::is_sha256_hex(sha256) {
        Ok(())
    } else {
        Err(Problem::bad_request(
            "sha256",
            "the file is named by its SHA-256: 64 lowercase hex digits",
        ))
    }
}

fn media_type(headers: &HeaderMap) -> Result<String, Problem> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if value.contains('/') && value.len() <= 127 {
        Ok(value)
    } else {
        Err(Problem::bad_request(
            "Content-Type",
            "the file's media type (e.g. image/jpeg) is required",
        ))
    }
}
