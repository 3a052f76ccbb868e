//! The `action_items` table (a branch's action plans): its row and the reads the plans' handlers
//! and the reports share.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{ActionId, BranchId};
use crate::schema::action_items;

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
    /// One of [`crate::status::action`].
    pub status: String,
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
