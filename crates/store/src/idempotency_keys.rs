//! The `idempotency_keys` table: the answer given to a request under an `Idempotency-Key`, kept
//! per user so that a retried submission (a phone that lost the answer) gets the same answer
//! instead of a second visit.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::UserId;
use crate::schema::idempotency_keys;

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct KeyRow {
    /// Whose key (keys are per user).
    pub user_id: UserId,
    /// The key the client sent.
    pub key: String,
    /// What the request was (a hash of what it names and its body).
    pub request_hash: String,
    /// The status answered.
    pub status: i32,
    /// The body answered.
    pub response: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// The answer stored for `user`'s `key`, if any.
pub fn find(conn: &mut DbConnection, user: &UserId, key: &str) -> QueryResult<Option<KeyRow>> {
    idempotency_keys::table
        .find((user, key))
        .select(KeyRow::as_select())
        .first(conn)
        .optional()
}

/// Stores an answer. A key stored meanwhile (by a concurrent request) fails with the
/// database's unique violation.
pub fn insert(conn: &mut DbConnection, row: &KeyRow) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}
