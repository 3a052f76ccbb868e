//! Personal access tokens (SPEC §10.34): long-lived secrets a user creates for scripts and for
//! the OData connectors of Excel and Power BI. A token is `sirr_pat_` and 64 hex digits
//! (256 random bits); only its SHA-256 is stored, so the token is shown once, at creation. It
//! acts with its owner's role and scopes as they are *now* (a changed scope applies at once),
//! until it is revoked or the owner is deactivated. It is accepted as `Authorization: Bearer
//! <token>` and as the password of HTTP Basic with the owner's e-mail (what the connectors
//! send); an account password is never accepted there.

use diesel::QueryResult;
use serde::Serialize;
use utoipa::ToSchema;

use super::{AuthUser, tokens::token_hash};
use sirr_store::access_tokens::AccessTokenRow;
use sirr_store::ids::{self, AccessTokenId};
use sirr_store::rfc3339 as time;
use sirr_store::{self as db, DbConnection};

/// What every personal access token starts with.
pub const PREFIX: &str = "sirr_pat_";

/// A token as listed (never the secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenInfo {
    /// Token id.
    pub id: String,
    /// The owner's name for it.
    pub name: String,
    /// When it was made, RFC 3339 UTC.
    pub created_at: String,
    /// When it was revoked; `null` while it works.
    pub revoked_at: Option<String>,
}

/// A new token: the only time the secret is shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewToken {
    /// Token id.
    pub id: String,
    /// The owner's name for it.
    pub name: String,
    /// The secret: `sirr_pat_…`. Keep it; it cannot be shown again.
    pub token: String,
    /// When it was made, RFC 3339 UTC.
    pub created_at: String,
}

/// Whether `secret` has the form of a personal access token.
pub fn looks_like(secret: &str) -> bool {
    secret.starts_with(PREFIX)
}

/// Creates a token for `user_id` (with an audit entry, never the secret).
///
/// # Errors
/// Database failures; no randomness.
pub fn create(conn: &mut DbConnection, user_id: &str, name: &str) -> QueryResult<NewToken> {
    let secret = ids::random_hex(32)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let token = format!("{PREFIX}{secret}");
    let id = AccessTokenId::generate();
    let now = db::now();
    db::access_tokens::insert(
        conn,
        &AccessTokenRow {
            id: id.clone(),
            user_id: user_id.into(),
            name: name.to_owned(),
            token_hash: token_hash(&token),
            created_at: now,
            revoked_at: None,
        },
    )?;
    crate::audit::record(
        conn,
        Some(user_id),
        "create",
        "access_token",
        &id,
        serde_json::json!({"name": name}),
    )?;
    Ok(NewToken {
        id: id.into(),
        name: name.to_owned(),
        token,
        created_at: time(now),
    })
}

/// The user's tokens, newest first.
///
/// # Errors
/// Database failures.
pub fn list(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<TokenInfo>> {
    Ok(db::access_tokens::of_user(conn, &user_id.into())?
        .into_iter()
        .map(|t| TokenInfo {
            id: t.id.into(),
            name: t.name,
            created_at: time(t.created_at),
            revoked_at: t.revoked_at.map(time),
        })
        .collect())
}

/// Revokes one of the user's tokens; `false` when the user has no such token. Revoking a
/// revoked token changes nothing and succeeds.
///
/// # Errors
/// Database failures.
pub fn revoke(conn: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<bool> {
    let key = AccessTokenId::from(id);
    let found = db::access_tokens::find_of_user(conn, &user_id.into(), &key)?;
    match found.map(|t| t.revoked_at) {
        None => Ok(false),
        Some(Some(_)) => Ok(true),
        Some(None) => {
            db::access_tokens::revoke(conn, &key, db::now())?;
            crate::audit::record(
                conn,
                Some(user_id),
                "revoke",
                "access_token",
                id,
                serde_json::json!({}),
            )?;
            Ok(true)
        }
    }
}

/// The signed-in user a token stands for: its active owner with their current role and
/// scopes; `None` for an unknown or revoked token, an inactive owner, or (with `email`, from
/// HTTP Basic) an owner with another e-mail.
///
/// # Errors
/// Database failures.
pub fn authenticate(
    conn: &mut DbConnection,
    token: &str,
    email: Option<&str>,
) -> Result<Option<AuthUser>, crate::api::error::ApiError> {
    let Some(owner) = db::access_tokens::owner_of_hash(conn, &token_hash(token))? else {
        return Ok(None);
    };
    if !owner.active || email.is_some_and(|e| !e.trim().eq_ignore_ascii_case(&owner.email)) {
        return Ok(None);
    }
    let scopes = super::access::scopes_of(conn, &owner.id)?;
    Ok(Some(AuthUser {
        id: owner.id,
        role: owner.role,
        scopes,
    }))
}
