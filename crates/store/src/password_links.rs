//! The `password_links` table (single-use links that set a password, stored as the SHA-256 of
//! their token): its statements. What a link means — tokens, letters, how a use is judged —
//! lives in the server's `auth::links`.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{UserId, new_id};
use crate::schema::{password_links, users};
use crate::status::LinkPurpose;

/// Advisory-lock class of [`lock_account`] (next to the login throttle's).
const LOCK_LINKS: i32 = 7_405_143;

/// A new link: whose, why, its token's hash, and until when it works.
#[derive(Debug, Clone)]
pub struct NewLink<'a> {
    /// Whose password it sets.
    pub user_id: &'a str,
    /// Why it was made.
    pub purpose: LinkPurpose,
    /// SHA-256 of its token, hex.
    pub token_hash: String,
    /// Made.
    pub created_at: NaiveDateTime,
    /// Works until.
    pub expires_at: NaiveDateTime,
}

/// Stores links in multi-row statements (an import may invite thousands of accounts).
pub fn insert_many(conn: &mut DbConnection, links: &[NewLink<'_>]) -> QueryResult<()> {
    let rows: Vec<_> = links
        .iter()
        .map(|link| {
            (
                password_links::id.eq(new_id()),
                password_links::user_id.eq(link.user_id),
                password_links::purpose.eq(link.purpose),
                password_links::token_hash.eq(&link.token_hash),
                password_links::created_at.eq(link.created_at),
                password_links::expires_at.eq(link.expires_at),
            )
        })
        .collect();
    crate::insert_all!(conn, password_links::table, &rows);
    Ok(())
}

/// Of `among` (or of every account when `None`), the accounts with an invitation none of
/// whose links was ever used.
pub fn pending_invitations(
    conn: &mut DbConnection,
    among: Option<&UserId>,
) -> QueryResult<HashSet<String>> {
    let mut invited = password_links::table
        .filter(password_links::purpose.eq(LinkPurpose::Invitation))
        .select(password_links::user_id)
        .distinct()
        .into_boxed();
    let mut settled = password_links::table
        .filter(password_links::used_at.is_not_null())
        .select(password_links::user_id)
        .distinct()
        .into_boxed();
    if let Some(user_id) = among {
        invited = invited.filter(password_links::user_id.eq(user_id.clone()));
        settled = settled.filter(password_links::user_id.eq(user_id.clone()));
    }
    let settled: HashSet<String> = settled.load::<String>(conn)?.into_iter().collect();
    Ok(invited
        .load::<String>(conn)?
        .into_iter()
        .filter(|id| !settled.contains(id))
        .collect())
}

/// Deletes the unused invitation links of `user`.
pub fn delete_open_invitations(conn: &mut DbConnection, user: &UserId) -> QueryResult<usize> {
    diesel::delete(
        password_links::table
            .filter(password_links::user_id.eq(user))
            .filter(password_links::purpose.eq(LinkPurpose::Invitation))
            .filter(password_links::used_at.is_null()),
    )
    .execute(conn)
}

/// Serializes the requests about one account until the transaction ends: PostgreSQL takes a
/// transaction-scoped advisory lock on the user id, SQLite its write lock.
pub fn lock_account(conn: &mut DbConnection, user: &UserId) -> QueryResult<()> {
    if let DbConnection::Postgresql(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(LOCK_LINKS)
            .bind::<diesel::sql_types::Text, _>(user.as_str())
            .execute(conn)?;
        Ok(())
    } else {
        crate::lock_for_write(conn)
    }
}

/// How many links of `purpose` `user` was sent after `since`.
pub fn count_since(
    conn: &mut DbConnection,
    user: &UserId,
    purpose: LinkPurpose,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    password_links::table
        .filter(password_links::user_id.eq(user))
        .filter(password_links::purpose.eq(purpose))
        .filter(password_links::created_at.gt(since))
        .count()
        .get_result(conn)
}

/// A link as stored, with whether its account may sign in.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Link {
    /// Whose password it sets.
    pub user_id: UserId,
    /// Why it was made.
    pub purpose: LinkPurpose,
    /// When it was used, if it was.
    pub used_at: Option<NaiveDateTime>,
    /// When it stops working.
    pub expires_at: NaiveDateTime,
    /// Whether its account may sign in.
    pub account_active: bool,
}

/// The link whose token hashes to `hash`, if any.
pub fn by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<Link>> {
    password_links::table
        .inner_join(users::table)
        .filter(password_links::token_hash.eq(hash))
        .select((
            password_links::user_id,
            password_links::purpose,
            password_links::used_at,
            password_links::expires_at,
            users::active,
        ))
        .first(conn)
        .optional()
}

/// Marks the link whose token hashes to `hash` used at `now` if it is unused and unexpired;
/// whether it was (one conditional statement: of two uses at once exactly one wins).
pub fn take(conn: &mut DbConnection, hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let taken = diesel::update(
        password_links::table
            .filter(password_links::token_hash.eq(hash))
            .filter(password_links::used_at.is_null())
            .filter(password_links::expires_at.gt(now)),
    )
    .set(password_links::used_at.eq(now))
    .execute(conn)?;
    Ok(taken > 0)
}

/// Marks every unused link of `user` used at `now`; how many.
pub fn close_open(
    conn: &mut DbConnection,
    user: &UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        password_links::table
            .filter(password_links::user_id.eq(user))
            .filter(password_links::used_at.is_null()),
    )
    .set(password_links::used_at.eq(now))
    .execute(conn)
}

/// Ends every unused, unexpired link of `user` at `now` without marking it used; how many.
pub fn expire_open(
    conn: &mut DbConnection,
    user: &UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        password_links::table
            .filter(password_links::user_id.eq(user))
            .filter(password_links::used_at.is_null())
            .filter(password_links::expires_at.gt(now)),
    )
    .set(password_links::expires_at.eq(now))
    .execute(conn)
}
