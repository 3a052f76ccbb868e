//! Writing a new account: one insert for the first admin, the admin's users screen, `sirr user
//! add` and the demo (bulk onboarding inserts its rows in batches, in `import/users.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::users;
use super::{DbConnection, ids};

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
) -> QueryResult<String> {
    let id = ids::new_id();
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
