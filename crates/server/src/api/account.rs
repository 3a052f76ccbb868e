//! The signed-in user's own password: `POST /api/v1/me/password` (every role).
//!
//! The current password must be given; a wrong one counts as a failed sign-in for the login
//! throttle (guessing here is no cheaper than at the sign-in form). A change ends every other
//! session — all the user's refresh tokens are revoked, and open reset links close — and answers with a fresh token pair for
//! the session that made it. The change is audited, never the password or its hash.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorEnvelope};
use super::session::{TokenResponse, client_address, issue};
use super::types::detail;
use crate::auth::account::revoke_sessions;
use crate::auth::{AuthUser, password, throttle};
use crate::startup::AppState;
use sirr_store as db;

super::routes! {
    handlers: [change_password],
    schemas: [PasswordChange],
}

/// A change of one's own password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password now.
    pub current_password: String,
    /// The new password: 10 to 1024 characters, different from the current one.
    pub new_password: String,
}

/// Change your own password (every role). Every other session ends (refresh tokens revoked);
/// the answer carries new tokens for this one.
#[utoipa::path(operation_id = "change_own_password", post, path = "/api/v1/me/password", tag = "auth", security(("bearer" = [])),
    request_body = PasswordChange,
    responses((status = 200, description = "Changed; new tokens for this session", body = TokenResponse),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 422, description = "The current password is wrong, or the new one is refused (`details[].path` names the field)", body = ErrorEnvelope),
              (status = 429, description = "Too many wrong passwords; see Retry-After", body = ErrorEnvelope)))]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.into_inner();
    let mut problems = Vec::new();
    if let Some(problem) = password::policy_problem(&new_password) {
        problems.push(detail("/new_password", problem));
    } else if new_password == current_password {
        problems.push(detail("/new_password", crate::msg!("password-unchanged")));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            crate::msg!("password-not-valid"),
            problems,
        ));
    }
    // Bounded before hashing: the current password is only ever compared, but argon2 would
    // still read all of it.
    if current_password.chars().count() > password::MAX_LENGTH {
        return Err(wrong_current());
    }
    let address = client_address(&req);
    let auth = state.settings.auth.clone();
    let id = user.id.clone();
    // As at sign-in: the try is recorded (as a failure until proven right) with the limits
    // checked, in one write transaction.
    let (email, stored) = state
        .db_write(move |conn| {
            let db::users::Credentials {
                email,
                password_hash: stored,
            } = db::users::credentials(conn, &id.as_str().into())?
                .ok_or_else(|| ApiError::Unauthorized(crate::msg!("account-gone").into()))?;
            if let Err(wait) = throttle::reserve(conn, &auth, &email, &address, db::now())? {
                return Err(ApiError::TooManyRequests(wait));
            }
            Ok((email, stored))
        })
        .await?;
    let (right, hashed) = web::block(move || {
        if password::verify(&current_password, &stored) {
            password::hash(&new_password).map(|h| (true, Some(h)))
        } else {
            Ok((false, None))
        }
    })
    .await?
    .map_err(ApiError::Internal)?;
    let Some(hashed) = hashed.filter(|_| right) else {
        return Err(wrong_current());
    };
    let state2 = state.clone();
    let tokens = state
        .db_write(move |conn| {
            throttle::clear(conn, &email)?;
            db::users::set_password_hash(conn, &user.id, &hashed, db::now())?;
            let revoked = revoke_sessions(conn, &user.id)?;
            // A reset letter still in the mailbox no longer works.
            crate::auth::links::close_open(conn, &user.id, db::now())?;
            // That it changed and what ended, never the password or its hash.
            crate::audit::record(
                conn,
                Some(&user.id),
                "change_password",
                "user",
                &user.id,
                json!({"sessions_revoked": revoked}),
            )?;
            issue(&state2, conn, &user.id, None)
        })
        .await?;
    Ok(HttpResponse::Ok().json(tokens))
}

fn wrong_current() -> ApiError {
    ApiError::invalid(
        crate::msg!("password-not-valid"),
        vec![detail(
            "/current_password",
            crate::msg!("password-current-wrong"),
        )],
    )
}
