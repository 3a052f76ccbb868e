//! The `assignments` table (a shopper's task to visit a branch in a window): its row, the
//! filtered list, what a list refers to (read in a few batched queries), and status moves.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{AssignmentId, BranchId, CampaignId, ChecklistId, TeamId, UserId, VisitId};
use crate::schema::assignments;
use crate::status::AssignmentStatus;

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
    /// Where it stands.
    pub status: AssignmentStatus,
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
    /// Where it stands.
    pub status: AssignmentStatus,
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

/// Which assignments a list holds; every filter given must match.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this shopper's.
    pub shopper: Option<UserId>,
    /// Only in these statuses.
    pub statuses: Option<Vec<AssignmentStatus>>,
    /// Only this campaign's.
    pub campaign: Option<CampaignId>,
    /// Only this branch's.
    pub branch: Option<BranchId>,
}

/// The assignments `filter` selects, by window start.
pub fn list(conn: &mut DbConnection, filter: Filter) -> QueryResult<Vec<AssignmentRow>> {
    let mut query = assignments::table
        .select(AssignmentRow::as_select())
        .into_boxed();
    if let Some(shopper) = filter.shopper {
        query = query.filter(assignments::shopper_id.eq(shopper));
    }
    if let Some(statuses) = filter.statuses {
        query = query.filter(assignments::status.eq_any(statuses));
    }
    if let Some(campaign) = filter.campaign {
        query = query.filter(assignments::campaign_id.eq(campaign));
    }
    if let Some(branch) = filter.branch {
        query = query.filter(assignments::branch_id.eq(branch));
    }
    query
        .order((assignments::window_start, assignments::id))
        .load(conn)
}

/// A team as an assignment names it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct TeamBrief {
    /// Id.
    pub id: TeamId,
    /// Code.
    pub code: String,
    /// Names as stored.
    pub names: String,
}

/// A checklist version as an assignment names it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ChecklistBrief {
    /// Id.
    pub id: ChecklistId,
    /// Key.
    pub key: String,
    /// Version.
    pub version: i32,
}

/// The visit filed against an assignment.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct VisitBrief {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// The visit.
    pub id: VisitId,
    /// Its status.
    pub status: AssignmentStatus,
    /// Submissions so far.
    pub revision: i32,
}

/// A campaign's scenarios as stored (JSON), for the briefs shoppers read.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct CampaignScenarios {
    /// The campaign.
    pub id: CampaignId,
    /// Its scenarios as stored.
    pub scenarios: String,
}

/// What a list of assignments refers to, each read once for the whole list.
#[derive(Debug, Default)]
pub struct Related {
    /// Their branches.
    pub branches: Vec<crate::branches::BranchRow>,
    /// Their teams.
    pub teams: Vec<TeamBrief>,
    /// Their checklist versions.
    pub checklists: Vec<ChecklistBrief>,
    /// Their visits.
    pub visits: Vec<VisitBrief>,
    /// Their campaigns' scenarios.
    pub campaigns: Vec<CampaignScenarios>,
    /// Their shoppers' names (only when asked for).
    pub shoppers: Vec<crate::planning::NamedUser>,
}

/// Reads what `rows` refer to in six batched queries; the shoppers only `with_shoppers`.
pub fn related(
    conn: &mut DbConnection,
    rows: &[AssignmentRow],
    with_shoppers: bool,
) -> QueryResult<Related> {
    use crate::schema::{campaigns, checklists, teams, users, visits};
    /// The distinct keys `f` reads off the rows, sorted.
    fn keys<K: Clone + Ord>(
        rows: &[AssignmentRow],
        f: impl Fn(&AssignmentRow) -> Option<&K>,
    ) -> Vec<K> {
        let mut v: Vec<K> = rows.iter().filter_map(|r| f(r).cloned()).collect();
        v.sort();
        v.dedup();
        v
    }
    let branch_ids = keys(rows, |r| Some(&r.branch_id));
    let team_ids = keys(rows, |r| r.team_id.as_ref());
    let checklist_ids = keys(rows, |r| Some(&r.checklist_id));
    let assignment_ids = keys(rows, |r| Some(&r.id));
    let campaign_ids = keys(rows, |r| r.campaign_id.as_ref());
    Ok(Related {
        branches: crate::branches::by_ids(conn, &branch_ids)?,
        teams: teams::table
            .filter(teams::id.eq_any(&team_ids))
            .select((teams::id, teams::code, teams::names))
            .load(conn)?,
        checklists: checklists::table
            .filter(checklists::id.eq_any(&checklist_ids))
            .select((checklists::id, checklists::key, checklists::version))
            .load(conn)?,
        visits: visits::table
            .filter(visits::assignment_id.eq_any(&assignment_ids))
            .select((
                visits::assignment_id,
                visits::id,
                visits::status,
                visits::revision,
            ))
            .load(conn)?,
        campaigns: campaigns::table
            .filter(campaigns::id.eq_any(&campaign_ids))
            .select((campaigns::id, campaigns::scenarios))
            .load(conn)?,
        shoppers: if with_shoppers {
            users::table
                .filter(users::id.eq_any(keys(rows, |r| Some(&r.shopper_id))))
                .select((users::id, users::name))
                .load(conn)?
        } else {
            Vec::new()
        },
    })
}

/// Moves assignment `id` to status `to` at `now` if it is in one of `from`; whether it moved
/// (one conditional statement, so two concurrent moves cannot both succeed).
pub fn move_status(
    conn: &mut DbConnection,
    id: &AssignmentId,
    from: &[AssignmentStatus],
    to: AssignmentStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        assignments::table
            .filter(assignments::id.eq(id))
            .filter(assignments::status.eq_any(from)),
    )
    .set((assignments::status.eq(to), assignments::updated_at.eq(now)))
    .execute(conn)?;
    Ok(changed > 0)
}

/// A new assignment, offered to its shopper.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = assignments)]
pub struct NewAssignment<'a> {
    /// Its key.
    pub id: &'a AssignmentId,
    /// The campaign it is planned in, if any.
    pub campaign_id: Option<&'a CampaignId>,
    /// The shopper.
    pub shopper_id: &'a UserId,
    /// The branch.
    pub branch_id: &'a BranchId,
    /// The team, if the visit is about one.
    pub team_id: Option<&'a TeamId>,
    /// The checklist version's row id.
    pub checklist_id: &'a ChecklistId,
    /// The window's start.
    pub window_start: NaiveDateTime,
    /// The window's end.
    pub window_end: NaiveDateTime,
    /// The scenario's key, if any.
    pub scenario: Option<&'a str>,
    /// Always offered when new.
    pub status: AssignmentStatus,
    /// The calibration group, if any.
    pub calibration: Option<&'a str>,
    /// Who created it.
    pub created_by: &'a UserId,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Changed (= created).
    pub updated_at: NaiveDateTime,
}

/// Stores a new assignment.
pub fn insert(conn: &mut DbConnection, new: &NewAssignment<'_>) -> QueryResult<()> {
    diesel::insert_into(assignments::table)
        .values(new)
        .execute(conn)
        .map(|_| ())
}

/// The window start of a live assignment (not declined or cancelled) of `shopper` to `branch`
/// starting strictly within `window` of `start`, other than `except`, if there is one: what the
/// rotation rule forbids.
pub fn live_near(
    conn: &mut DbConnection,
    shopper: &UserId,
    branch: &BranchId,
    start: NaiveDateTime,
    window: chrono::TimeDelta,
    except: Option<&AssignmentId>,
) -> QueryResult<Option<NaiveDateTime>> {
    let mut query = assignments::table
        .filter(assignments::shopper_id.eq(shopper))
        .filter(assignments::branch_id.eq(branch))
        .filter(assignments::status.ne_all(AssignmentStatus::WITHDRAWN))
        .filter(assignments::window_start.gt(start - window))
        .filter(assignments::window_start.lt(start + window))
        .select(assignments::window_start)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(assignments::id.ne(id));
    }
    query.first(conn).optional()
}

/// Whether a visit (draft or filed) exists for assignment `id`.
pub fn has_visit(conn: &mut DbConnection, id: &AssignmentId) -> QueryResult<bool> {
    use crate::schema::visits;
    diesel::select(diesel::dsl::exists(
        visits::table.filter(visits::assignment_id.eq(id)),
    ))
    .get_result(conn)
}

/// Marks assignment `id` submitted at `now` if it is still open (offered, accepted or
/// returned); whether it was. Only one submission may move an assignment on: a concurrent one
/// finds it moved.
pub fn submit(conn: &mut DbConnection, id: &AssignmentId, now: NaiveDateTime) -> QueryResult<bool> {
    let moved = diesel::update(
        assignments::table
            .filter(assignments::id.eq(id))
            // Spelled out rather than `eq_any`, which PostgreSQL would parse anew each time:
            // this way diesel keeps the statement prepared (the hottest write there is).
            .filter(
                assignments::status
                    .eq(AssignmentStatus::Offered)
                    .or(assignments::status.eq(AssignmentStatus::Accepted))
                    .or(assignments::status.eq(AssignmentStatus::Returned)),
            ),
    )
    .set((
        assignments::status.eq(AssignmentStatus::Submitted),
        assignments::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(moved > 0)
}
