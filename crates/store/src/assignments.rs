//! The `assignments` table (a shopper's task to visit a branch in a window): its row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::assignments;

/// A stored assignment.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = assignments)]
pub struct AssignmentRow {
    /// Id.
    pub id: String,
    /// The campaign it was planned in, if any.
    pub campaign_id: Option<String>,
    /// The shopper.
    pub shopper_id: String,
    /// The branch to visit.
    pub branch_id: String,
    /// The team the visit is about, if any.
    pub team_id: Option<String>,
    /// The checklist version's row id.
    pub checklist_id: String,
    /// The window's start.
    pub window_start: NaiveDateTime,
    /// The window's end.
    pub window_end: NaiveDateTime,
    /// The scenario's key, if any.
    pub scenario: Option<String>,
    /// One of [`crate::status::assignment`].
    pub status: String,
    /// Who created it.
    pub created_by: Option<String>,
    /// The calibration group, for visits several shoppers make of one branch.
    pub calibration: Option<String>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Assignment `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AssignmentRow>> {
    assignments::table
        .find(id)
        .select(AssignmentRow::as_select())
        .first(conn)
        .optional()
}
