//! Personal access tokens (SPEC §10.34): long-lived secrets a user creates for scripts and for
//! the OData connectors of Excel and Power BI. A token is `sirr_pat_` and 64 hex digits
//! (256 random bits); only its SHA-256 is stored, so the token is shown once, at creation. It
//! acts with its owner's role and scopes as they are *now* (a changed scope applies at once),
//! until it is revoked or the owner is deactivated. It is accepted as `Authorization: Bearer
//! <token>` and as the password of HTTP Basic with the owner's e-mail (what the connectors
//! send); an account password is never accepted there.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::{AuthUser, Role, tokens::token_hash};
use sirr_store::rfc3339 as time;
use sirr_store::schema::{access_tokens, users};
use sirr_store::{self as db, DbConnection, ids};

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
    let id = ids::new_id();
    let now = db::now();
    diesel::insert_into(access_tokens::table)
        .values((
            access_tokens::id.eq(&id),
            access_tokens::user_id.eq(user_id),
            access_tokens::name.eq(name),
            access_tokens::token_hash.eq(token_hash(&token)),
            access_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    crate::audit::record(
        conn,
        Some(user_id),
        "create",
        "access_token",
        &id,
        serde_json::json!({"name": name}),
    )?;
    Ok(NewToken {
        id,
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
    Ok(access_tokens::table
        .filter(access_tokens::user_id.eq(user_id))
        .order((access_tokens::created_at.desc(), access_tokens::id.desc()))
        .select((
            access_tokens::id,
            access_tokens::name,
            access_tokens::created_at,
            access_tokens::revoked_at,
        ))
        .load::<(
            String,
            String,
            chrono::NaiveDateTime,
            Option<chrono::NaiveDateTime>,
        )>(conn)?
        .into_iter()
        .map(|(id, name, created, revoked)| TokenInfo {
            id,
            name,
            created_at: time(created),
            revoked_at: revoked.map(time),
        })
        .collect())
}

/// Revokes one of the user's tokens; `false` when the user has no such token. Revoking a
/// revoked token changes nothing and succeeds.
///
/// # Errors
/// Database failures.
pub fn revoke(conn: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<bool> {
    let found: Option<Option<chrono::NaiveDateTime>> = access_tokens::table
        .filter(access_tokens::id.eq(id))
        .filter(access_tokens::user_id.eq(user_id))
        .select(access_tokens::revoked_at)
        .first(conn)
        .optional()?;
    match found {
        None => Ok(false),
        Some(Some(_)) => Ok(true),
        Some(None) => {
            diesel::update(access_tokens::table.find(id))
                .set(access_tokens::revoked_at.eq(db::now()))
                .execute(conn)?;
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
    let found: Option<(String, String, String, bool)> = access_tokens::table
        .inner_join(users::table)
        .filter(access_tokens::token_hash.eq(token_hash(token)))
        .filter(access_tokens::revoked_at.is_null())
        .select((users::id, users::email, users::role, users::active))
        .first(conn)
        .optional()?;
    let Some((id, owner_email, role, active)) = found else {
        return Ok(None);
    };
    if !active || email.is_some_and(|e| !e.trim().eq_ignore_ascii_case(&owner_email)) {
        return Ok(None);
    }
    let Some(role) = Role::parse(&role) else {
        return Ok(None);
    };
    let scopes = super::access::scopes_of(conn, &id)?;
    Ok(Some(AuthUser {
        id: id.into(),
        role,
        scopes,
    }))
}
