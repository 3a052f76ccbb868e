//! Authentication and authorization: password hashes, tokens, throttling, and the one place
//! that decides what a role and its scopes may see ([`access`]).

pub mod access;
pub mod password;
pub mod throttle;
pub mod tokens;

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::error::ApiError;
use crate::startup::AppState;

/// The four roles (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Organisation structure, users, settings; everything.
    Admin,
    /// Checklists, campaigns, review, calibration, severity.
    Qa,
    /// Reads scores and reports within their scopes.
    Manager,
    /// Fills in their own assignments.
    Shopper,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Qa => "qa",
            Self::Manager => "manager",
            Self::Shopper => "shopper",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "qa" => Some(Self::Qa),
            "manager" => Some(Self::Manager),
            "shopper" => Some(Self::Shopper),
            _ => None,
        }
    }
}

/// What a scope names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    /// Every branch of a region.
    Region,
    /// One branch.
    Branch,
    /// One team (and, read-only, its branch).
    Team,
}

impl ScopeKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Region => "region",
            Self::Branch => "branch",
            Self::Team => "team",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "region" => Some(Self::Region),
            "branch" => Some(Self::Branch),
            "team" => Some(Self::Team),
            _ => None,
        }
    }
}

/// A scope: a region, branch or team by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct Scope {
    /// What it names.
    pub kind: ScopeKind,
    /// The region, branch or team id.
    pub id: String,
}

/// The signed-in user of a request, from a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// User id.
    pub id: String,
    /// Role.
    pub role: Role,
    /// Scopes (managers).
    pub scopes: Vec<Scope>,
}

impl AuthUser {
    /// Refuses unless the user has one of `roles` (403).
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                crate::msg!("role-may-not", role = self.role.as_str()).into(),
            ))
        }
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized(crate::msg!("sign-in-required").into()))?;
    let token = header
        .strip_prefix("Bearer ")
        .ok_or_else(|| ApiError::Unauthorized(crate::msg!("bearer-expected").into()))?;
    let claims = state.keys.verify(token.trim())?;
    Ok(AuthUser {
        id: claims.sub,
        role: claims.role,
        scopes: claims.scopes,
    })
}
