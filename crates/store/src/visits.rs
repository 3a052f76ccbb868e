//! The `visits` table (a shopper's visit of a branch, from check-in to approval): its row, and
//! the read the score computation makes of the approved ones.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{AssignmentId, BranchId, ChecklistId, TeamId, UserId, VisitId};
use crate::schema::{assignments, visits};
use crate::status::AssignmentStatus;

/// A stored visit.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = visits)]
pub struct VisitRow {
    /// Id.
    pub id: VisitId,
    /// The assignment it carries out.
    pub assignment_id: AssignmentId,
    /// The shopper who made it.
    pub shopper_id: UserId,
    /// The branch visited.
    pub branch_id: BranchId,
    /// The team it is about, if any.
    pub team_id: Option<TeamId>,
    /// The checklist version's row id.
    pub checklist_id: ChecklistId,
    /// Where it stands (a visit shares its assignment's states).
    pub status: AssignmentStatus,
    /// Submissions so far (a returned visit is submitted again).
    pub revision: i32,
    /// Answers by item key (JSON object).
    pub answers: String,
    /// Comments by item key (JSON object).
    pub comments: String,
    /// Check-in, local time with its offset (RFC 3339), as the phone reported it.
    pub checked_in_at: Option<String>,
    /// Check-in in UTC, for ordering and period windows.
    pub checked_in_utc: Option<NaiveDateTime>,
    /// Where the phone was at check-in.
    pub lat: Option<f64>,
    /// Where the phone was at check-in.
    pub lon: Option<f64>,
    /// Seconds from check-in to submission.
    pub duration_s: Option<f64>,
    /// Plausibility flags (JSON array), for QA only.
    pub flags: String,
    /// Last submitted.
    pub submitted_at: Option<NaiveDateTime>,
    /// Approved.
    pub approved_at: Option<NaiveDateTime>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// Attachment ids by item key as submitted (JSON object); `None` for visits submitted
    /// before submissions kept their evidence.
    pub evidence: Option<String>,
}

/// Visit `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &VisitId) -> QueryResult<Option<VisitRow>> {
    visits::table
        .find(id)
        .select(VisitRow::as_select())
        .first(conn)
        .optional()
}

/// What scoring reads of an approved visit (and of its assignment).
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ApprovedVisit {
    /// Visit id.
    pub id: VisitId,
    /// The checklist version's row id.
    pub checklist_id: ChecklistId,
    /// The branch visited.
    pub branch_id: BranchId,
    /// The team it is about, if any.
    pub team_id: Option<TeamId>,
    /// The shopper who made it.
    pub shopper_id: UserId,
    /// The assignment's scenario key, if any.
    pub scenario: Option<String>,
    /// Check-in, local time with its offset (RFC 3339).
    pub checked_in_at: Option<String>,
    /// Seconds from check-in to submission.
    pub duration_s: Option<f64>,
    /// Answers by item key (JSON object).
    pub answers: String,
    /// The assignment's calibration group, if any.
    pub calibration: Option<String>,
}

/// The approved visits, by check-in (UTC) then id; only those checked in within
/// `[from, to)` (UTC) when a window is given.
pub fn approved(
    conn: &mut DbConnection,
    window: Option<(NaiveDateTime, NaiveDateTime)>,
) -> QueryResult<Vec<ApprovedVisit>> {
    let mut query = visits::table
        .inner_join(assignments::table)
        .filter(visits::status.eq(AssignmentStatus::Approved))
        .select((
            visits::id,
            visits::checklist_id,
            visits::branch_id,
            visits::team_id,
            visits::shopper_id,
            assignments::scenario,
            visits::checked_in_at,
            visits::duration_s,
            visits::answers,
            assignments::calibration,
        ))
        .order((visits::checked_in_utc, visits::id))
        .into_boxed();
    if let Some((from, to)) = window {
        query = query
            .filter(visits::checked_in_utc.ge(from))
            .filter(visits::checked_in_utc.lt(to));
    }
    query.load(conn)
}

/// A visit in QA's review queue, with what the queue shows of its branch, checklist and
/// shopper.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct QueuedVisit {
    /// Visit id.
    pub id: VisitId,
    /// The assignment it carries out.
    pub assignment_id: AssignmentId,
    /// The branch visited.
    pub branch_id: BranchId,
    /// The branch's code.
    pub branch_code: String,
    /// The checklist's key.
    pub checklist_key: String,
    /// The checklist's version.
    pub checklist_version: i32,
    /// The shopper.
    pub shopper_id: UserId,
    /// The shopper's name (QA may see it; managers never do).
    pub shopper_name: String,
    /// Submissions so far.
    pub revision: i32,
    /// Check-in, local time with its offset.
    pub checked_in_at: Option<String>,
    /// Last submitted.
    pub submitted_at: Option<NaiveDateTime>,
    /// Plausibility flags (JSON array).
    pub flags: String,
}

/// The visits in state `status` (of those of `branch` when given), oldest submission first.
pub fn queue(
    conn: &mut DbConnection,
    status: AssignmentStatus,
    branch: Option<&BranchId>,
) -> QueryResult<Vec<QueuedVisit>> {
    use crate::schema::{branches, checklists, users};
    let mut query = visits::table
        .inner_join(branches::table.on(branches::id.eq(visits::branch_id)))
        .inner_join(checklists::table)
        .inner_join(users::table.on(users::id.eq(visits::shopper_id)))
        .filter(visits::status.eq(status))
        .select((
            visits::id,
            visits::assignment_id,
            visits::branch_id,
            branches::code,
            checklists::key,
            checklists::version,
            visits::shopper_id,
            users::name,
            visits::revision,
            visits::checked_in_at,
            visits::submitted_at,
            visits::flags,
        ))
        .order((visits::submitted_at, visits::id))
        .into_boxed();
    if let Some(branch) = branch {
        query = query.filter(visits::branch_id.eq(branch.clone()));
    }
    query.load(conn)
}

/// One stored submission of a visit (a returned visit is submitted again; each is kept).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::schema::visit_revisions)]
pub struct RevisionRow {
    /// The visit.
    pub visit_id: VisitId,
    /// 1 for the first submission.
    pub revision: i32,
    /// Answers by item key (JSON object).
    pub answers: String,
    /// Comments by item key (JSON object).
    pub comments: String,
    /// Check-in, local time with its offset.
    pub checked_in_at: String,
    /// Where the phone was at check-in.
    pub lat: Option<f64>,
    /// Where the phone was at check-in.
    pub lon: Option<f64>,
    /// Seconds from check-in to submission.
    pub duration_s: Option<f64>,
    /// Submitted.
    pub submitted_at: NaiveDateTime,
    /// Attachment ids by item key as submitted (JSON object), when kept.
    pub evidence: Option<String>,
    /// Plausibility flags (JSON array); `[]` for revisions stored before flags were kept.
    pub flags: String,
}

/// The submissions of visit `visit`, first first.
pub fn revisions(conn: &mut DbConnection, visit: &VisitId) -> QueryResult<Vec<RevisionRow>> {
    use crate::schema::visit_revisions;
    visit_revisions::table
        .filter(visit_revisions::visit_id.eq(visit))
        .select(RevisionRow::as_select())
        .order(visit_revisions::revision)
        .load(conn)
}

/// Whose approved visits [`approved_answers`] reads.
#[derive(Debug, Clone, Copy)]
pub enum Of<'a> {
    /// A branch's (all its teams').
    Branch(&'a BranchId),
    /// One team's.
    Team(&'a TeamId),
}

/// An approved visit's answers and comments, for a report's evidence.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct AnsweredVisit {
    /// Visit id.
    pub id: VisitId,
    /// The checklist version's row id.
    pub checklist_id: ChecklistId,
    /// Check-in, local time with its offset.
    pub checked_in_at: Option<String>,
    /// Answers by item key (JSON object).
    pub answers: String,
    /// Comments by item key (JSON object).
    pub comments: String,
}

/// The approved visits of a branch or team, by check-in (UTC) then id.
pub fn approved_answers(conn: &mut DbConnection, of: Of<'_>) -> QueryResult<Vec<AnsweredVisit>> {
    let query = visits::table
        .filter(visits::status.eq(AssignmentStatus::Approved))
        .select((
            visits::id,
            visits::checklist_id,
            visits::checked_in_at,
            visits::answers,
            visits::comments,
        ))
        .order((visits::checked_in_utc, visits::id))
        .into_boxed();
    match of {
        Of::Branch(id) => query.filter(visits::branch_id.eq(id.clone())),
        Of::Team(id) => query.filter(visits::team_id.eq(id.clone())),
    }
    .load(conn)
}

/// On PostgreSQL, locks visit `id`'s row until the transaction ends, so that two concurrent
/// writes about one visit queue and the second sees the first (on SQLite the writer's lock,
/// taken before the transaction reads, does this).
pub fn lock(conn: &mut DbConnection, id: &VisitId) -> QueryResult<()> {
    if let DbConnection::Postgresql(_) = conn {
        diesel::sql_query("SELECT id FROM visits WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(id)
            .execute(conn)?;
    }
    Ok(())
}

/// The status of the visit filed against assignment `id`, if there is one.
pub fn status_of_assignment(
    conn: &mut DbConnection,
    id: &AssignmentId,
) -> QueryResult<Option<AssignmentStatus>> {
    visits::table
        .filter(visits::assignment_id.eq(id))
        .select(visits::status)
        .first(conn)
        .optional()
}

/// Moves visit `id` from submitted to `to` (approved, returned or rejected) at `now`, and its
/// assignment with it; whether it was submitted (one conditional statement: of two concurrent
/// reviews only one finds it so).
pub fn decide(
    conn: &mut DbConnection,
    id: &VisitId,
    assignment: &AssignmentId,
    to: AssignmentStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        visits::table
            .filter(visits::id.eq(id))
            .filter(visits::status.eq(AssignmentStatus::Submitted)),
    )
    .set((
        visits::status.eq(to),
        visits::approved_at.eq((to == AssignmentStatus::Approved).then_some(now)),
        visits::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::update(assignments::table.find(assignment))
        .set((assignments::status.eq(to), assignments::updated_at.eq(now)))
        .execute(conn)?;
    Ok(true)
}

/// What deciding who may read a visit needs of it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct VisitAccess {
    /// Whose it is.
    pub shopper_id: UserId,
    /// The branch visited.
    pub branch_id: BranchId,
    /// Its status.
    pub status: AssignmentStatus,
}

/// [`VisitAccess`] of visit `id`, if it exists (without its answers: every read of a visit
/// asks this first).
pub fn access_of(conn: &mut DbConnection, id: &VisitId) -> QueryResult<Option<VisitAccess>> {
    visits::table
        .find(id)
        .select((visits::shopper_id, visits::branch_id, visits::status))
        .first(conn)
        .optional()
}

/// The approved visits of `branch` with their check-in time as filed, by check-in time.
pub fn approved_of_branch(
    conn: &mut DbConnection,
    branch: &BranchId,
) -> QueryResult<Vec<(VisitId, Option<String>)>> {
    visits::table
        .filter(visits::branch_id.eq(branch))
        .filter(visits::status.eq(AssignmentStatus::Approved))
        .select((visits::id, visits::checked_in_at))
        .order((visits::checked_in_at.asc(), visits::id.asc()))
        .load(conn)
}

/// Who files a new visit, for what: copied from its assignment when the visit is first stored.
#[derive(Debug, Clone)]
pub struct Filing<'a> {
    /// The new visit's id.
    pub id: &'a VisitId,
    /// Its assignment.
    pub assignment_id: &'a AssignmentId,
    /// The shopper.
    pub shopper_id: &'a UserId,
    /// The branch.
    pub branch_id: &'a BranchId,
    /// The team, if one is evaluated.
    pub team_id: Option<&'a TeamId>,
    /// The checklist version.
    pub checklist_id: &'a ChecklistId,
}

/// What a draft holds.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    /// Answers (JSON).
    pub answers: &'a str,
    /// Comments (JSON).
    pub comments: &'a str,
    /// Check-in time as the shopper's device gave it, and in UTC.
    pub checked_in: Option<(&'a str, NaiveDateTime)>,
    /// Where the shopper was.
    pub location: Option<(f64, f64)>,
    /// How long the visit took, in seconds.
    pub duration_s: Option<f64>,
}

/// Saves `draft` at `now`: over the visit `existing`, or as a new draft visit `new`.
pub fn save_draft(
    conn: &mut DbConnection,
    existing: Option<&VisitId>,
    new: &Filing<'_>,
    draft: &Draft<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (lat, lon) = draft.location.unzip();
    let saved = (
        visits::answers.eq(draft.answers),
        visits::comments.eq(draft.comments),
        visits::checked_in_at.eq(draft.checked_in.map(|c| c.0)),
        visits::checked_in_utc.eq(draft.checked_in.map(|c| c.1)),
        visits::lat.eq(lat),
        visits::lon.eq(lon),
        visits::duration_s.eq(draft.duration_s),
        visits::updated_at.eq(now),
    );
    match existing {
        Some(id) => diesel::update(visits::table.find(id))
            .set(saved)
            .execute(conn)?,
        None => diesel::insert_into(visits::table)
            .values((
                (
                    visits::id.eq(new.id),
                    visits::assignment_id.eq(new.assignment_id),
                    visits::shopper_id.eq(new.shopper_id),
                    visits::branch_id.eq(new.branch_id),
                    visits::team_id.eq(new.team_id),
                    visits::checklist_id.eq(new.checklist_id),
                    visits::status.eq(AssignmentStatus::Draft),
                    visits::revision.eq(0),
                    visits::flags.eq("[]"),
                    visits::created_at.eq(now),
                ),
                saved,
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// What a submission writes: the visit's new state and its revision.
#[derive(Debug, Clone)]
pub struct Submitted<'a> {
    /// The revision it makes (1 for the first submission).
    pub revision: i32,
    /// Answers (JSON).
    pub answers: &'a str,
    /// Comments (JSON).
    pub comments: &'a str,
    /// Check-in time as the shopper's device gave it.
    pub checked_in_at: &'a str,
    /// The same in UTC.
    pub checked_in_utc: NaiveDateTime,
    /// Where the shopper was.
    pub location: Option<(f64, f64)>,
    /// How long the visit took, in seconds.
    pub duration_s: Option<f64>,
    /// Plausibility flags (JSON).
    pub flags: &'a str,
    /// The evidence named (JSON).
    pub evidence: &'a str,
}

/// Stores submission `s` at `now` — over the visit `existing`, or as the new visit `new` — and
/// keeps it as its revision.
pub fn file_submission(
    conn: &mut DbConnection,
    existing: Option<&VisitId>,
    new: &Filing<'_>,
    s: &Submitted<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    use crate::schema::visit_revisions;
    let (lat, lon) = s.location.unzip();
    let submitted = (
        visits::status.eq(AssignmentStatus::Submitted),
        visits::revision.eq(s.revision),
        visits::answers.eq(s.answers),
        visits::comments.eq(s.comments),
        visits::checked_in_at.eq(s.checked_in_at),
        visits::checked_in_utc.eq(s.checked_in_utc),
        visits::lat.eq(lat),
        visits::lon.eq(lon),
        visits::duration_s.eq(s.duration_s),
        visits::flags.eq(s.flags),
        visits::submitted_at.eq(now),
        visits::updated_at.eq(now),
        visits::evidence.eq(Some(s.evidence)),
    );
    let visit_id = match existing {
        Some(id) => {
            diesel::update(visits::table.find(id))
                .set(submitted)
                .execute(conn)?;
            id
        }
        None => {
            diesel::insert_into(visits::table)
                .values((
                    (
                        visits::id.eq(new.id),
                        visits::assignment_id.eq(new.assignment_id),
                        visits::shopper_id.eq(new.shopper_id),
                        visits::branch_id.eq(new.branch_id),
                        visits::team_id.eq(new.team_id),
                        visits::checklist_id.eq(new.checklist_id),
                        visits::created_at.eq(now),
                    ),
                    submitted,
                ))
                .execute(conn)?;
            new.id
        }
    };
    diesel::insert_into(visit_revisions::table)
        .values((
            visit_revisions::visit_id.eq(visit_id),
            visit_revisions::revision.eq(s.revision),
            visit_revisions::answers.eq(s.answers),
            visit_revisions::comments.eq(s.comments),
            visit_revisions::checked_in_at.eq(s.checked_in_at),
            visit_revisions::lat.eq(lat),
            visit_revisions::lon.eq(lon),
            visit_revisions::duration_s.eq(s.duration_s),
            visit_revisions::submitted_at.eq(now),
            visit_revisions::evidence.eq(Some(s.evidence)),
            visit_revisions::flags.eq(s.flags),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores a visit as filed, with its revision, as it stands (the demo's history: approved
/// visits with their dates). The field's own filing goes through [`file_submission`].
pub fn insert_filed(
    conn: &mut DbConnection,
    visit: &VisitRow,
    revision: &RevisionRow,
) -> QueryResult<()> {
    use crate::schema::visit_revisions;
    diesel::insert_into(visits::table)
        .values(visit)
        .execute(conn)?;
    diesel::insert_into(visit_revisions::table)
        .values(revision)
        .execute(conn)
        .map(|_| ())
}

/// When each visit waiting for review was submitted.
pub fn waiting_since(conn: &mut DbConnection) -> QueryResult<Vec<NaiveDateTime>> {
    visits::table
        .filter(visits::status.eq(AssignmentStatus::Submitted))
        .filter(visits::submitted_at.is_not_null())
        .select(visits::submitted_at.assume_not_null())
        .load(conn)
}

/// How many approved visits have a local check-in date in month `period` (`YYYY-MM`: the
/// period of a visit is its own local date, written first in the stored text).
pub fn approved_in_month(conn: &mut DbConnection, period: &str) -> QueryResult<i64> {
    visits::table
        .filter(visits::status.eq(AssignmentStatus::Approved))
        .filter(visits::checked_in_at.like(format!("{period}-%")))
        .count()
        .get_result(conn)
}
