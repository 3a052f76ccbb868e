//! The `regions` table: its row, and the statements the API, the spreadsheet import and the demo
//! seed share, so a region is inserted, changed and deleted in one place.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::RegionId;
use crate::names::{Names, names_to_db};
use crate::schema::{branches, regions, user_scopes};

/// A stored region.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = regions)]
pub struct RegionRow {
    /// Id.
    pub id: RegionId,
    /// Code (`RUH`), unique.
    pub code: String,
    /// Name per language as stored (JSON, see [`crate::names`]).
    pub names: String,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// Every region, by code.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<RegionRow>> {
    regions::table
        .select(RegionRow::as_select())
        .order(regions::code)
        .load(conn)
}

/// Every region's id and code (what scoring needs to name regions).
pub fn codes(conn: &mut DbConnection) -> QueryResult<Vec<(RegionId, String)>> {
    regions::table
        .select((regions::id, regions::code))
        .load(conn)
}

/// Region `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &RegionId) -> QueryResult<Option<RegionRow>> {
    regions::table
        .find(id)
        .select(RegionRow::as_select())
        .first(conn)
        .optional()
}

/// Stores a new region at `now`. A taken code fails with the database's unique violation, for
/// the caller to word.
pub fn insert(
    conn: &mut DbConnection,
    code: &str,
    names: &Names,
    now: NaiveDateTime,
) -> QueryResult<RegionRow> {
    let row = RegionRow {
        id: RegionId::generate(),
        code: code.to_owned(),
        names: names_to_db(names),
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(regions::table)
        .values((
            regions::id.eq(&row.id),
            regions::code.eq(&row.code),
            regions::names.eq(&row.names),
            regions::created_at.eq(now),
            regions::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(row)
}

/// Writes `row`'s code and names, changed at `row.updated_at`; the number of rows changed (0
/// when it no longer exists).
pub fn update(conn: &mut DbConnection, row: &RegionRow) -> QueryResult<usize> {
    diesel::update(regions::table.find(&row.id))
        .set((
            regions::code.eq(&row.code),
            regions::names.eq(&row.names),
            regions::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
}

/// How many branches region `id` has.
pub fn branch_count(conn: &mut DbConnection, id: &RegionId) -> QueryResult<i64> {
    branches::table
        .filter(branches::region_id.eq(id))
        .count()
        .get_result(conn)
}

/// Deletes region `id` and the scopes that named it (they would name nothing); the number of
/// regions deleted. The caller checks [`branch_count`] first: a region with branches is refused
/// by the foreign key.
pub fn delete(conn: &mut DbConnection, id: &RegionId) -> QueryResult<usize> {
    let deleted = diesel::delete(regions::table.find(id)).execute(conn)?;
    if deleted > 0 {
        diesel::delete(user_scopes::table.filter(user_scopes::target_id.eq(id.as_str())))
            .execute(conn)?;
    }
    Ok(deleted)
}

/// Whether region `id` exists.
pub fn exists(conn: &mut DbConnection, id: &RegionId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(regions::table.find(id))).get_result(conn)
}

/// Every region's code and id (what an import resolves region codes with).
pub fn ids_by_code(conn: &mut DbConnection) -> QueryResult<Vec<(String, RegionId)>> {
    regions::table
        .select((regions::code, regions::id))
        .load(conn)
}

/// How many regions there are (none: an empty organisation).
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    regions::table.count().get_result(conn)
}
