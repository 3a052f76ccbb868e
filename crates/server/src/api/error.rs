//! The one error type of the HTTP API and its one mapping to responses.
//!
//! Every failure leaves as `{"error": {"code", "message", "details": [{"path", "problem"}]}}`
//! (SPEC §6). Handlers return `Result<_, ApiError>`; database, pool and blocking-thread errors
//! convert with `?`. Internal faults are logged with their cause and answered with an opaque 500,
//! so no internal detail reaches a client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{Lang, LocalError, Text};
use crate::msg;

pub use crate::error::Detail;

/// The error body's inner object.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code (`not_found`, `validation_failed`, …).
    pub code: &'static str,
    /// Human-readable message, in the reader's language (SPEC §10.31).
    pub message: String,
    /// Problems by location; empty when there is nothing more to say.
    pub details: Vec<Detail>,
}

/// The error envelope (SPEC §6).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorBody,
}

/// Everything an API handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed request (bad JSON, missing header, bad parameter).
    #[error("{message}")]
    BadRequest {
        /// What is wrong.
        message: Text,
        /// Where.
        details: Vec<Detail>,
    },
    /// No or invalid credentials.
    #[error("{0}")]
    Unauthorized(Text),
    /// Authenticated, but the role may not do this.
    #[error("{0}")]
    Forbidden(Text),
    /// No such resource, or one the caller may not know about.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request conflicts with the current state (duplicate code, published version).
    #[error("{0}")]
    Conflict(Text),
    /// The resource existed but is gone for good (a cancelled assignment).
    #[error("{0}")]
    Gone(Text),
    /// Well-formed but invalid content; every problem is listed.
    #[error("{message}")]
    Unprocessable {
        /// Summary.
        message: Text,
        /// Every problem.
        details: Vec<Detail>,
    },
    /// Throttled; retry after this many seconds.
    #[error("too many attempts; try again in {0} s")]
    TooManyRequests(u64),
    /// A fault on our side; the cause is logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
    /// The database is unreachable.
    #[error("the database is unavailable")]
    Unavailable(String),
    /// The request body (or what it adds up to, with a quota) is larger than allowed: 413.
    #[error("{0}")]
    TooLarge(Text),
    /// The work asked for did not fit its time budget (a report render): 503 with Retry-After.
    #[error("{0}")]
    OverBudget(Text),
    /// A feature this server was not set up for (password reset without `[smtp]`): 503.
    #[error("{0}")]
    NotConfigured(Text),
    /// An `If-Match` that no longer matches (someone changed the resource meanwhile): 412.
    #[error("{0}")]
    PreconditionFailed(Text),
    /// The path exists under other methods (listed, for the `Allow` header): 405.
    #[error("method not allowed; this path takes {0}")]
    MethodNotAllowed(String),
}

impl ApiError {
    /// A 400 with one detail.
    pub fn bad_request(path: &str, problem: impl Into<Text>) -> Self {
        let problem = problem.into();
        let message = msg!("bad-parameter", path = path, problem = problem.0.clone()).into();
        Self::BadRequest {
            message,
            details: vec![Detail {
                path: path.to_owned(),
                problem,
            }],
        }
    }

    /// A 422 listing `details`.
    pub fn invalid(message: impl Into<Text>, details: Vec<Detail>) -> Self {
        Self::Unprocessable {
            message: message.into(),
            details,
        }
    }

    /// A database error, with a conflict (a duplicate key, a row still referenced) told in the
    /// resource's own words.
    pub fn conflict_or<T: Into<Text>>(
        e: diesel::result::Error,
        message: impl FnOnce() -> T,
    ) -> Self {
        match Self::from(e) {
            Self::Conflict(_) => Self::Conflict(message().into()),
            other => other,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "bad_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Gone(_) => "gone",
            Self::Unprocessable { .. } => "validation_failed",
            Self::TooManyRequests(_) => "too_many_requests",
            Self::Internal(_) => "internal",
            Self::Unavailable(_) => "unavailable",
            Self::TooLarge(_) => "payload_too_large",
            Self::OverBudget(_) => "over_budget",
            Self::MethodNotAllowed(_) => "method_not_allowed",
            Self::NotConfigured(_) => "not_configured",
            Self::PreconditionFailed(_) => "precondition_failed",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::OverBudget(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::NotConfigured(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let local = self.local();
        let mut response = HttpResponse::build(self.status_code());
        if let Self::TooManyRequests(seconds) = self
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.insert_header((header::RETRY_AFTER, value));
        }
        if let Self::OverBudget(_) = self {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
        }
        if let Self::MethodNotAllowed(allow) = self
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.insert_header((header::ALLOW, value));
        }
        if let Self::Unauthorized(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        let mut response = response.json(local.body(Lang::En));
        // Rendered again in the reader's language by `i18n::localize_errors`.
        response.extensions_mut().insert(local);
        response
    }
}

impl ApiError {
    /// The message and details, still to be rendered in a language.
    pub fn local(&self) -> LocalError {
        let (message, details): (Text, Vec<Detail>) = match self {
            Self::Internal(cause) => {
                tracing::error!(cause = %cause, "internal error");
                (msg!("error-internal").into(), Vec::new())
            }
            Self::Unavailable(cause) => {
                tracing::error!(cause = %cause, "database unavailable");
                (msg!("error-unavailable").into(), Vec::new())
            }
            Self::BadRequest { message, details } | Self::Unprocessable { message, details } => {
                (message.clone(), details.clone())
            }
            Self::NotFound(what) => (
                msg!("not-found", what = what.replace(' ', "-")).into(),
                Vec::new(),
            ),
            Self::TooManyRequests(seconds) => (
                msg!("too-many-requests", seconds = *seconds).into(),
                Vec::new(),
            ),
            Self::MethodNotAllowed(allow) => (
                msg!("method-not-allowed", allow = allow.as_str()).into(),
                Vec::new(),
            ),
            Self::Unauthorized(t)
            | Self::Forbidden(t)
            | Self::Conflict(t)
            | Self::Gone(t)
            | Self::TooLarge(t)
            | Self::OverBudget(t)
            | Self::NotConfigured(t)
            | Self::PreconditionFailed(t) => (t.clone(), Vec::new()),
        };
        LocalError {
            code: self.code(),
            message,
            details: details.into_iter().map(|d| (d.path, d.problem)).collect(),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound("record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::info!(cause = info.message(), "unique violation");
                Self::Conflict(msg!("conflict-exists").into())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                tracing::info!(cause = info.message(), "foreign key violation");
                Self::Conflict(msg!("conflict-referenced").into())
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<sirr_report::Error> for ApiError {
    fn from(e: sirr_report::Error) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<crate::error::ServiceError> for ApiError {
    fn from(e: crate::error::ServiceError) -> Self {
        use crate::error::ServiceError;
        match e {
            ServiceError::Invalid { message, details } => Self::Unprocessable { message, details },
            ServiceError::Internal(cause) => Self::Internal(cause),
            ServiceError::Query(e) => e.into(),
            ServiceError::Store(e) => e.into(),
            ServiceError::Pool(e) => e.into(),
        }
    }
}

impl From<sirr_store::StoreError> for ApiError {
    fn from(e: sirr_store::StoreError) -> Self {
        use sirr_store::StoreError;
        match e {
            StoreError::Commit(_) | StoreError::Abandoned => Self::Internal(e.to_string()),
            // The store's own statements (`Query`) are those that set a connection up: like the
            // rest, the database is not usable now. Handlers' statements fail as diesel errors.
            StoreError::Query(_)
            | StoreError::Connect(_)
            | StoreError::Migrate(_)
            | StoreError::Pool(_)
            | StoreError::WriterStopped => Self::Unavailable(e.to_string()),
        }
    }
}

/// A refusal in the envelope with a status [`ApiError`] has no variant for (413 from the body
/// limit, 415), its `body` detail repeating the message; rendered again in the reader's language.
pub fn refusal(status: StatusCode, code: &'static str, message: Text) -> HttpResponse {
    let local = LocalError {
        code,
        message: message.clone(),
        details: vec![("body".to_owned(), message)],
    };
    let mut response = HttpResponse::build(status).json(local.body(Lang::En));
    response.extensions_mut().insert(local);
    response
}

/// Turns actix's JSON body errors into the envelope: too large → 413, otherwise 400 with the
/// serde message (which names the line and column, or the field).
pub fn json_error(err: actix_web::error::JsonPayloadError) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    let (status, code, message): (StatusCode, &'static str, Text) = match &err {
        JsonPayloadError::OverflowKnownLength { length, limit } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            msg!("body-too-large", length = *length, limit = *limit).into(),
        ),
        JsonPayloadError::Overflow { limit } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            msg!("body-over-limit", limit = *limit).into(),
        ),
        JsonPayloadError::ContentType => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            msg!("expected-json-content-type").into(),
        ),
        JsonPayloadError::Deserialize(e) => (
            StatusCode::BAD_REQUEST,
            "bad_request",
            msg!("bad-json", problem = e.to_string()).into(),
        ),
        other => (
            StatusCode::BAD_REQUEST,
            "bad_request",
            msg!("bad-json", problem = other.to_string()).into(),
        ),
    };
    let local = LocalError {
        code,
        message,
        details: Vec::new(),
    };
    let mut response = HttpResponse::build(status).json(local.body(Lang::En));
    response.extensions_mut().insert(local);
    actix_web::error::InternalError::from_response(err, response).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    fn body(e: ApiError) -> (u16, serde_json::Value) {
        let response = e.error_response();
        let status = response.status().as_u16();
        let bytes = response.into_body().try_into_bytes().unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[test]
    fn every_error_has_the_envelope_and_its_status() {
        let (status, json) = body(ApiError::bad_request("/email", msg!("field-required")));
        assert_eq!(status, 400);
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "bad_request", "message": "/email: must not be empty",
                "details": [{"path": "/email", "problem": "must not be empty"}]}})
        );
        assert_eq!(body(ApiError::NotFound("branch")).0, 404);
        assert_eq!(
            body(ApiError::Conflict(msg!("conflict-exists").into())).0,
            409
        );
        assert_eq!(body(ApiError::TooManyRequests(30)).0, 429);
        let (status, json) = body(ApiError::Internal("secret detail".into()));
        assert_eq!(status, 500);
        assert!(
            !json.to_string().contains("secret"),
            "internal causes never leak"
        );
    }
}
