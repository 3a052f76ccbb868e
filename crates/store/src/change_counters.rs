//! The `change_counters` table: named counters that triggers in the migrations bump in the
//! writing transaction (`organisation` on every change to regions, branches and teams, `scores`
//! on every change that moves a score), so caches in several processes can tell whether what
//! they hold is current without being told.

use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::change_counters;

/// The counter of the organisation's structure (regions, branches, teams).
pub const ORGANISATION: &str = "organisation";
/// The counter of everything a score depends on.
pub const SCORES: &str = "scores";

/// The value of counter `name` (0 when it was never bumped).
pub fn value(conn: &mut DbConnection, name: &str) -> QueryResult<i64> {
    change_counters::table
        .find(name)
        .select(change_counters::value)
        .first(conn)
        .optional()
        .map(Option::unwrap_or_default)
}

/// The values of the counters `names`, in that order (0 for one never bumped), in one query.
pub fn values<const N: usize>(conn: &mut DbConnection, names: [&str; N]) -> QueryResult<[i64; N]> {
    let rows: Vec<(String, i64)> = change_counters::table
        .filter(change_counters::name.eq_any(names))
        .select((change_counters::name, change_counters::value))
        .load(conn)?;
    Ok(names.map(|name| rows.iter().find(|(n, _)| n == name).map_or(0, |(_, v)| *v)))
}
