//! What each role may see: the single authorization layer for organisation data.
//!
//! Admins and QA see the whole organisation. A manager sees the branches of their scopes: every
//! branch of a scoped region, each scoped branch, and the branch of each scoped team (whose
//! other teams stay hidden). Shoppers see only what their assignments name (the field workflow).
//! Handlers ask here and answer 404 for anything outside, so out-of-scope records do not reveal
//! that they exist.
//!
//! Every scope grants reading, writing or both ([`Access`]): region and branch scopes read and
//! write their branches; a team scope reads its branch (scores, visits, action plans, disputes)
//! but writes only its own team's records (disputes on its team's visits), never the branch's
//! action plan or another team's visits. Handlers that change something ask for
//! [`Access::Write`] after the read check, so a record the caller cannot see stays 404 and one
//! it may see but not change is 403.

use std::collections::BTreeSet;

use diesel::prelude::*;

use super::{AuthUser, Role, ScopeKind};
use crate::db::DbConnection;
use crate::db::schema::{branches, teams};

/// A set of visible records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visible {
    /// Everything.
    All,
    /// Only these ids.
    Only(BTreeSet<String>),
}

impl Visible {
    /// Whether `id` is visible.
    pub fn contains(&self, id: &str) -> bool {
        match self {
            Self::All => true,
            Self::Only(ids) => ids.contains(id),
        }
    }
}

/// What a caller means to do with what it asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// See it.
    Read,
    /// Change it (or file something against it).
    Write,
}

fn scoped(user: &AuthUser, kind: ScopeKind) -> Vec<String> {
    user.scopes
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.id.clone())
        .collect()
}

/// Branches the user may see.
pub fn branches(conn: &mut DbConnection, user: &AuthUser) -> QueryResult<Visible> {
    branches_for(conn, user, Access::Read)
}

/// Branches the user may read, or write as a whole (a team scope grants its branch read only).
pub fn branches_for(
    conn: &mut DbConnection,
    user: &AuthUser,
    access: Access,
) -> QueryResult<Visible> {
    match user.role {
        Role::Admin | Role::Qa => Ok(Visible::All),
        Role::Shopper => Ok(Visible::Only(BTreeSet::new())),
        Role::Manager => {
            let mut ids: BTreeSet<String> = scoped(user, ScopeKind::Branch).into_iter().collect();
            let regions = scoped(user, ScopeKind::Region);
            if !regions.is_empty() {
                ids.extend(
                    branches::table
                        .filter(branches::region_id.eq_any(&regions))
                        .select(branches::id)
                        .load::<String>(conn)?,
                );
            }
            let team_ids = scoped(user, ScopeKind::Team);
            if access == Access::Read && !team_ids.is_empty() {
                ids.extend(
                    teams::table
                        .filter(teams::id.eq_any(&team_ids))
                        .select(teams::branch_id)
                        .load::<String>(conn)?,
                );
            }
            Ok(Visible::Only(ids))
        }
    }
}

/// Whether the user may write a record of `branch_id` that belongs to team `team_id` (if any):
/// a branch written as a whole, or the record's own team in the user's team scopes.
pub fn may_write_unit(
    conn: &mut DbConnection,
    user: &AuthUser,
    branch_id: &str,
    team_id: Option<&str>,
) -> QueryResult<bool> {
    if branches_for(conn, user, Access::Write)?.contains(branch_id) {
        return Ok(true);
    }
    Ok(team_id.is_some_and(|team| {
        user.scopes
            .iter()
            .any(|s| s.kind == ScopeKind::Team && s.id == team)
    }))
}

/// Regions the user may see: scoped regions and the regions of visible branches.
pub fn regions(conn: &mut DbConnection, user: &AuthUser) -> QueryResult<Visible> {
    match branches(conn, user)? {
        Visible::All => Ok(Visible::All),
        Visible::Only(branch_ids) => {
            let mut ids: BTreeSet<String> = scoped(user, ScopeKind::Region).into_iter().collect();
            if !branch_ids.is_empty() {
                ids.extend(
                    branches::table
                        .filter(branches::id.eq_any(&branch_ids))
                        .select(branches::region_id)
                        .load::<String>(conn)?,
                );
            }
            Ok(Visible::Only(ids))
        }
    }
}

/// Teams the user may see: every team of a branch scoped whole (directly or through its
/// region), plus scoped teams.
pub fn teams(conn: &mut DbConnection, user: &AuthUser) -> QueryResult<Visible> {
    match user.role {
        Role::Admin | Role::Qa => Ok(Visible::All),
        Role::Shopper => Ok(Visible::Only(BTreeSet::new())),
        Role::Manager => {
            let mut whole: Vec<String> = scoped(user, ScopeKind::Branch);
            let regions = scoped(user, ScopeKind::Region);
            if !regions.is_empty() {
                whole.extend(
                    branches::table
                        .filter(branches::region_id.eq_any(&regions))
                        .select(branches::id)
                        .load::<String>(conn)?,
                );
            }
            let mut ids: BTreeSet<String> = scoped(user, ScopeKind::Team).into_iter().collect();
            if !whole.is_empty() {
                ids.extend(
                    teams::table
                        .filter(teams::branch_id.eq_any(&whole))
                        .select(teams::id)
                        .load::<String>(conn)?,
                );
            }
            Ok(Visible::Only(ids))
        }
    }
}
