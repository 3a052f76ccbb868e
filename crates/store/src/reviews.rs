//! The `reviews` table (QA's decision on one submission of a visit, with its notes): its row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{ReviewId, UserId, VisitId};
use crate::schema::reviews;
use crate::status::AssignmentStatus;

/// A stored review.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reviews)]
pub struct ReviewRow {
    /// Id.
    pub id: ReviewId,
    /// The visit reviewed.
    pub visit_id: VisitId,
    /// The submission reviewed.
    pub revision: i32,
    /// The reviewer.
    pub reviewer_id: UserId,
    /// The state the visit moved to: approved, returned or rejected.
    pub decision: AssignmentStatus,
    /// General note.
    pub note: String,
    /// Comments by item key (JSON object).
    pub item_comments: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// The reviews of visit `visit`, newest first.
pub fn of_visit(conn: &mut DbConnection, visit: &VisitId) -> QueryResult<Vec<ReviewRow>> {
    reviews::table
        .filter(reviews::visit_id.eq(visit))
        .select(ReviewRow::as_select())
        .order((reviews::created_at.desc(), reviews::id.desc()))
        .load(conn)
}

/// Stores a review.
pub fn insert(conn: &mut DbConnection, row: &ReviewRow) -> QueryResult<()> {
    diesel::insert_into(reviews::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}
