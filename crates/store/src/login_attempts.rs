//! The `login_attempts` table (failed sign-ins per account and per client address, kept in the
//! database so that every process agrees on a throttle): its statements.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::new_id;
use crate::schema::login_attempts;

/// Advisory-lock classes (the first key of `pg_advisory_xact_lock(int, int)`).
const LOCK_ACCOUNT: i32 = 7_405_141;
const LOCK_ADDRESS: i32 = 7_405_142;

/// Serializes the caller's write transaction with every other sign-in of `email` or from
/// `address`: on PostgreSQL transaction-scoped advisory locks on both (always in that order, so
/// two sign-ins never wait for each other in a cycle); on SQLite the write lock.
pub fn lock(conn: &mut DbConnection, email: &str, address: &str) -> QueryResult<()> {
    if let DbConnection::Postgresql(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(LOCK_ACCOUNT)
            .bind::<diesel::sql_types::Text, _>(email)
            .execute(conn)?;
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(LOCK_ADDRESS)
            .bind::<diesel::sql_types::Text, _>(address)
            .execute(conn)?;
        Ok(())
    } else {
        crate::lock_for_write(conn)
    }
}

/// When the failures after `since` of `email` (when given) from `address` (when given)
/// happened, oldest first.
pub fn failures(
    conn: &mut DbConnection,
    email: Option<&str>,
    address: Option<&str>,
    since: NaiveDateTime,
) -> QueryResult<Vec<NaiveDateTime>> {
    let mut query = login_attempts::table
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select(login_attempts::at)
        .order(login_attempts::at.asc())
        .into_boxed();
    if let Some(email) = email {
        query = query.filter(login_attempts::email.eq(email.to_owned()));
    }
    if let Some(address) = address {
        query = query.filter(login_attempts::address.eq(address.to_owned()));
    }
    query.load(conn)
}

/// Records a failed attempt of `email` from `address` at `now`, and forgets those before
/// `forget_before` (they no longer count).
pub fn record_failure(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
    now: NaiveDateTime,
    forget_before: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(new_id()),
            login_attempts::email.eq(email),
            login_attempts::address.eq(address),
            login_attempts::succeeded.eq(false),
            login_attempts::at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(login_attempts::table.filter(login_attempts::at.lt(forget_before)))
        .execute(conn)?;
    Ok(())
}

/// Forgets the failures of `email` (after a successful sign-in).
pub fn clear(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(
        login_attempts::table
            .filter(login_attempts::email.eq(email))
            .filter(login_attempts::succeeded.eq(false)),
    )
    .execute(conn)?;
    Ok(())
}
