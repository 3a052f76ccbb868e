//! What makes an account's fields valid, and the account changes shared by the users API and
//! the bulk import.

use diesel::prelude::*;

use super::Scope;
use sirr_store::schema::{refresh_tokens, user_scopes};
use sirr_store::{self as db, DbConnection};

/// Longest display name accepted, in characters.
pub const MAX_NAME: usize = 200;
/// Longest email address accepted (RFC 5321 path limit).
pub const MAX_EMAIL: usize = 254;

/// Whether `email` looks like an address: one `@`, a local part, a dotted domain, no spaces.
pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Replaces every scope of a user.
pub fn replace_scopes(conn: &mut DbConnection, user_id: &str, scopes: &[Scope]) -> QueryResult<()> {
    diesel::delete(user_scopes::table.filter(user_scopes::user_id.eq(user_id))).execute(conn)?;
    for scope in scopes {
        diesel::insert_into(user_scopes::table)
            .values((
                user_scopes::user_id.eq(user_id),
                user_scopes::kind.eq(scope.kind.as_str()),
                user_scopes::target_id.eq(&scope.id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Ends every session of a user: their refresh tokens stop working.
pub fn revoke_sessions(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(db::now()))
    .execute(conn)
}
