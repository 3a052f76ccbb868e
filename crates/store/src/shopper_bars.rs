//! The `shopper_bars` table (conflict-of-interest bars: a shopper is never assigned to a branch,
//! say where a relative works): its row and statements.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{BranchId, UserId};
use crate::schema::shopper_bars;

/// A stored bar.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = shopper_bars)]
pub struct BarRow {
    /// The shopper barred.
    pub shopper_id: UserId,
    /// From this branch.
    pub branch_id: BranchId,
    /// Why.
    pub reason: String,
    /// Since.
    pub created_at: NaiveDateTime,
}

/// The bars of `shopper`, by branch id.
pub fn of_shopper(conn: &mut DbConnection, shopper: &UserId) -> QueryResult<Vec<BarRow>> {
    shopper_bars::table
        .filter(shopper_bars::shopper_id.eq(shopper))
        .select(BarRow::as_select())
        .order(shopper_bars::branch_id)
        .load(conn)
}

/// Why `shopper` is barred from `branch`, if they are.
pub fn reason(
    conn: &mut DbConnection,
    shopper: &UserId,
    branch: &BranchId,
) -> QueryResult<Option<String>> {
    shopper_bars::table
        .filter(shopper_bars::shopper_id.eq(shopper))
        .filter(shopper_bars::branch_id.eq(branch))
        .select(shopper_bars::reason)
        .first(conn)
        .optional()
}

/// Stores a bar. One that exists already fails with the database's unique violation, for the
/// caller to word.
pub fn insert(conn: &mut DbConnection, row: &BarRow) -> QueryResult<()> {
    diesel::insert_into(shopper_bars::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Deletes the bar of `shopper` from `branch`; whether there was one.
pub fn delete(conn: &mut DbConnection, shopper: &UserId, branch: &BranchId) -> QueryResult<bool> {
    let deleted = diesel::delete(
        shopper_bars::table
            .filter(shopper_bars::shopper_id.eq(shopper))
            .filter(shopper_bars::branch_id.eq(branch)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}
