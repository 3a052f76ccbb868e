//! A signed-in session: the token pair a sign-in, a refresh, a password change or a reset hands
//! out, and the client address the sign-in throttles count by. Shared by the sign-in and the
//! account handlers, so neither borrows from the other.

use actix_web::HttpRequest;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use crate::auth::{Role, Scope, access, tokens};
use crate::startup::AppState;
use sirr_store::{self as db, DbConnection};

/// Tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Goes in `Authorization: Bearer …`.
    pub access_token: String,
    /// Exchange at `/api/v1/auth/refresh`; every use returns a new one.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Always `Bearer`.
    pub token_type: &'static str,
}

/// Loads a user's role and scopes for a token.
fn load_identity(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<(Role, Vec<Scope>, bool), ApiError> {
    let (role, active) = db::users::role_of(conn, &user_id.into())?.ok_or(diesel::NotFound)?;
    Ok((role, access::scopes_of(conn, user_id)?, active))
}

/// A new session for `user_id` (or the next in refresh family `family`): an access token with
/// the user's role and scopes, and a refresh token stored hashed. A deactivated account gets 401.
pub fn issue(
    state: &AppState,
    conn: &mut DbConnection,
    user_id: &str,
    family: Option<&str>,
) -> Result<TokenResponse, ApiError> {
    let (role, scopes, active) = load_identity(conn, user_id)?;
    if !active {
        return Err(ApiError::Unauthorized(
            crate::msg!("account-disabled").into(),
        ));
    }
    let access_token = state.keys.issue(user_id, role, scopes)?;
    let refresh_token = tokens::create_refresh(
        conn,
        user_id,
        family,
        state.settings.auth.refresh_token_ttl_s.as_secs() as i64,
        db::now(),
    )?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
        expires_in: state.keys.access_ttl,
        token_type: "Bearer",
    })
}

/// The client address for throttling: the peer address (a proxy in front should be trusted
/// only through its own configuration, not headers a client can forge).
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}
