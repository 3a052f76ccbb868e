//! The one error of the server's services — the field workflow's rules, the score cache, the
//! exports — in the domain's words, never HTTP's. The API maps it to answers in one place
//! (`From<ServiceError> for ApiError` in `api/error.rs`); the command line prints it.

use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Text;

/// One problem with a request, located by a JSON pointer (`/answers/wait_minutes`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Detail {
    /// JSON pointer into the request (or a parameter name).
    pub path: String,
    /// What is wrong there, in the reader's language.
    #[schema(value_type = String)]
    pub problem: Text,
}

/// A problem at `path`.
pub fn detail(path: &str, problem: impl Into<Text>) -> Detail {
    Detail {
        path: path.to_owned(),
        problem: problem.into(),
    }
}

/// Everything a service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request breaks a rule (a draft checklist version named where a published one is
    /// needed); every problem is listed.
    #[error("{message}")]
    Invalid {
        /// Summary.
        message: Text,
        /// Every problem.
        details: Vec<Detail>,
    },
    /// A fault on our side (a stored document that no longer loads, scores that kept changing
    /// while they were computed).
    #[error("{0}")]
    Internal(String),
    /// A statement failed.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    /// The database could not be used, or a write was not committed.
    #[error(transparent)]
    Store(#[from] sirr_store::StoreError),
    /// No pooled connection came in time.
    #[error(transparent)]
    Pool(#[from] diesel::r2d2::PoolError),
}

impl ServiceError {
    /// Content that breaks a rule, with every problem.
    pub fn invalid(message: impl Into<Text>, details: Vec<Detail>) -> Self {
        Self::Invalid {
            message: message.into(),
            details,
        }
    }
}
