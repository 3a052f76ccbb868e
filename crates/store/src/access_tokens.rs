//! The `access_tokens` table (personal access tokens for scripts and OData connectors, stored
//! as hashes): its row and statements.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{AccessTokenId, UserId};
use crate::schema::{access_tokens, users};
use crate::status::Role;

/// A stored personal access token.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = access_tokens)]
pub struct AccessTokenRow {
    /// Id.
    pub id: AccessTokenId,
    /// Whose it is: it acts with its owner's role and scopes.
    pub user_id: UserId,
    /// The owner's name for it.
    pub name: String,
    /// SHA-256 of the secret (the secret itself is never stored).
    pub token_hash: String,
    /// Made.
    pub created_at: NaiveDateTime,
    /// Revoked, if it was.
    pub revoked_at: Option<NaiveDateTime>,
}

/// Stores a new token.
pub fn insert(conn: &mut DbConnection, row: &AccessTokenRow) -> QueryResult<()> {
    diesel::insert_into(access_tokens::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The tokens of `user`, newest first.
pub fn of_user(conn: &mut DbConnection, user: &UserId) -> QueryResult<Vec<AccessTokenRow>> {
    access_tokens::table
        .filter(access_tokens::user_id.eq(user))
        .order((access_tokens::created_at.desc(), access_tokens::id.desc()))
        .select(AccessTokenRow::as_select())
        .load(conn)
}

/// Token `id` of `user`, if they have it.
pub fn find_of_user(
    conn: &mut DbConnection,
    user: &UserId,
    id: &AccessTokenId,
) -> QueryResult<Option<AccessTokenRow>> {
    access_tokens::table
        .filter(access_tokens::id.eq(id))
        .filter(access_tokens::user_id.eq(user))
        .select(AccessTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Revokes token `id` at `now`.
pub fn revoke(conn: &mut DbConnection, id: &AccessTokenId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(access_tokens::table.find(id))
        .set(access_tokens::revoked_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

/// Whom an unrevoked token stands for.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Owner {
    /// The owner.
    pub id: UserId,
    /// Their address (HTTP Basic names it).
    pub email: String,
    /// Their role now.
    pub role: Role,
    /// Whether their account is active.
    pub active: bool,
}

/// The owner of the unrevoked token whose hash is `hash`, if any.
pub fn owner_of_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<Owner>> {
    access_tokens::table
        .inner_join(users::table)
        .filter(access_tokens::token_hash.eq(hash))
        .filter(access_tokens::revoked_at.is_null())
        .select((users::id, users::email, users::role, users::active))
        .first(conn)
        .optional()
}
