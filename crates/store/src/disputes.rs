//! The `disputes` table (a manager's challenge of one item of an approved visit): its row, the
//! filtered list with what rendering needs of each visit, filing and resolving.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{BranchId, ChecklistId, DisputeId, UserId, VisitId};
use crate::schema::disputes;
use crate::status::DisputeStatus;

/// A stored dispute.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
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
    /// Where it stands.
    pub status: DisputeStatus,
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

/// A dispute with what its rendering needs of its visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// The dispute.
    pub dispute: DisputeRow,
    /// The visit's branch.
    pub branch_id: BranchId,
    /// That branch's code.
    pub branch_code: String,
    /// The visit's checklist version.
    pub checklist_id: ChecklistId,
    /// The visit's answers as stored (JSON).
    pub answers: String,
    /// The visit's comments as stored (JSON).
    pub comments: String,
}

/// Which disputes [`list`] returns; every filter given must match.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this one.
    pub id: Option<DisputeId>,
    /// Only in this status.
    pub status: Option<DisputeStatus>,
    /// Only on visits of this branch.
    pub branch: Option<BranchId>,
    /// Only on this visit.
    pub visit: Option<VisitId>,
    /// Only on visits of these branches (a manager's reach).
    pub branches: Option<Vec<BranchId>>,
}

/// The disputes `filter` selects, newest first.
pub fn list(conn: &mut DbConnection, filter: Filter) -> QueryResult<Vec<Listed>> {
    use crate::schema::{branches, visits};
    let mut query = disputes::table
        .inner_join(visits::table)
        .inner_join(branches::table.on(branches::id.eq(visits::branch_id)))
        .select((
            DisputeRow::as_select(),
            visits::branch_id,
            branches::code,
            visits::checklist_id,
            visits::answers,
            visits::comments,
        ))
        .order((disputes::created_at.desc(), disputes::id.desc()))
        .into_boxed();
    if let Some(id) = filter.id {
        query = query.filter(disputes::id.eq(id));
    }
    if let Some(status) = filter.status {
        query = query.filter(disputes::status.eq(status));
    }
    if let Some(branch) = filter.branch {
        query = query.filter(visits::branch_id.eq(branch));
    }
    if let Some(visit) = filter.visit {
        query = query.filter(disputes::visit_id.eq(visit));
    }
    if let Some(branches) = filter.branches {
        query = query.filter(visits::branch_id.eq_any(branches));
    }
    Ok(query
        .load::<(DisputeRow, BranchId, String, ChecklistId, String, String)>(conn)?
        .into_iter()
        .map(
            |(dispute, branch_id, branch_code, checklist_id, answers, comments)| Listed {
                dispute,
                branch_id,
                branch_code,
                checklist_id,
                answers,
                comments,
            },
        )
        .collect())
}

/// Dispute `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &DisputeId) -> QueryResult<Option<DisputeRow>> {
    disputes::table
        .find(id)
        .select(DisputeRow::as_select())
        .first(conn)
        .optional()
}

/// The statuses of the disputes of `item` on `visit` that still stand: open or overturned (an
/// upheld one may be disputed again).
pub fn standing(
    conn: &mut DbConnection,
    visit: &VisitId,
    item: &str,
) -> QueryResult<Vec<DisputeStatus>> {
    disputes::table
        .filter(disputes::visit_id.eq(visit))
        .filter(disputes::item_key.eq(item))
        .filter(disputes::status.ne(DisputeStatus::Upheld))
        .select(disputes::status)
        .load(conn)
}

/// Stores a new dispute.
pub fn insert(conn: &mut DbConnection, row: &DisputeRow) -> QueryResult<()> {
    diesel::insert_into(disputes::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// What QA decided about a dispute.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    /// Upheld or overturned.
    pub outcome: DisputeStatus,
    /// Why.
    pub reason: &'a str,
    /// Who decided.
    pub by: &'a UserId,
    /// When.
    pub at: NaiveDateTime,
}

/// Records `decision` on dispute `id` if it is still open; whether it was (one conditional
/// statement: of two concurrent decisions only one finds it open).
pub fn resolve(
    conn: &mut DbConnection,
    id: &DisputeId,
    decision: &Decision<'_>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        disputes::table
            .filter(disputes::id.eq(id))
            .filter(disputes::status.eq(DisputeStatus::Open)),
    )
    .set((
        disputes::status.eq(decision.outcome),
        disputes::resolution.eq(decision.reason),
        disputes::resolved_by.eq(decision.by),
        disputes::resolved_at.eq(decision.at),
        disputes::updated_at.eq(decision.at),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// The items of `visit` whose dispute was overturned (they count as N/A).
pub fn overturned_items(conn: &mut DbConnection, visit: &VisitId) -> QueryResult<Vec<String>> {
    disputes::table
        .filter(disputes::visit_id.eq(visit))
        .filter(disputes::status.eq(DisputeStatus::Overturned))
        .select(disputes::item_key)
        .load(conn)
}

/// The overturned items of each of `visits`, as (visit, item) pairs.
pub fn overturned_of(
    conn: &mut DbConnection,
    visits: &[&VisitId],
) -> QueryResult<Vec<(VisitId, String)>> {
    disputes::table
        .filter(disputes::status.eq(DisputeStatus::Overturned))
        .filter(disputes::visit_id.eq_any(visits))
        .select((disputes::visit_id, disputes::item_key))
        .load(conn)
}

/// Every overturned item, as (visit, item) pairs (what scoring leaves out).
pub fn all_overturned(conn: &mut DbConnection) -> QueryResult<Vec<(VisitId, String)>> {
    disputes::table
        .filter(disputes::status.eq(DisputeStatus::Overturned))
        .select((disputes::visit_id, disputes::item_key))
        .load(conn)
}
