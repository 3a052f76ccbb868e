//! The `disputes` table (a manager's challenge of one item of an approved visit): its row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{BranchId, DisputeId, UserId, VisitId};
use crate::schema::disputes;

/// A stored dispute.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = disputes)]
pub struct DisputeRow {
    /// Id.
    pub id: DisputeId,
    /// The visit disputed.
    pub visit_id: VisitId,
    /// The item disputed.
    pub item_key: String,
    /// Why, in the manager's words.
    pub reason: String,
    /// What the manager offers as evidence.
    pub evidence: Option<String>,
    /// One of [`crate::status::dispute`].
    pub status: String,
    /// The manager who raised it.
    pub raised_by: UserId,
    /// QA's answer, once resolved.
    pub resolution: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<UserId>,
    /// When it was resolved.
    pub resolved_at: Option<NaiveDateTime>,
    /// Raised.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// The visit a dispute is about, as the dispute export shows it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct DisputedVisit {
    /// Visit id.
    pub id: VisitId,
    /// Its check-in, local time with its offset.
    pub checked_in_at: Option<String>,
    /// Its branch.
    pub branch_id: BranchId,
    /// Its checklist's key.
    pub checklist_key: String,
    /// Its checklist's version.
    pub checklist_version: i32,
}

/// Up to `limit` disputes after `after` (created time, then id), oldest first, with their
/// visits; only those on checklist `checklist_key` when given.
pub fn page_with_visits(
    conn: &mut DbConnection,
    after: Option<&(NaiveDateTime, DisputeId)>,
    checklist_key: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<(DisputeRow, DisputedVisit)>> {
    use crate::schema::{checklists, visits};
    let mut query = disputes::table
        .inner_join(visits::table.inner_join(checklists::table))
        .select((
            DisputeRow::as_select(),
            (
                visits::id,
                visits::checked_in_at,
                visits::branch_id,
                checklists::key,
                checklists::version,
            ),
        ))
        .order((disputes::created_at, disputes::id))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            disputes::created_at.gt(*at).or(disputes::created_at
                .eq(*at)
                .and(disputes::id.gt(id.clone()))),
        );
    }
    if let Some(key) = checklist_key {
        query = query.filter(checklists::key.eq(key.to_owned()));
    }
    query.load(conn)
}
