//! RFC 9457 problem details: every error the API returns, with a precise `detail` and,
//! for bad input, the offending `field`. Internal causes are logged, never sent.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use truce_core::rejection::{Rejection, RejectionCode};

use truce_node::sequencer::SubmitError;

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, title: &str, detail: impl Into<String>) -> Self {
        Self {
            type_uri: format!("/problems/{slug}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn bad_request(field: &str, detail: impl Into<String>) -> Self {
        let mut problem = Self::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail,
        );
        problem.field = Some(field.to_string());
        problem
    }

    /// Well-formed input the rules refuse (422), naming the field.
    pub fn unprocessable(field: &str, detail: impl Into<String>) -> Self {
        let mut problem = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "Invalid input",
            detail,
        );
        problem.field = Some(field.to_string());
        problem
    }

    /// The caller may not do this, whoever they are logged in as.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden", detail)
    }

    /// The request needs a valid token (login at `POST /api/v1/login`).
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Not logged in",
            detail,
        )
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Try again",
            detail,
        )
    }

    /// An internal failure: the cause goes to the log, the client gets no internals.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error answering a request");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the server failed to answer; the failure is in its log",
        )
    }
}

impl From<Rejection> for Problem {
    fn from(rejection: Rejection) -> Self {
        let (status, title) = match rejection.code {
            RejectionCode::Malformed | RejectionCode::NotCanonical => {
                (StatusCode::BAD_REQUEST, "Malformed entry")
            }
            RejectionCode::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "Entry too large"),
            RejectionCode::UnknownKind | RejectionCode::Invalid => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Invalid entry")
            }
            RejectionCode::UnknownKey
            | RejectionCode::RevokedKey
            | RejectionCode::Unauthorized
            | RejectionCode::BadSignature => (StatusCode::FORBIDDEN, "Entry not authorised"),
            RejectionCode::Sequence | RejectionCode::Conflict => {
                (StatusCode::CONFLICT, "Entry conflicts with the log")
            }
        };
        let mut problem = Self::new(status, rejection.code.slug(), title, rejection.to_string());
        problem.field = Some(rejection.field);
        problem
    }
}

impl From<SubmitError> for Problem {
    fn from(error: SubmitError) -> Self {
        match error {
            SubmitError::Rejected(rejection) => rejection.into(),
            SubmitError::Unavailable(detail) => Self::unavailable(detail),
            SubmitError::Unknown(detail) => Self::new(
                StatusCode::GATEWAY_TIMEOUT,
                "outcome-unknown",
                "Outcome unknown",
                detail,
            ),
        }
    }
}

impl From<truce_store::StoreError> for Problem {
    fn from(error: truce_store::StoreError) -> Self {
        Self::internal(&error)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
