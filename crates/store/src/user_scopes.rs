//! The `user_scopes` table (the regions, branches and teams a manager's reach covers): its row
//! and the administration's read of it.

use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::UserId;
use crate::schema::{user_scopes, users};
use crate::status::{Role, ScopeKind};

/// A stored scope.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = user_scopes)]
pub struct ScopeRow {
    /// Whose.
    pub user_id: UserId,
    /// Region, branch or team.
    pub kind: ScopeKind,
    /// The region's, branch's or team's id.
    pub target_id: String,
}

/// The scopes of user `id`.
pub fn of_user(conn: &mut DbConnection, id: &UserId) -> QueryResult<Vec<ScopeRow>> {
    user_scopes::table
        .filter(user_scopes::user_id.eq(id))
        .select(ScopeRow::as_select())
        .load(conn)
}

/// Replaces every scope of user `id` with `scopes` (kind and target id).
pub fn replace(
    conn: &mut DbConnection,
    id: &UserId,
    scopes: &[(ScopeKind, &str)],
) -> QueryResult<()> {
    diesel::delete(user_scopes::table.filter(user_scopes::user_id.eq(id))).execute(conn)?;
    for (kind, target) in scopes {
        diesel::insert_into(user_scopes::table)
            .values((
                user_scopes::user_id.eq(id),
                user_scopes::kind.eq(kind),
                user_scopes::target_id.eq(target),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every scope, or those of users with `role`.
pub fn all(conn: &mut DbConnection, role: Option<Role>) -> QueryResult<Vec<ScopeRow>> {
    let mut query = user_scopes::table
        .inner_join(users::table)
        .select(ScopeRow::as_select())
        .into_boxed();
    if let Some(role) = role {
        query = query.filter(users::role.eq(role));
    }
    query.load(conn)
}

/// Stores many scopes in multi-row statements (a spreadsheet import).
pub fn insert_many(conn: &mut DbConnection, rows: &[ScopeRow]) -> QueryResult<()> {
    crate::insert_all!(conn, user_scopes::table, rows);
    Ok(())
}
