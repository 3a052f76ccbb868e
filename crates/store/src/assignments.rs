//! The `assignments` table (a shopper's task to visit a branch in a window): its row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{AssignmentId, BranchId, CampaignId, ChecklistId, TeamId, UserId, VisitId};
use crate::schema::assignments;

/// A stored assignment.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = assignments)]
pub struct AssignmentRow {
    /// Id.
    pub id: AssignmentId,
    /// The campaign it was planned in, if any.
    pub campaign_id: Option<CampaignId>,
    /// The shopper.
    pub shopper_id: UserId,
    /// The branch to visit.
    pub branch_id: BranchId,
    /// The team the visit is about, if any.
    pub team_id: Option<TeamId>,
    /// The checklist version's row id.
    pub checklist_id: ChecklistId,
    /// The window's start.
    pub window_start: NaiveDateTime,
    /// The window's end.
    pub window_end: NaiveDateTime,
    /// The scenario's key, if any.
    pub scenario: Option<String>,
    /// One of [`crate::status::assignment`].
    pub status: String,
    /// Who created it.
    pub created_by: Option<UserId>,
    /// The calibration group, for visits several shoppers make of one branch.
    pub calibration: Option<String>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Assignment `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &AssignmentId) -> QueryResult<Option<AssignmentRow>> {
    assignments::table
        .find(id)
        .select(AssignmentRow::as_select())
        .first(conn)
        .optional()
}

/// What filing a visit needs to know of its assignment, read in one query (every round trip
/// counts on the submission path): the assignment, its branch's place, the visit filed so far
/// and whether anything was uploaded for it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct FilingTarget {
    /// Assignment id.
    pub id: AssignmentId,
    /// The shopper.
    pub shopper_id: UserId,
    /// The branch.
    pub branch_id: BranchId,
    /// The team, if any.
    pub team_id: Option<TeamId>,
    /// The checklist version's row id.
    pub checklist_id: ChecklistId,
    /// The window's start.
    pub window_start: NaiveDateTime,
    /// The window's end.
    pub window_end: NaiveDateTime,
    /// One of [`crate::status::assignment`].
    pub status: String,
    /// The branch's latitude, when known.
    pub branch_lat: Option<f64>,
    /// The branch's longitude, when known.
    pub branch_lon: Option<f64>,
    /// The visit filed so far (draft or earlier revision), if any.
    pub visit_id: Option<VisitId>,
    /// Its revision.
    pub visit_revision: Option<i32>,
    /// Whether anything was uploaded for the assignment.
    pub has_uploads: bool,
}

/// [`FilingTarget`] of assignment `id`, if it exists.
pub fn filing_target(
    conn: &mut DbConnection,
    id: &AssignmentId,
) -> QueryResult<Option<FilingTarget>> {
    use crate::schema::{attachments, branches, visits};
    assignments::table
        .inner_join(branches::table)
        .left_join(visits::table)
        .filter(assignments::id.eq(id))
        .select((
            assignments::id,
            assignments::shopper_id,
            assignments::branch_id,
            assignments::team_id,
            assignments::checklist_id,
            assignments::window_start,
            assignments::window_end,
            assignments::status,
            branches::lat,
            branches::lon,
            visits::id.nullable(),
            visits::revision.nullable(),
            diesel::dsl::exists(attachments::table.filter(attachments::assignment_id.eq(id))),
        ))
        .first(conn)
        .optional()
}
