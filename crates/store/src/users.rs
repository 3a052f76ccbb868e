//! The `users` table: an account as the administration reads it, and writing a new account —
//! one insert for the first admin, the admin's users screen, `sirr user add` and the demo (bulk
//! onboarding inserts its rows in batches, in the server's `import/users.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::ids::UserId;
use super::schema::users;

/// An account as the administration reads it (never its password hash).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Id.
    pub id: UserId,
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// One of [`status::role`](super::status::role).
    pub role: String,
    /// Whether it may sign in.
    pub active: bool,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Every account (only those of `role` when given), by address.
pub fn all(conn: &mut DbConnection, role: Option<&str>) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::email)
        .into_boxed();
    if let Some(role) = role {
        query = query.filter(users::role.eq(role.to_owned()));
    }
    query.load(conn)
}

/// Account `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// What a new account is made of.
pub struct NewUser<'a> {
    /// Sign-in address, already trimmed and lower-cased.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Role, one of [`status::role`](super::status::role).
    pub role: &'a str,
    /// The argon2 hash of its password (or the marker of an account without one).
    pub password_hash: &'a str,
}

/// Stores `new` as an active account created at `now`; returns its id. A taken address fails
/// with the database's unique violation, for the caller to word.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewUser<'_>,
    now: NaiveDateTime,
) -> QueryResult<UserId> {
    let id = UserId::generate();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(new.email),
            users::name.eq(new.name),
            users::role.eq(new.role),
            users::password_hash.eq(new.password_hash),
            users::active.eq(true),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}
