//! The `refresh_tokens` table (a session's rotating refresh tokens, stored as hashes and grouped
//! in families so that a replay can end the whole session): its row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{RefreshTokenId, UserId};
use crate::schema::refresh_tokens;

/// A stored refresh token.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    /// Id.
    pub id: RefreshTokenId,
    /// Whose session it is.
    pub user_id: UserId,
    /// The session: every token rotated from the same sign-in.
    pub family_id: String,
    /// SHA-256 of the token (the token itself is never stored).
    pub token_hash: String,
    /// When it stops being accepted.
    pub expires_at: NaiveDateTime,
    /// When it was exchanged (a token is used once).
    pub used_at: Option<NaiveDateTime>,
    /// When its family was revoked.
    pub revoked_at: Option<NaiveDateTime>,
    /// Issued.
    pub created_at: NaiveDateTime,
}

/// The token whose hash is `hash`, if any.
pub fn by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// The user whose session refresh family `family` is, if it exists.
pub fn user_of_family(conn: &mut DbConnection, family: &str) -> QueryResult<Option<UserId>> {
    refresh_tokens::table
        .filter(refresh_tokens::family_id.eq(family))
        .select(refresh_tokens::user_id)
        .first(conn)
        .optional()
}
