//! The `refresh_tokens` table (a session's rotating refresh tokens, stored as hashes and grouped
//! in families so that a replay can end the whole session): its row and statements.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{RefreshTokenId, UserId};
use crate::schema::refresh_tokens;

/// A stored refresh token.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
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

/// Revokes, at `now`, every refresh token of user `id` still valid: their sessions end. How many.
pub fn revoke_all_of_user(
    conn: &mut DbConnection,
    id: &UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
}

/// Stores a new refresh token.
pub fn insert(conn: &mut DbConnection, row: &RefreshTokenRow) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Marks token `id` used at `now` if it was not; whether it was not (of two concurrent uses only
/// one wins; the other is a replay).
pub fn mark_used(
    conn: &mut DbConnection,
    id: &RefreshTokenId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let won = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(won > 0)
}

/// Revokes, at `now`, every token of `family` still valid; how many.
pub fn revoke_family(
    conn: &mut DbConnection,
    family: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
}

/// The family of the token whose hash is `hash`, if any.
pub fn family_of_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<String>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(refresh_tokens::family_id)
        .first(conn)
        .optional()
}
