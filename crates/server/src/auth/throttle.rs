//! Login throttling per account and per client address, kept in the database so that every
//! process sharing it agrees (SPEC §9.23).
//!
//! The check and the recorded attempt are one transaction ([`reserve`]): an attempt is first
//! recorded as a failure while the limits are checked, and only then is the password verified;
//! a success clears the account's failures ([`clear`]). So N parallel guesses cost N attempts.
//! The transaction is serialized per account and per address — SQLite's one writer (see
//! [`sirr_store::writer`]) and, on PostgreSQL, transaction-scoped advisory locks on the e-mail and
//! the address (always in that order, so two logins never wait for each other in a cycle).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::config::AuthSettings;
use sirr_store::schema::login_attempts;
use sirr_store::{DbConnection, ids::new_id};

/// Advisory-lock classes (the first key of `pg_advisory_xact_lock(int, int)`).
const LOCK_ACCOUNT: i32 = 7_405_141;
const LOCK_ADDRESS: i32 = 7_405_142;

fn failures(
    conn: &mut DbConnection,
    by_email: Option<&str>,
    by_address: Option<&str>,
    since: NaiveDateTime,
) -> QueryResult<Vec<NaiveDateTime>> {
    let mut query = login_attempts::table
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select(login_attempts::at)
        .order(login_attempts::at.asc())
        .into_boxed();
    if let Some(email) = by_email {
        query = query.filter(login_attempts::email.eq(email.to_owned()));
    }
    if let Some(address) = by_address {
        query = query.filter(login_attempts::address.eq(address.to_owned()));
    }
    query.load(conn)
}

/// Checks the limits and, when a try is allowed, records it as a failure — in the caller's
/// transaction, which must be a write transaction
/// ([`crate::startup::AppState::db_write`]). `Ok(Ok(()))`: go on and verify the password;
/// `Ok(Err(seconds))`: throttled, nothing recorded.
pub fn reserve(
    conn: &mut DbConnection,
    settings: &AuthSettings,
    email: &str,
    address: &str,
    now: NaiveDateTime,
) -> QueryResult<Result<(), u64>> {
    if let DbConnection::Postgresql(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(LOCK_ACCOUNT)
            .bind::<diesel::sql_types::Text, _>(email)
            .execute(conn)?;
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(LOCK_ADDRESS)
            .bind::<diesel::sql_types::Text, _>(address)
            .execute(conn)?;
    } else {
        sirr_store::lock_for_write(conn)?;
    }
    let window = crate::config::span(settings.throttle_window_s);
    let since = now - window;
    for (by_email, by_address, limit) in [
        (Some(email), None, settings.max_failures_per_account),
        (None, Some(address), settings.max_failures_per_address),
    ] {
        let times = failures(conn, by_email, by_address, since)?;
        if times.len() >= limit as usize {
            // The oldest failure that counts leaves the window first.
            let oldest = times[times.len() - limit as usize];
            let wait = (oldest + window - now).num_seconds().max(1) as u64;
            return Ok(Err(wait));
        }
    }
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(new_id()),
            login_attempts::email.eq(email),
            login_attempts::address.eq(address),
            login_attempts::succeeded.eq(false),
            login_attempts::at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(login_attempts::table.filter(login_attempts::at.lt(since))).execute(conn)?;
    Ok(Ok(()))
}

/// After a successful sign-in: the account's failures (its own reserved attempt among them)
/// no longer count.
pub fn clear(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(
        login_attempts::table
            .filter(login_attempts::email.eq(email))
            .filter(login_attempts::succeeded.eq(false)),
    )
    .execute(conn)?;
    Ok(())
}
