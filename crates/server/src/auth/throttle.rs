//! Login throttling per account and per client address, kept in the database so that every
//! process sharing it agrees (SPEC §9.23).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::config::AuthSettings;
use crate::db::schema::login_attempts;
use crate::db::{DbConnection, ids::new_id};

/// Whether a login may be tried now; `Err(seconds)` to wait otherwise.
pub fn check(
    conn: &mut DbConnection,
    settings: &AuthSettings,
    email: &str,
    address: &str,
    now: NaiveDateTime,
) -> Result<Result<(), u64>, diesel::result::Error> {
    let window = Duration::seconds(settings.throttle_window_s as i64);
    let since = now - window;
    let failures = |conn: &mut DbConnection, by_email: bool| -> QueryResult<Vec<NaiveDateTime>> {
        let query = login_attempts::table
            .filter(login_attempts::succeeded.eq(false))
            .filter(login_attempts::at.gt(since))
            .select(login_attempts::at)
            .order(login_attempts::at.asc())
            .into_boxed();
        let query = if by_email {
            query.filter(login_attempts::email.eq(email))
        } else {
            query.filter(login_attempts::address.eq(address))
        };
        query.load(conn)
    };
    for (by_email, limit) in [
        (true, settings.max_failures_per_account),
        (false, settings.max_failures_per_address),
    ] {
        let times = failures(conn, by_email)?;
        if times.len() >= limit as usize {
            // The oldest failure that counts leaves the window first.
            let oldest = times[times.len() - limit as usize];
            let wait = (oldest + window - now).num_seconds().max(1) as u64;
            return Ok(Err(wait));
        }
    }
    Ok(Ok(()))
}

/// Records an attempt; a success clears the account's failures. Old rows are pruned.
pub fn record(
    conn: &mut DbConnection,
    settings: &AuthSettings,
    email: &str,
    address: &str,
    succeeded: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if succeeded {
        diesel::delete(
            login_attempts::table
                .filter(login_attempts::email.eq(email))
                .filter(login_attempts::succeeded.eq(false)),
        )
        .execute(conn)?;
    } else {
        diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::id.eq(new_id()),
                login_attempts::email.eq(email),
                login_attempts::address.eq(address),
                login_attempts::succeeded.eq(false),
                login_attempts::at.eq(now),
            ))
            .execute(conn)?;
    }
    let horizon = now - Duration::seconds(settings.throttle_window_s as i64);
    diesel::delete(login_attempts::table.filter(login_attempts::at.lt(horizon))).execute(conn)?;
    Ok(())
}
