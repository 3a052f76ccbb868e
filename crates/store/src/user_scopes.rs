//! The `user_scopes` table (the regions, branches and teams a manager's reach covers): its row
//! and the administration's read of it.

use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::UserId;
use crate::schema::{user_scopes, users};
use crate::status::{Role, ScopeKind};

/// A stored scope.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = user_scopes)]
pub struct ScopeRow {
    /// Whose.
    pub user_id: UserId,
    /// Region, branch or team.
    pub kind: ScopeKind,
    /// The region's, branch's or team's id.
    pub target_id: String,
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
