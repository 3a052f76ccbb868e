//! Campaign planning queries: the shoppers a planner may pick, and a campaign's progress counted
//! in SQL (assignments grouped by branch, shopper and status, and those overdue).
//!
//! Plain rows only; the API turns them into its wire types.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{assignments, branches, campaign_branches, campaigns, users};
use super::status;

/// An active shopper: (user id, display name), by name.
pub fn active_shoppers(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    users::table
        .filter(users::role.eq(status::role::SHOPPER))
        .filter(users::active.eq(true))
        .select((users::id, users::name))
        .order((users::name, users::id))
        .load(conn)
}

/// The statuses an assignment is overdue in once its window has ended: offered or accepted,
/// that is, not yet submitted.
pub const OVERDUE_STATUSES: [&str; 2] = [status::assignment::OFFERED, status::assignment::ACCEPTED];

/// A campaign's assignments counted in the database.
#[derive(Debug, Default)]
pub struct ProgressRows {
    /// The campaign's branches, (id, code, names as stored), by code: each gets a line on the
    /// board, staffed or not.
    pub branches: Vec<(String, String, String)>,
    /// (branch id, shopper id, status, count).
    pub counts: Vec<(String, String, String, i64)>,
    /// (branch id, shopper id, count) of assignments whose window ended before `now` and that
    /// are still offered or accepted.
    pub overdue: Vec<(String, String, i64)>,
    /// The shoppers named in `counts`, (id, name).
    pub shoppers: Vec<(String, String)>,
}

/// Counts the assignments of campaign `id` by branch, shopper and status, and those overdue at
/// `now`; `None` when there is no such campaign.
pub fn campaign_progress(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<ProgressRows>> {
    let exists = campaigns::table
        .find(id)
        .select(campaigns::id)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if !exists {
        return Ok(None);
    }
    let branches = branches::table
        .filter(
            branches::id.eq_any(
                campaign_branches::table
                    .filter(campaign_branches::campaign_id.eq(id))
                    .select(campaign_branches::branch_id),
            ),
        )
        .select((branches::id, branches::code, branches::names))
        .order(branches::code)
        .load(conn)?;
    let counts = assignments::table
        .filter(assignments::campaign_id.eq(id))
        .group_by((
            assignments::branch_id,
            assignments::shopper_id,
            assignments::status,
        ))
        .select((
            assignments::branch_id,
            assignments::shopper_id,
            assignments::status,
            diesel::dsl::count_star(),
        ))
        .load::<(String, String, String, i64)>(conn)?;
    let overdue = assignments::table
        .filter(assignments::campaign_id.eq(id))
        .filter(assignments::status.eq_any(OVERDUE_STATUSES))
        .filter(assignments::window_end.lt(now))
        .group_by((assignments::branch_id, assignments::shopper_id))
        .select((
            assignments::branch_id,
            assignments::shopper_id,
            diesel::dsl::count_star(),
        ))
        .load::<(String, String, i64)>(conn)?;
    let mut ids: Vec<&String> = counts.iter().map(|c| &c.1).collect();
    ids.sort();
    ids.dedup();
    let shoppers = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .order((users::name, users::id))
        .load(conn)?;
    Ok(Some(ProgressRows {
        branches,
        counts,
        overdue,
        shoppers,
    }))
}

/// A campaign's assignment that still holds its visit: neither declined nor cancelled.
#[derive(Debug, Clone)]
pub struct LiveAssignment {
    /// The branch visited.
    pub branch_id: String,
    /// The shopper it is given to.
    pub shopper_id: String,
    /// Where its window starts (a reassignment may have moved it inside the campaign's slot).
    pub window_start: NaiveDateTime,
}

/// The assignments of campaign `id` that still hold their visit, so that assigning the
/// campaign again fills only what is open.
pub fn live_assignments(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<LiveAssignment>> {
    Ok(assignments::table
        .filter(assignments::campaign_id.eq(id))
        .filter(assignments::status.ne_all(status::assignment::WITHDRAWN))
        .select((
            assignments::branch_id,
            assignments::shopper_id,
            assignments::window_start,
        ))
        .order(assignments::window_start)
        .load::<(String, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(branch_id, shopper_id, window_start)| LiveAssignment {
            branch_id,
            shopper_id,
            window_start,
        })
        .collect())
}
