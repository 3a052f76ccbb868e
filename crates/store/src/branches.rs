//! The `branches` table: its row, and the statements the API and the demo seed share (the
//! spreadsheet import adds branches in batches with [`crate::insert_all!`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{BranchId, RegionId, TeamId};
use crate::schema::{branches, regions, teams, user_scopes};

/// A stored branch.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = branches, treat_none_as_null = true)]
pub struct BranchRow {
    /// Id.
    pub id: BranchId,
    /// Code (`RUH-017`), unique.
    pub code: String,
    /// Its region.
    pub region_id: RegionId,
    /// Name per language as stored (JSON, see [`crate::names`]).
    pub names: String,
    /// City per language as stored.
    pub city: String,
    /// Latitude, with `lon`, or neither.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Branches with their region's code, by branch code: all of them, or the one with `id`, or
/// those of `region`.
pub fn with_region_codes(
    conn: &mut DbConnection,
    id: Option<&BranchId>,
    region: Option<&RegionId>,
) -> QueryResult<Vec<(BranchRow, String)>> {
    let mut query = branches::table
        .inner_join(regions::table)
        .select((BranchRow::as_select(), regions::code))
        .order(branches::code)
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(branches::id.eq(id.clone()));
    }
    if let Some(region) = region {
        query = query.filter(branches::region_id.eq(region.clone()));
    }
    query.load(conn)
}

/// Stores a new branch. A taken code fails with the database's unique violation, for the
/// caller to word.
pub fn insert(conn: &mut DbConnection, row: &BranchRow) -> QueryResult<()> {
    diesel::insert_into(branches::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Writes every field of `row` (a location of `None` clears it); the number of rows changed.
pub fn update(conn: &mut DbConnection, row: &BranchRow) -> QueryResult<usize> {
    diesel::update(branches::table.find(&row.id))
        .set(row)
        .execute(conn)
}

/// Deletes branch `id` with its teams (the foreign key cascades) and the scopes that named the
/// branch or one of its teams; the ids of the teams deleted, or `None` when there was no such
/// branch. Visits or assignments that still refer to it make the foreign key refuse it.
pub fn delete(conn: &mut DbConnection, id: &BranchId) -> QueryResult<Option<Vec<TeamId>>> {
    let team_ids: Vec<TeamId> = teams::table
        .filter(teams::branch_id.eq(id))
        .select(teams::id)
        .load(conn)?;
    if diesel::delete(branches::table.find(id)).execute(conn)? == 0 {
        return Ok(None);
    }
    let mut targets: Vec<&str> = team_ids.iter().map(TeamId::as_str).collect();
    targets.push(id.as_str());
    diesel::delete(user_scopes::table.filter(user_scopes::target_id.eq_any(&targets)))
        .execute(conn)?;
    Ok(Some(team_ids))
}

/// The branches among `ids` (unknown ids are left out).
pub fn by_ids(conn: &mut DbConnection, ids: &[BranchId]) -> QueryResult<Vec<BranchRow>> {
    branches::table
        .filter(branches::id.eq_any(ids))
        .select(BranchRow::as_select())
        .load(conn)
}

/// Every branch, in no particular order.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<BranchRow>> {
    branches::table.select(BranchRow::as_select()).load(conn)
}

/// Every branch's id, code and region (what scoring needs to name and group branches).
pub fn codes(conn: &mut DbConnection) -> QueryResult<Vec<(BranchId, String, RegionId)>> {
    branches::table
        .select((branches::id, branches::code, branches::region_id))
        .load(conn)
}

/// Whether branch `id` exists.
pub fn exists(conn: &mut DbConnection, id: &BranchId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(branches::table.find(id))).get_result(conn)
}

/// Branch `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &BranchId) -> QueryResult<Option<BranchRow>> {
    branches::table
        .find(id)
        .select(BranchRow::as_select())
        .first(conn)
        .optional()
}

/// The branches of the regions among `regions`.
pub fn ids_in_regions(conn: &mut DbConnection, regions: &[RegionId]) -> QueryResult<Vec<BranchId>> {
    branches::table
        .filter(branches::region_id.eq_any(regions))
        .select(branches::id)
        .load(conn)
}

/// The regions of the branches among `ids` (one per branch found).
pub fn regions_of(conn: &mut DbConnection, ids: &[BranchId]) -> QueryResult<Vec<RegionId>> {
    branches::table
        .filter(branches::id.eq_any(ids))
        .select(branches::region_id)
        .load(conn)
}

/// Stores many new branches in multi-row statements (a spreadsheet import).
pub fn insert_many(conn: &mut DbConnection, rows: &[BranchRow]) -> QueryResult<()> {
    crate::insert_all!(conn, branches::table, rows);
    Ok(())
}

/// What an import may change of a branch (everything but its key and code).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = branches, treat_none_as_null = true)]
pub struct BranchPatch<'a> {
    /// Its region.
    pub region_id: &'a RegionId,
    /// Name per language as stored.
    pub names: String,
    /// City per language as stored.
    pub city: String,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// When.
    pub updated_at: NaiveDateTime,
}

/// Applies `patch` to branch `id`; how many rows changed (0 or 1).
pub fn patch(
    conn: &mut DbConnection,
    id: &BranchId,
    patch: &BranchPatch<'_>,
) -> QueryResult<usize> {
    diesel::update(branches::table.find(id))
        .set(patch)
        .execute(conn)
}

/// Every branch's code and id (what an import resolves branch codes with).
pub fn ids_by_code(conn: &mut DbConnection) -> QueryResult<Vec<(String, BranchId)>> {
    branches::table
        .select((branches::code, branches::id))
        .load(conn)
}
