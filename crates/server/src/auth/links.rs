//! Single-use links that set a password: a reset asked for by e-mail and the invitation of an
//! account created without a password (the first admin, or a user an admin invites).
//!
//! A link carries a random token (32 bytes, hex); the database keeps only its SHA-256
//! ([`crate::auth::tokens::token_hash`]), so a copy of the database opens no account. Using a
//! link ([`redeem`]) is one conditional `UPDATE … WHERE used_at IS NULL AND expires_at > now`:
//! of two uses at once exactly one changes the row, on SQLite and PostgreSQL alike. A used link
//! also closes every other open link of the account. Reset letters are throttled per account by
//! counting its recent links ([`reset_letters_since`]) inside the same write transaction that
//! issues the next one, so processes sharing the database agree.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use crate::auth::tokens::token_hash;
use sirr_store::DbConnection;
use sirr_store::ids::{self, UserId};
use sirr_store::password_links::{self, NewLink};

/// Why a link was made: a reset or an invitation (a stored vocabulary).
pub use sirr_store::status::LinkPurpose as Purpose;

/// Longest token accepted when a link is used (the tokens made here are 64 characters).
pub const MAX_TOKEN: usize = 128;

/// A new random token (64 hex digits).
pub fn new_token() -> Result<String, String> {
    ids::random_hex(32).map_err(|e| format!("no randomness available: {e}"))
}

/// Stores a link for `user_id` with `token` (from [`new_token`]) that works until `now + ttl`.
/// Only the token's hash is stored.
pub fn issue(
    conn: &mut DbConnection,
    user_id: &str,
    token: &str,
    purpose: Purpose,
    ttl: Duration,
    now: NaiveDateTime,
) -> QueryResult<()> {
    issue_all(
        conn,
        &[(user_id.to_owned(), token.to_owned())],
        purpose,
        ttl,
        now,
    )
}

/// Stores one link per (user id, token) pair, as [`issue`] does, in multi-row statements (an
/// import may invite thousands of accounts).
pub fn issue_all(
    conn: &mut DbConnection,
    links: &[(String, String)],
    purpose: Purpose,
    ttl: Duration,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rows: Vec<NewLink<'_>> = links
        .iter()
        .map(|(user_id, token)| NewLink {
            user_id,
            purpose,
            token_hash: token_hash(token),
            created_at: now,
            expires_at: now + ttl,
        })
        .collect();
    password_links::insert_many(conn, &rows)
}

/// Of `among` (or of every account when `None`), the accounts whose invitation is still
/// pending: they were invited and none of their links was ever used, so nobody has set their
/// password yet (a password an admin sets closes the links, which counts as used).
pub fn pending_invitations(
    conn: &mut DbConnection,
    among: Option<&str>,
) -> QueryResult<HashSet<String>> {
    let among = among.map(UserId::from);
    password_links::pending_invitations(conn, among.as_ref())
}

/// Replaces the pending invitation of `user_id` with a new link for `token`: the letters sent
/// before stop working, so only the newest one sets the password.
pub fn reissue_invitation(
    conn: &mut DbConnection,
    user_id: &str,
    token: &str,
    ttl: Duration,
    now: NaiveDateTime,
) -> QueryResult<()> {
    password_links::delete_open_invitations(conn, &user_id.into())?;
    issue(conn, user_id, token, Purpose::Invitation, ttl, now)
}

/// Serializes the requests about one account until the transaction ends: PostgreSQL takes a
/// transaction-scoped advisory lock on the user id, SQLite its write lock (see
/// [`sirr_store::lock_for_write`]). So the throttle's count and the new link are one step,
/// whichever process serves the request.
pub fn lock_account(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    password_links::lock_account(conn, &user_id.into())
}

/// How many reset links `user_id` was sent since `since` (for the per-account throttle).
pub fn reset_letters_since(
    conn: &mut DbConnection,
    user_id: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    password_links::count_since(conn, &user_id.into(), Purpose::Reset, since)
}

/// Why a link does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No link has this token.
    Unknown,
    /// It was used already (or a later link of the account was).
    Used,
    /// Its time ran out.
    Expired,
}

/// A link that was just used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redeemed {
    /// Whose password it sets.
    pub user_id: String,
    /// Why it was made.
    pub purpose: Purpose,
}

/// What a link is, read without using it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Looked {
    /// Why it was made.
    pub purpose: Purpose,
    /// When it was used, if it was.
    pub used_at: Option<NaiveDateTime>,
    /// When it stops working.
    pub expires_at: NaiveDateTime,
    /// Whether its account may sign in.
    pub account_active: bool,
}

/// The link whose token hashes to `hash`, read without using it.
pub fn look(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<Looked>> {
    Ok(password_links::by_hash(conn, hash)?.map(|link| Looked {
        purpose: link.purpose,
        used_at: link.used_at,
        expires_at: link.expires_at,
        account_active: link.account_active,
    }))
}

/// Uses the link of `token` once: marks it used and closes the account's other open links.
/// Run it in the write transaction that also sets the password, so both happen or neither.
pub fn redeem(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Result<Redeemed, Refusal>> {
    let hash = token_hash(token);
    let taken = password_links::take(conn, &hash, now)?;
    let Some(link) = password_links::by_hash(conn, &hash)? else {
        return Ok(Err(Refusal::Unknown));
    };
    let (user_id, purpose, expires_at, used_at) =
        (link.user_id, link.purpose, link.expires_at, link.used_at);
    if !taken {
        // A use (a rival's at this very moment included) is named before the expiry.
        return Ok(Err(if used_at.is_none() && expires_at <= now {
            Refusal::Expired
        } else {
            Refusal::Used
        }));
    }
    close_open(conn, &user_id, now)?;
    Ok(Ok(Redeemed {
        user_id: user_id.into(),
        purpose,
    }))
}

/// Closes every open link of `user_id` (its password was just set some other way: a change of
/// one's own, an admin's, `sirr user reset-password`), so an older letter no longer works.
pub fn close_open(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    password_links::close_open(conn, &user_id.into(), now)
}

/// Ends every open link of `user_id` now, without marking it used (the account's address just
/// changed, so the letters went to an address that may not be the user's). An invitation stays
/// pending, so it can be sent again to the new address; the old links read as expired.
pub fn expire_open(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    password_links::expire_open(conn, &user_id.into(), now)
}

/// The address a letter links to: the web app's screen that sets the password. The token is
/// in the fragment, which browsers never send to a server (so no access log holds it).
pub fn url(public_url: &str, token: &str) -> String {
    format!("{}/#/reset/{token}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_hex_and_links_carry_them_in_the_fragment() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(
            url("https://sirr.example.org/", "abc"),
            "https://sirr.example.org/#/reset/abc"
        );
        assert_eq!(Purpose::parse("invitation"), Some(Purpose::Invitation));
        assert_eq!(
            Purpose::parse(Purpose::Reset.as_str()),
            Some(Purpose::Reset)
        );
    }
}
