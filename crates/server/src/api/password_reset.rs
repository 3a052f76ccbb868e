//! Password reset by e-mail, and the links of invitations: `POST /api/v1/password-reset` asks for
//! a letter, `POST /api/v1/password-reset/check` tells whether a link still works without using it,
//! and `POST /api/v1/password-reset/confirm` uses it (no sign-in for any of them).
//!
//! * **No account enumeration.** Asking answers 202 whatever the address: known or not, active
//!   or not, throttled or not. The letter is sent after the answer, off the request.
//! * **Throttled per account in the database**: at most `auth.reset_letters_per_hour` letters an
//!   hour, counted and issued in one write transaction under a per-account lock, so several
//!   `sirr serve` on one database agree. Further requests send nothing (and still answer 202).
//! * **Hashed, short-lived, single use** ([`crate::auth::links`]): the token is only in the
//!   letter; a use is one conditional update, so of two uses at once one wins.
//! * **Like a change of password**: the same policy, every session ends, the change is audited.
//!
//! Without `[smtp]` both refuse with 503 `not_configured`, in the reader's language, rather than
//! pretending a letter went out.

use actix_web::{HttpResponse, web};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorEnvelope};
use super::types::detail;
use crate::auth::account::{MAX_EMAIL, looks_like_email, revoke_sessions};
use crate::auth::links::{self, Purpose, Refusal};
use crate::auth::{password, throttle};
use crate::events::mail;
use crate::i18n::{Lang, ReaderLang};
use crate::startup::AppState;
use sirr_store as db;

super::routes! {
    handlers: [request_reset, check, confirm],
    schemas: [ResetRequest, ResetCheck, LinkState, ResetConfirm, PasswordSet],
}

/// A request for a reset letter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The account's address (case does not matter).
    pub email: String,
    /// The letter's language when the account has none saved (`ar` or `en`); otherwise the
    /// request's language (`Accept-Language`).
    pub lang: Option<String>,
}

/// A new password, set with a link's token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    /// The token from the letter's link (`…/#/reset/<token>`).
    pub token: String,
    /// The new password: 10 to 1024 characters.
    pub new_password: String,
}

/// A link's token, to learn whether it still works before a password is typed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetCheck {
    /// The token from the letter's link (`…/#/reset/<token>`).
    pub token: String,
}

/// A link that still works.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkState {
    /// Why it was made: `reset` or `invitation`.
    pub purpose: String,
    /// Until when it works, RFC 3339 UTC.
    pub expires_at: String,
}

/// Whose password was set (sign in with it).
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordSet {
    /// The account's address.
    pub email: String,
}

fn mail_needed(message: crate::i18n::Msg) -> ApiError {
    ApiError::NotConfigured(message.into())
}

/// Ask for a password-reset letter (no sign-in). Always 202 when the address is well-formed —
/// whether or not it has an account, and when the account's letters are throttled — so the
/// answer tells nothing about who has an account. An active account gets a letter, in its saved
/// language, with a link that works once for `auth.reset_link_ttl_s`.
#[utoipa::path(operation_id = "request_password_reset", post, path = "/api/v1/password-reset", tag = "auth",
    request_body = ResetRequest,
    responses((status = 202, description = "Accepted: if the address has an account, a letter is on its way"),
              (status = 422, description = "Not an address, or an unknown `lang` (`details[].path` names the field)", body = ErrorEnvelope),
              (status = 503, description = "This server sends no e-mail (`not_configured`)", body = ErrorEnvelope)))]
pub async fn request_reset(
    state: web::Data<AppState>,
    reader: ReaderLang,
    body: web::Json<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let Some(mailer) = state.mailer.clone() else {
        return Err(mail_needed(crate::msg!("reset-needs-mail")));
    };
    let ResetRequest { email, lang } = body.into_inner();
    let email = email.trim().to_lowercase();
    let mut problems = Vec::new();
    if email.chars().count() > MAX_EMAIL {
        problems.push(detail(
            "/email",
            crate::msg!("field-too-long", max = MAX_EMAIL),
        ));
    } else if !looks_like_email(&email) {
        problems.push(detail("/email", crate::msg!("email-invalid")));
    }
    let asked = match lang.as_deref().map(Lang::parse) {
        None => reader.0,
        Some(Ok(lang)) => lang,
        Some(Err(_)) => {
            problems.push(detail("/lang", crate::msg!("language-unknown")));
            reader.0
        }
    };
    if !problems.is_empty() {
        return Err(ApiError::invalid(crate::msg!("email-invalid"), problems));
    }
    let auth = state.settings.auth.clone();
    let token = links::new_token().map_err(ApiError::Internal)?;
    let to_send = state
        .db_write(move |conn| {
            let Some(account) = db::users::account_by_email(conn, &email)?.filter(|a| a.active)
            else {
                return Ok(None);
            };
            let id = account.id.to_string();
            links::lock_account(conn, &id)?;
            let now = db::now();
            let sent = links::reset_letters_since(conn, &id, now - Duration::hours(1))?;
            if sent >= i64::from(auth.reset_letters_per_hour) {
                crate::audit::record(
                    conn,
                    None,
                    "request_password_reset",
                    "user",
                    &id,
                    json!({"letter": "throttled"}),
                )?;
                return Ok(None);
            }
            let ttl = crate::config::span(auth.reset_link_ttl_s);
            links::issue(conn, &id, &token, Purpose::Reset, ttl, now)?;
            crate::audit::record(
                conn,
                None,
                "request_password_reset",
                "user",
                &id,
                json!({"letter": "sent", "expires_at": now + ttl}),
            )?;
            Ok(Some((email, account.language, token, now + ttl)))
        })
        .await?;
    if let Some((email, saved, token, until)) = to_send {
        // The saved language first: the letter follows the person, as notifications do.
        let lang = saved
            .as_deref()
            .and_then(|l| Lang::parse(l).ok())
            .unwrap_or(asked);
        let url = links::url(&state.public_url, &token);
        let (subject, text) =
            mail::password_letter(Purpose::Reset, Some(lang), &email, &url, until);
        // After the answer: an address with an account answers as fast as one without.
        actix_web::rt::spawn(async move {
            let address = email.clone();
            let sent = web::block(move || mailer.send(&email, &subject, &text)).await;
            match sent {
                Ok(Ok(())) => tracing::info!(to = %address, "password reset letter sent"),
                Ok(Err(e)) => {
                    tracing::warn!(to = %address, error = %e, "password reset letter not sent")
                }
                Err(e) => tracing::warn!(error = %e, "password reset letter not sent"),
            }
        });
    }
    Ok(HttpResponse::Accepted().finish())
}

fn refused(refusal: Refusal) -> ApiError {
    let problem = match refusal {
        Refusal::Unknown => crate::msg!("link-unknown"),
        Refusal::Used => crate::msg!("link-used"),
        Refusal::Expired => crate::msg!("link-expired"),
    };
    ApiError::invalid(
        crate::msg!("link-not-valid"),
        vec![detail("/token", problem)],
    )
}

/// Whether a link from a reset or invitation letter still works (no sign-in), without using
/// it: the screen that sets the password says at once that a link is used, expired or unknown,
/// before anyone types a new password.
#[utoipa::path(operation_id = "check_password_link", post, path = "/api/v1/password-reset/check", tag = "auth",
    request_body = ResetCheck,
    responses((status = 200, description = "The link works; it is not used by this", body = LinkState),
              (status = 422, description = "The link is unknown, used or expired, or its account is deactivated (`/token`)", body = ErrorEnvelope)))]
pub async fn check(
    state: web::Data<AppState>,
    body: web::Json<ResetCheck>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().token.trim().to_owned();
    let (purpose, expires_at) = look(&state, token).await?;
    Ok(HttpResponse::Ok().json(LinkState {
        purpose: purpose.as_str().to_owned(),
        expires_at: super::types::time(expires_at),
    }))
}

/// Reads the link of `token` without using it: its purpose and expiry, or why it does not
/// work (the refusal `confirm` would give).
async fn look(
    state: &AppState,
    token: String,
) -> Result<(Purpose, chrono::NaiveDateTime), ApiError> {
    if token.is_empty() || token.len() > links::MAX_TOKEN {
        return Err(refused(Refusal::Unknown));
    }
    let hash_of = crate::auth::tokens::token_hash(&token);
    let now = db::now();
    let found = state
        .db(move |conn| Ok(links::look(conn, &hash_of)?))
        .await?;
    match found {
        None => Err(refused(Refusal::Unknown)),
        Some(link) if link.used_at.is_some() => Err(refused(Refusal::Used)),
        Some(link) if link.expires_at <= now => Err(refused(Refusal::Expired)),
        Some(link) if !link.account_active => Err(ApiError::invalid(
            crate::msg!("link-not-valid"),
            vec![detail("/token", crate::msg!("link-account-inactive"))],
        )),
        Some(link) => Ok((link.purpose, link.expires_at)),
    }
}

/// Set a new password with a link from a reset or invitation letter (no sign-in). The link
/// works once: the account's other open links close with it, every session of the account ends,
/// and the change is audited. Then sign in with the new password.
#[utoipa::path(operation_id = "confirm_password_reset", post, path = "/api/v1/password-reset/confirm", tag = "auth",
    request_body = ResetConfirm,
    responses((status = 200, description = "The password is set; sign in with it", body = PasswordSet),
              (status = 422, description = "The link is unknown, used or expired (`/token`), or the password is refused (`/new_password`)", body = ErrorEnvelope)))]
pub async fn confirm(
    state: web::Data<AppState>,
    body: web::Json<ResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let ResetConfirm {
        token,
        new_password,
    } = body.into_inner();
    let token = token.trim().to_owned();
    if let Some(problem) = password::policy_problem(&new_password) {
        return Err(ApiError::invalid(
            crate::msg!("password-not-valid"),
            vec![detail("/new_password", problem)],
        ));
    }
    // A look first, so a dead link costs no password hashing; the use below decides.
    look(&state, token.clone()).await?;
    let hashed = web::block(move || password::hash(&new_password))
        .await?
        .map_err(ApiError::Internal)?;
    let email = state
        .db_write(move |conn| {
            let used = match links::redeem(conn, &token, db::now())? {
                Ok(used) => used,
                Err(refusal) => return Err(refused(refusal)),
            };
            let account =
                db::users::account(conn, &used.user_id.as_str().into())?.ok_or(diesel::NotFound)?;
            let (email, active) = (account.email, account.active);
            if !active {
                // Rolls the use back with the transaction: the link stays as it was.
                return Err(ApiError::invalid(
                    crate::msg!("link-not-valid"),
                    vec![detail("/token", crate::msg!("link-account-inactive"))],
                ));
            }
            db::users::set_password_hash(conn, &used.user_id.as_str().into(), &hashed, db::now())?;
            let revoked = revoke_sessions(conn, &used.user_id)?;
            // Failed sign-ins before the reset no longer hold the account back.
            throttle::clear(conn, &email)?;
            let action = match used.purpose {
                Purpose::Reset => "reset_password",
                Purpose::Invitation => "accept_invitation",
            };
            // The user's own act; never the password, its hash or the token.
            crate::audit::record(
                conn,
                Some(&used.user_id),
                action,
                "user",
                &used.user_id,
                json!({"sessions_revoked": revoked}),
            )?;
            Ok(email)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PasswordSet { email }))
}
