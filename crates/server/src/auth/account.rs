//! What makes an account's fields valid, and the account changes shared by the users API and
//! the bulk import.

use diesel::QueryResult;

use super::{Scope, ScopeKind};
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
    let scopes: Vec<(ScopeKind, &str)> = scopes.iter().map(|s| (s.kind, s.id.as_str())).collect();
    db::user_scopes::replace(conn, &user_id.into(), &scopes)
}

/// Ends every session of a user: their refresh tokens stop working.
pub fn revoke_sessions(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    db::refresh_tokens::revoke_all_of_user(conn, &user_id.into(), db::now())
}
