//! The `action_items` table (a branch's action plans): its row and the reads the plans' handlers
//! and the reports share.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{ActionId, BranchId, UserId};
use crate::schema::action_items;
use crate::status::ActionStatus;

/// A stored action.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = action_items)]
pub struct ActionRow {
    /// Id.
    pub id: ActionId,
    /// The branch whose plan it is in.
    pub branch_id: BranchId,
    /// The period it answers, as a canonical label.
    pub period: String,
    /// The checklist item it is about, if any.
    pub item_key: Option<String>,
    /// The checklist section it is about, if any.
    pub section_key: Option<String>,
    /// What will be done.
    pub action: String,
    /// Who will do it.
    pub owner: String,
    /// Due date.
    pub due_on: NaiveDate,
    /// Where it stands.
    pub status: ActionStatus,
    /// When it was marked done.
    pub done_at: Option<NaiveDateTime>,
    /// Recorded.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// The actions of branch `branch_id` (only those of `period`, a canonical label, when given),
/// by period, due date and creation.
pub fn of_branch(
    conn: &mut DbConnection,
    branch_id: &BranchId,
    period: Option<&str>,
) -> QueryResult<Vec<ActionRow>> {
    let mut query = action_items::table
        .filter(action_items::branch_id.eq(branch_id.clone()))
        .select(ActionRow::as_select())
        .order((
            action_items::period,
            action_items::due_on,
            action_items::created_at,
            action_items::id,
        ))
        .into_boxed();
    if let Some(p) = period {
        query = query.filter(action_items::period.eq(p.to_owned()));
    }
    query.load(conn)
}

/// Action `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &ActionId) -> QueryResult<Option<ActionRow>> {
    action_items::table
        .find(id)
        .select(ActionRow::as_select())
        .first(conn)
        .optional()
}

/// Every action (of period `period` when given), in no particular order.
pub fn all(conn: &mut DbConnection, period: Option<&str>) -> QueryResult<Vec<ActionRow>> {
    let mut query = action_items::table
        .select(ActionRow::as_select())
        .into_boxed();
    if let Some(period) = period {
        query = query.filter(action_items::period.eq(period.to_owned()));
    }
    query.load(conn)
}

/// A new action.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = action_items)]
pub struct NewAction<'a> {
    /// Id.
    pub id: &'a ActionId,
    /// The branch whose plan it is in.
    pub branch_id: &'a BranchId,
    /// The period (`2026-11`, `2026-Q4`).
    pub period: &'a str,
    /// The item it answers, if any.
    pub item_key: Option<&'a str>,
    /// The section it answers, if any.
    pub section_key: Option<&'a str>,
    /// What is to be done.
    pub action: &'a str,
    /// Who does it.
    pub owner: &'a str,
    /// By when.
    pub due_on: NaiveDate,
    /// Its status.
    pub status: ActionStatus,
    /// When it was done (a new action is done only in the demo's history).
    pub done_at: Option<NaiveDateTime>,
    /// Who wrote it.
    pub created_by: Option<&'a UserId>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Stores a new action.
pub fn insert(conn: &mut DbConnection, new: &NewAction<'_>) -> QueryResult<()> {
    diesel::insert_into(action_items::table)
        .values(new)
        .execute(conn)
        .map(|_| ())
}

/// What a change writes to an action: every field, its due date only when given.
#[derive(Debug, Clone)]
pub struct ActionPatch<'a> {
    /// What is to be done.
    pub action: &'a str,
    /// Who does it.
    pub owner: &'a str,
    /// Its status.
    pub status: ActionStatus,
    /// When it was done (`None` while it is not).
    pub done_at: Option<NaiveDateTime>,
    /// A new due date, if any.
    pub due_on: Option<NaiveDate>,
    /// When.
    pub updated_at: NaiveDateTime,
}

/// Writes `patch` to action `id`.
pub fn update(conn: &mut DbConnection, id: &ActionId, patch: &ActionPatch<'_>) -> QueryResult<()> {
    diesel::update(action_items::table.find(id))
        .set((
            action_items::action.eq(patch.action),
            action_items::owner.eq(patch.owner),
            action_items::status.eq(patch.status),
            action_items::done_at.eq(patch.done_at),
            action_items::updated_at.eq(patch.updated_at),
        ))
        .execute(conn)?;
    if let Some(due_on) = patch.due_on {
        diesel::update(action_items::table.find(id))
            .set(action_items::due_on.eq(due_on))
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes action `id`.
pub fn delete(conn: &mut DbConnection, id: &ActionId) -> QueryResult<()> {
    diesel::delete(action_items::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// The actions not done whose due date is `today` or earlier, as (id, branch, period, due on).
pub fn due_undone(
    conn: &mut DbConnection,
    today: NaiveDate,
) -> QueryResult<Vec<(ActionId, BranchId, String, NaiveDate)>> {
    action_items::table
        .filter(action_items::status.ne(ActionStatus::Done))
        .filter(action_items::due_on.le(today))
        .select((
            action_items::id,
            action_items::branch_id,
            action_items::period,
            action_items::due_on,
        ))
        .load(conn)
}
