//! `/api/v1/me/tokens`: the caller's personal access tokens (SPEC §10.34; see
//! [`crate::auth::pat`]). Every signed-in user manages their own; nobody sees another's.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::{ApiError, Detail, ErrorEnvelope};
use crate::auth::AuthUser;
use crate::auth::pat::{self, NewToken, TokenInfo};
use crate::startup::AppState;

super::routes! {
    handlers: [list, create, revoke],
    schemas: [TokenInfo, NewToken, NewTokenRequest],
}

/// A token to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    /// What it is for (`Power BI`, `nightly export`): 1–200 characters.
    pub name: String,
}

/// The caller's tokens, newest first (never the secrets).
#[utoipa::path(operation_id = "list_access_tokens", get, path = "/api/v1/me/tokens", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The tokens", body = [TokenInfo]),
              (status = 401, description = "Not signed in", body = ErrorEnvelope)))]
pub async fn list(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let tokens = state.db(move |conn| Ok(pat::list(conn, &user.id)?)).await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Makes a token; the answer holds the secret, shown this once.
#[utoipa::path(operation_id = "create_access_token", post, path = "/api/v1/me/tokens", tag = "auth", security(("bearer" = [])),
    request_body = NewTokenRequest,
    responses((status = 201, description = "The token, with its secret", body = NewToken),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 422, description = "No name, or one over 200 characters", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = body.into_inner().name.trim().to_owned();
    let n = name.chars().count();
    if n == 0 || n > 200 {
        return Err(ApiError::invalid(
            crate::msg!("token-name-missing"),
            vec![Detail {
                path: "/name".into(),
                problem: crate::msg!("name-length", max = 200).into(),
            }],
        ));
    }
    let token = state
        .db_write(move |conn| Ok(pat::create(conn, &user.id, &name)?))
        .await?;
    Ok(HttpResponse::Created().json(token))
}

/// Revokes one of the caller's tokens: it stops working at once.
#[utoipa::path(operation_id = "revoke_access_token", delete, path = "/api/v1/me/tokens/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 404, description = "None of the caller's tokens", body = ErrorEnvelope)))]
pub async fn revoke(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let found = state
        .db_write(move |conn| Ok(pat::revoke(conn, &user.id, &id)?))
        .await?;
    if found {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound("token"))
    }
}
