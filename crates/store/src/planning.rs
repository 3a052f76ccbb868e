//! Campaign planning queries: the shoppers a planner may pick, and a campaign's progress counted
//! in SQL (assignments grouped by branch, shopper and status, and those overdue).
//!
//! Plain rows only; the API turns them into its wire types.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::ids::{BranchId, CampaignId, UserId};
use super::schema::{assignments, branches, campaign_branches, campaigns, users};
use crate::status::{AssignmentStatus, Role};

/// A user named on a planning screen: id and display name.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct NamedUser {
    /// Id.
    pub id: UserId,
    /// Display name.
    pub name: String,
}

/// The active shoppers, by name.
pub fn active_shoppers(conn: &mut DbConnection) -> QueryResult<Vec<NamedUser>> {
    users::table
        .filter(users::role.eq(Role::Shopper))
        .filter(users::active.eq(true))
        .select((users::id, users::name))
        .order((users::name, users::id))
        .load(conn)
}

/// The statuses an assignment is overdue in once its window has ended: offered or accepted,
/// that is, not yet submitted.
pub const OVERDUE_STATUSES: [AssignmentStatus; 2] =
    [AssignmentStatus::Offered, AssignmentStatus::Accepted];

/// A branch of a campaign, as its progress board lists it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct CampaignBranch {
    /// Id.
    pub id: BranchId,
    /// Code.
    pub code: String,
    /// Names as stored (JSON, see [`crate::names`]).
    pub names: String,
}

/// How many of a campaign's assignments of one branch and shopper are in one status.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct StatusCount {
    /// The branch.
    pub branch_id: BranchId,
    /// The shopper.
    pub shopper_id: UserId,
    /// The status.
    pub status: AssignmentStatus,
    /// How many.
    pub count: i64,
}

/// How many of a campaign's assignments of one branch and shopper are overdue.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct OverdueCount {
    /// The branch.
    pub branch_id: BranchId,
    /// The shopper.
    pub shopper_id: UserId,
    /// How many.
    pub count: i64,
}

/// A campaign's assignments counted in the database.
#[derive(Debug, Default)]
pub struct ProgressRows {
    /// The campaign's branches, by code: each gets a line on the board, staffed or not.
    pub branches: Vec<CampaignBranch>,
    /// Assignments by branch, shopper and status.
    pub counts: Vec<StatusCount>,
    /// Assignments by branch and shopper whose window ended before `now` and that are still
    /// offered or accepted.
    pub overdue: Vec<OverdueCount>,
    /// The shoppers named in `counts`.
    pub shoppers: Vec<NamedUser>,
}

/// Counts the assignments of campaign `id` by branch, shopper and status, and those overdue at
/// `now`; `None` when there is no such campaign.
pub fn campaign_progress(
    conn: &mut DbConnection,
    id: &CampaignId,
    now: NaiveDateTime,
) -> QueryResult<Option<ProgressRows>> {
    let exists = campaigns::table
        .find(id)
        .select(campaigns::id)
        .first::<CampaignId>(conn)
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
        .load::<StatusCount>(conn)?;
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
        .load::<OverdueCount>(conn)?;
    let mut ids: Vec<&UserId> = counts.iter().map(|c| &c.shopper_id).collect();
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
#[derive(Debug, Clone, Queryable)]
pub struct LiveAssignment {
    /// The branch visited.
    pub branch_id: BranchId,
    /// The shopper it is given to.
    pub shopper_id: UserId,
    /// Where its window starts (a reassignment may have moved it inside the campaign's slot).
    pub window_start: NaiveDateTime,
}

/// The assignments of campaign `id` that still hold their visit, so that assigning the
/// campaign again fills only what is open.
pub fn live_assignments(
    conn: &mut DbConnection,
    id: &CampaignId,
) -> QueryResult<Vec<LiveAssignment>> {
    assignments::table
        .filter(assignments::campaign_id.eq(id))
        .filter(assignments::status.ne_all(AssignmentStatus::WITHDRAWN))
        .select((
            assignments::branch_id,
            assignments::shopper_id,
            assignments::window_start,
        ))
        .order(assignments::window_start)
        .load(conn)
}
