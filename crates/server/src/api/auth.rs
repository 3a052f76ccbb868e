//! Sign in, refresh, sign out, and who am I (SPEC §6 fixed points).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorEnvelope};
use super::session::{TokenResponse, client_address, issue};
use crate::auth::tokens::{self, Refused};
use crate::auth::{AuthUser, Role, Scope, access, password, throttle};
use crate::startup::AppState;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [login, refresh, logout, me, update_me],
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Email address (case does not matter).
    pub email: String,
    /// Password.
    pub password: String,
}

/// A refresh token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    pub refresh_token: String,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// User id.
    pub id: String,
    /// Email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Regions, branches or teams the user is limited to (managers).
    pub scopes: Vec<Scope>,
    /// The saved language of server-originated text (`ar` or `en`); `null` when none is saved,
    /// and then `Accept-Language` decides (SPEC §10.31).
    #[schema(example = "ar")]
    pub language: Option<String>,
    /// Whether the user gets notification e-mail (new or returned assignments, disputes),
    /// in their saved language (SPEC §10.37).
    pub email_notifications: bool,
    /// Whether this server sends e-mail (`[smtp]` is set up): invitations and reset links
    /// are offered only then.
    pub sends_email: bool,
}

/// Changes to the signed-in user's own settings.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MePatch {
    /// `ar` or `en`: the language of errors, flags and reports for this user; `null` forgets it.
    #[schema(value_type = Option<String>, example = "ar")]
    pub language: Option<String>,
    /// `false` stops notification e-mail to this user; `true` resumes it.
    pub email_notifications: Option<bool>,
}

/// Sign in with email and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, description = "Signed in", body = TokenResponse),
              (status = 401, description = "Wrong email or password", body = ErrorEnvelope),
              (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorEnvelope)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest {
        email,
        password: given,
    } = body.into_inner();
    let email = email.trim().to_lowercase();
    let address = client_address(&req);
    let auth = state.settings.auth.clone();
    let email_c = email.clone();
    // The limits are checked and this attempt recorded (as a failure, until the password
    // proves right) in one write transaction: parallel guesses each cost an attempt.
    let candidate = state
        .db_write(move |conn| {
            if let Err(wait) = throttle::reserve(conn, &auth, &email_c, &address, db::now())? {
                return Err(ApiError::TooManyRequests(wait));
            }
            Ok(db::users::account_by_email(conn, &email_c)?
                .map(|a| (a.id.to_string(), a.password_hash, a.active)))
        })
        .await?;
    // Verify off the request threads; unknown emails cost the same as wrong passwords.
    let verified = web::block(move || match &candidate {
        Some((id, hash, true)) => password::verify(&given, hash).then(|| id.clone()),
        Some((_, hash, false)) => {
            password::verify(&given, hash);
            None
        }
        None => {
            password::verify(&given, dummy_hash());
            None
        }
    })
    .await?;
    let tokens = match verified {
        Some(id) => {
            let state2 = state.clone();
            Some(
                state
                    .db_write(move |conn| {
                        throttle::clear(conn, &email)?;
                        issue(&state2, conn, &id, None)
                    })
                    .await?,
            )
        }
        None => None,
    };
    match tokens {
        Some(tokens) => Ok(HttpResponse::Ok().json(tokens)),
        None => Err(ApiError::Unauthorized(crate::msg!("login-failed").into())),
    }
}

/// A hash to verify against for unknown emails, so that they take as long as known ones.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password::hash("no such account, no such password").unwrap_or_default())
}

/// Exchange a refresh token for new tokens. The old refresh token stops working; presenting it
/// again revokes every token of that sign-in.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, description = "New tokens", body = TokenResponse),
              (status = 401, description = "Unknown, expired, revoked or replayed token", body = ErrorEnvelope)))]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().refresh_token;
    let state2 = state.clone();
    // A write transaction (SQLite: the one writer), so concurrent uses of one token queue and
    // the loser finds it used: a replay, answered 401 with the family revoked.
    let tokens = state
        .db_write(
            move |conn| match tokens::consume_refresh(conn, &token, db::now())? {
                Ok((user_id, family)) => issue(&state2, conn, &user_id, Some(&family)).map(Ok),
                Err(refused) => Ok(Err(refused)),
            },
        )
        .await?;
    match tokens {
        Ok(tokens) => Ok(HttpResponse::Ok().json(tokens)),
        Err(Refused::Invalid) => Err(ApiError::Unauthorized(
            crate::msg!("refresh-invalid").into(),
        )),
        Err(Refused::Replayed) => Err(ApiError::Unauthorized(
            crate::msg!("refresh-replayed").into(),
        )),
    }
}

/// Sign out: the refresh token and every token rotated from the same sign-in stop working.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "Signed out (also when the token was unknown)")))]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().refresh_token;
    state
        .db_write(move |conn| {
            if let Some(family) = tokens::family_of(conn, &token)?
                && tokens::revoke_family(conn, &family, db::now())? > 0
            {
                // Audited once per sign-in: a repeated logout revokes nothing.
                let user_id =
                    db::refresh_tokens::user_of_family(conn, &family)?.ok_or(diesel::NotFound)?;
                crate::audit::record(
                    conn,
                    Some(&user_id),
                    "logout",
                    "user",
                    &user_id,
                    serde_json::json!({}),
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn load_me(conn: &mut DbConnection, user: AuthUser, sends_email: bool) -> Result<Me, ApiError> {
    let db::users::Account {
        email,
        name,
        role,
        language,
        email_notifications,
        ..
    } = db::users::account(conn, &user.id)?
        .ok_or_else(|| ApiError::Unauthorized(crate::msg!("account-gone").into()))?;
    Ok(Me {
        scopes: access::scopes_of(conn, &user.id)?,
        id: user.id.into(),
        email,
        name,
        role,
        language,
        email_notifications,
        sends_email,
    })
}

/// Changes the signed-in user's own settings: the saved language (`{"language": "ar"}`) and
/// notification e-mail (`{"email_notifications": false}`).
#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    request_body = MePatch,
    responses((status = 200, description = "The signed-in user, changed", body = Me),
              (status = 400, description = "Not a JSON object", body = ErrorEnvelope),
              (status = 401, description = "Not signed in", body = ErrorEnvelope),
              (status = 422, description = "A language other than ar or en, email_notifications not a boolean, or an unknown field", body = ErrorEnvelope)))]
pub async fn update_me(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let Some(fields) = body.as_object() else {
        return Err(ApiError::bad_request(
            "body",
            crate::msg!("expected-json-object"),
        ));
    };
    let mut problems = Vec::new();
    let mut language: Option<Option<String>> = None;
    let mut notifications: Option<bool> = None;
    for (key, value) in fields {
        match (key.as_str(), value) {
            ("email_notifications", serde_json::Value::Bool(b)) => notifications = Some(*b),
            ("email_notifications", _) => problems.push(super::types::detail(
                "/email_notifications",
                crate::msg!("email-notifications-boolean"),
            )),
            ("language", serde_json::Value::Null) => language = Some(None),
            ("language", serde_json::Value::String(s)) if s == "ar" || s == "en" => {
                language = Some(Some(s.clone()));
            }
            ("language", _) => problems.push(super::types::detail(
                "/language",
                crate::msg!("language-unknown"),
            )),
            (other, _) => problems.push(super::types::detail(
                &format!("/{other}"),
                crate::msg!("field-unknown"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            crate::msg!("changes-not-valid"),
            problems,
        ));
    }
    let sends_email = state.mailer.is_some();
    let me = state
        .db_write(move |conn| {
            db::users::set_preferences(
                conn,
                &user.id,
                language.as_ref().map(Option::as_deref),
                notifications,
            )?;
            load_me(conn, user, sends_email)
        })
        .await?;
    Ok(HttpResponse::Ok().json(me))
}

/// The signed-in user: id, email, role, scopes and saved language.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The signed-in user", body = Me),
              (status = 401, description = "Not signed in", body = ErrorEnvelope)))]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let sends_email = state.mailer.is_some();
    let me = state
        .db(move |conn| load_me(conn, user, sends_email))
        .await?;
    Ok(HttpResponse::Ok().json(me))
}
