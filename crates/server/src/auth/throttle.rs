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
use diesel::QueryResult;

use crate::config::AuthSettings;
use sirr_store::{DbConnection, login_attempts};

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
    login_attempts::lock(conn, email, address)?;
    let window = crate::config::span(settings.throttle_window_s);
    let since = now - window;
    for (by_email, by_address, limit) in [
        (Some(email), None, settings.max_failures_per_account),
        (None, Some(address), settings.max_failures_per_address),
    ] {
        let times = login_attempts::failures(conn, by_email, by_address, since)?;
        if times.len() >= limit as usize {
            // The oldest failure that counts leaves the window first.
            let oldest = times[times.len() - limit as usize];
            let wait = (oldest + window - now).num_seconds().max(1) as u64;
            return Ok(Err(wait));
        }
    }
    login_attempts::record_failure(conn, email, address, now, since)?;
    Ok(Ok(()))
}

/// After a successful sign-in: the account's failures (its own reserved attempt among them)
/// no longer count.
pub fn clear(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    login_attempts::clear(conn, email)
}
