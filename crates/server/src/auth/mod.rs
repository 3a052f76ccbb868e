//! Authentication and authorization: password hashes, tokens, throttling, and the one place
//! that decides what a role and its scopes may see ([`access`]).

pub mod access;
pub mod account;
pub mod links;
pub mod password;
pub mod pat;
pub mod roles;
pub mod throttle;
pub mod tokens;

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::error::ApiError;
use crate::startup::AppState;

// The four roles (SPEC §2) and what a scope names are stored vocabularies: one enum each,
// shared with the store, the wire and the OpenAPI document.
pub use sirr_store::status::{Role, ScopeKind};

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
    pub id: sirr_store::ids::UserId,
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
    type Future = Either<Ready<Result<Self, ApiError>>, LocalBoxFuture<Result<Self, ApiError>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        match credential(req) {
            Ok(Credential::Jwt(token)) => Either::Left(ready(verify_jwt(req, token))),
            Ok(Credential::Pat { token, email }) => {
                let state = req.app_data::<web::Data<AppState>>().cloned();
                Either::Right(Box::pin(async move {
                    let state = state
                        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
                    state
                        .db(move |conn| pat::authenticate(conn, &token, email.as_deref()))
                        .await?
                        .ok_or_else(|| {
                            ApiError::Unauthorized(crate::msg!("token-unknown-or-revoked").into())
                        })
                }))
            }
            Err(e) => Either::Left(ready(Err(e))),
        }
    }
}

/// Either of two futures (the JWT path stays allocation-free and synchronous).
pub enum Either<A, B> {
    /// The first.
    Left(A),
    /// The second.
    Right(B),
}

type LocalBoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

impl<T, A, B> std::future::Future for Either<A, B>
where
    A: std::future::Future<Output = T> + Unpin,
    B: std::future::Future<Output = T> + Unpin,
{
    type Output = T;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<T> {
        match self.get_mut() {
            Self::Left(a) => std::pin::Pin::new(a).poll(cx),
            Self::Right(b) => std::pin::Pin::new(b).poll(cx),
        }
    }
}

/// What the `Authorization` header carries.
enum Credential<'r> {
    /// A signed access token (`Bearer eyJ…`).
    Jwt(&'r str),
    /// A personal access token, as a bearer token or the password of HTTP Basic (with the
    /// e-mail it must belong to).
    Pat {
        token: String,
        email: Option<String>,
    },
}

fn credential(req: &HttpRequest) -> Result<Credential<'_>, ApiError> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized(crate::msg!("sign-in-required").into()))?;
    if let Some(token) = header.strip_prefix("Bearer ") {
        let token = token.trim();
        return Ok(if pat::looks_like(token) {
            Credential::Pat {
                token: token.to_owned(),
                email: None,
            }
        } else {
            Credential::Jwt(token)
        });
    }
    if let Some(encoded) = header.strip_prefix("Basic ") {
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| ApiError::Unauthorized(crate::msg!("basic-malformed").into()))?;
        let (email, secret) = decoded
            .split_once(':')
            .ok_or_else(|| ApiError::Unauthorized(crate::msg!("basic-malformed").into()))?;
        if !pat::looks_like(secret) {
            return Err(ApiError::Unauthorized(
                crate::msg!("basic-needs-token").into(),
            ));
        }
        return Ok(Credential::Pat {
            token: secret.to_owned(),
            email: Some(email.to_owned()),
        });
    }
    Err(ApiError::Unauthorized(
        crate::msg!("credentials-expected").into(),
    ))
}

fn verify_jwt(req: &HttpRequest, token: &str) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
    let claims = state.keys.verify(token)?;
    Ok(AuthUser {
        id: claims.sub.into(),
        role: claims.role,
        scopes: claims.scopes,
    })
}
