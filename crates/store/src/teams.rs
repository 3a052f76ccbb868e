//! The `teams` table: its row, and the statements the API and the demo seed share (the
//! spreadsheet import adds teams in batches with [`crate::insert_all!`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{BranchId, TeamId};
use crate::names::{Names, names_to_db};
use crate::schema::{branches, teams, user_scopes};

/// Every team's id, branch and code (what scoring needs to name teams).
pub fn codes(conn: &mut DbConnection) -> QueryResult<Vec<(TeamId, BranchId, String)>> {
    teams::table
        .select((teams::id, teams::branch_id, teams::code))
        .load(conn)
}

/// A stored team.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    /// Id.
    pub id: TeamId,
    /// The branch it belongs to.
    pub branch_id: BranchId,
    /// Code, unique within its branch.
    pub code: String,
    /// Name per language as stored (JSON, see [`crate::names`]).
    pub names: String,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Teams with their branch's code (a team's key is `BRANCH/TEAM`), by branch code and team code:
/// all of them, or the one with `id`, or those of `branch`.
pub fn with_branch_codes(
    conn: &mut DbConnection,
    id: Option<&TeamId>,
    branch: Option<&BranchId>,
) -> QueryResult<Vec<(TeamRow, String)>> {
    let mut query = teams::table
        .inner_join(branches::table)
        .select((TeamRow::as_select(), branches::code))
        .order((branches::code, teams::code))
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(teams::id.eq(id.clone()));
    }
    if let Some(branch) = branch {
        query = query.filter(teams::branch_id.eq(branch.clone()));
    }
    query.load(conn)
}

/// Stores a new team of `branch_id` at `now`. A code the branch already has fails with the
/// database's unique violation, for the caller to word.
pub fn insert(
    conn: &mut DbConnection,
    branch_id: &BranchId,
    code: &str,
    names: &Names,
    now: NaiveDateTime,
) -> QueryResult<TeamRow> {
    let row = TeamRow {
        id: TeamId::generate(),
        branch_id: branch_id.clone(),
        code: code.to_owned(),
        names: names_to_db(names),
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(&row.id),
            teams::branch_id.eq(&row.branch_id),
            teams::code.eq(&row.code),
            teams::names.eq(&row.names),
            teams::created_at.eq(now),
            teams::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(row)
}

/// Writes `row`'s code and names, changed at `row.updated_at`; the number of rows changed.
pub fn update(conn: &mut DbConnection, row: &TeamRow) -> QueryResult<usize> {
    diesel::update(teams::table.find(&row.id))
        .set((
            teams::code.eq(&row.code),
            teams::names.eq(&row.names),
            teams::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
}

/// Deletes team `id` and the scopes that named it; the number of teams deleted. Records that
/// still refer to the team (visits, assignments) make the foreign key refuse it.
pub fn delete(conn: &mut DbConnection, id: &TeamId) -> QueryResult<usize> {
    let deleted = diesel::delete(teams::table.find(id)).execute(conn)?;
    if deleted > 0 {
        diesel::delete(user_scopes::table.filter(user_scopes::target_id.eq(id.as_str())))
            .execute(conn)?;
    }
    Ok(deleted)
}

/// The branch team `id` belongs to; `None` when there is no such team.
pub fn branch_of(conn: &mut DbConnection, id: &TeamId) -> QueryResult<Option<BranchId>> {
    teams::table
        .find(id)
        .select(teams::branch_id)
        .first(conn)
        .optional()
}

/// Whether team `id` exists.
pub fn exists(conn: &mut DbConnection, id: &TeamId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(teams::table.find(id))).get_result(conn)
}

/// The branches of the teams among `ids` (one per team found).
pub fn branches_of(conn: &mut DbConnection, ids: &[TeamId]) -> QueryResult<Vec<BranchId>> {
    teams::table
        .filter(teams::id.eq_any(ids))
        .select(teams::branch_id)
        .load(conn)
}

/// The teams of the branches among `branches`.
pub fn ids_in_branches(conn: &mut DbConnection, branches: &[BranchId]) -> QueryResult<Vec<TeamId>> {
    teams::table
        .filter(teams::branch_id.eq_any(branches))
        .select(teams::id)
        .load(conn)
}

/// Stores many new teams in multi-row statements (a spreadsheet import).
pub fn insert_many(conn: &mut DbConnection, rows: &[TeamRow]) -> QueryResult<()> {
    crate::insert_all!(conn, teams::table, rows);
    Ok(())
}

/// Every team as (its branch's code, its code, its id): a team's key is `BRANCH/TEAM`.
pub fn ids_by_key(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, TeamId)>> {
    teams::table
        .inner_join(branches::table)
        .select((branches::code, teams::code, teams::id))
        .load(conn)
}
