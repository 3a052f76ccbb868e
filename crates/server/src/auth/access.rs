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

use diesel::QueryResult;

use super::{AuthUser, Role, Scope, ScopeKind};
use sirr_store::ids::{BranchId, RegionId, TeamId};
use sirr_store::{self as db, DbConnection};

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

/// Where branches and teams sit: what the manager's reach needs to know of the organisation.
///
/// The reach is written once, below, over this trait; the database answers it for single
/// records and writes ([`branches()`], [`regions()`], [`teams()`]), and the organisation directory's
/// in-memory snapshot answers it for the lists, so the two can never disagree.
pub trait Structure {
    /// What a lookup can fail with.
    type Error;
    /// The branches of any of `regions`.
    fn branches_in_regions(&mut self, regions: &[String]) -> Result<Vec<String>, Self::Error>;
    /// The branches of `teams`.
    fn branches_of_teams(&mut self, teams: &[String]) -> Result<Vec<String>, Self::Error>;
    /// The regions of `branches`.
    fn regions_of_branches(&mut self, branches: &[String]) -> Result<Vec<String>, Self::Error>;
    /// The teams of any of `branches`.
    fn teams_of_branches(&mut self, branches: &[String]) -> Result<Vec<String>, Self::Error>;
}

/// The database as a [`Structure`] (no query for an empty question).
struct Stored<'c>(&'c mut DbConnection);

impl Structure for Stored<'_> {
    type Error = diesel::result::Error;

    fn branches_in_regions(&mut self, regions: &[String]) -> QueryResult<Vec<String>> {
        if regions.is_empty() {
            return Ok(Vec::new());
        }
        let regions: Vec<RegionId> = regions.iter().map(RegionId::from).collect();
        Ok(strings(db::branches::ids_in_regions(self.0, &regions)?))
    }

    fn branches_of_teams(&mut self, team_ids: &[String]) -> QueryResult<Vec<String>> {
        if team_ids.is_empty() {
            return Ok(Vec::new());
        }
        let teams: Vec<TeamId> = team_ids.iter().map(TeamId::from).collect();
        Ok(strings(db::teams::branches_of(self.0, &teams)?))
    }

    fn regions_of_branches(&mut self, branch_ids: &[String]) -> QueryResult<Vec<String>> {
        if branch_ids.is_empty() {
            return Ok(Vec::new());
        }
        let branches: Vec<BranchId> = branch_ids.iter().map(BranchId::from).collect();
        Ok(strings(db::branches::regions_of(self.0, &branches)?))
    }

    fn teams_of_branches(&mut self, branch_ids: &[String]) -> QueryResult<Vec<String>> {
        if branch_ids.is_empty() {
            return Ok(Vec::new());
        }
        let branches: Vec<BranchId> = branch_ids.iter().map(BranchId::from).collect();
        Ok(strings(db::teams::ids_in_branches(self.0, &branches)?))
    }
}

/// Keys as the text the reach computation works in.
fn strings<K: Into<String>>(keys: Vec<K>) -> Vec<String> {
    keys.into_iter().map(Into::into).collect()
}

/// A manager's branches: with [`Access::Write`], those scoped whole (directly or through their
/// region); with [`Access::Read`], also the branch of each scoped team.
pub fn manager_branches<S: Structure>(
    user: &AuthUser,
    access: Access,
    structure: &mut S,
) -> Result<BTreeSet<String>, S::Error> {
    let mut ids: BTreeSet<String> = scoped(user, ScopeKind::Branch).into_iter().collect();
    ids.extend(structure.branches_in_regions(&scoped(user, ScopeKind::Region))?);
    if access == Access::Read {
        ids.extend(structure.branches_of_teams(&scoped(user, ScopeKind::Team))?);
    }
    Ok(ids)
}

/// A manager's regions: scoped regions and the regions of the branches they read.
pub fn manager_regions<S: Structure>(
    user: &AuthUser,
    structure: &mut S,
) -> Result<BTreeSet<String>, S::Error> {
    let read: Vec<String> = manager_branches(user, Access::Read, structure)?
        .into_iter()
        .collect();
    let mut ids: BTreeSet<String> = scoped(user, ScopeKind::Region).into_iter().collect();
    ids.extend(structure.regions_of_branches(&read)?);
    Ok(ids)
}

/// A manager's teams: every team of a branch scoped whole, and scoped teams.
pub fn manager_teams<S: Structure>(
    user: &AuthUser,
    structure: &mut S,
) -> Result<BTreeSet<String>, S::Error> {
    let whole: Vec<String> = manager_branches(user, Access::Write, structure)?
        .into_iter()
        .collect();
    let mut ids: BTreeSet<String> = scoped(user, ScopeKind::Team).into_iter().collect();
    ids.extend(structure.teams_of_branches(&whole)?);
    Ok(ids)
}

/// What `user`'s role alone decides: everything (admins, QA), nothing (shoppers), or `None`
/// for a manager, whose scopes decide.
pub fn by_role(user: &AuthUser) -> Option<Visible> {
    match user.role {
        Role::Admin | Role::Qa => Some(Visible::All),
        Role::Shopper => Some(Visible::Only(BTreeSet::new())),
        Role::Manager => None,
    }
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
    match by_role(user) {
        Some(v) => Ok(v),
        None => manager_branches(user, access, &mut Stored(conn)).map(Visible::Only),
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
    match by_role(user) {
        Some(v) => Ok(v),
        None => manager_regions(user, &mut Stored(conn)).map(Visible::Only),
    }
}

/// Teams the user may see: every team of a branch scoped whole (directly or through its
/// region), plus scoped teams.
pub fn teams(conn: &mut DbConnection, user: &AuthUser) -> QueryResult<Visible> {
    match by_role(user) {
        Some(v) => Ok(v),
        None => manager_teams(user, &mut Stored(conn)).map(Visible::Only),
    }
}

/// A user's scopes, sorted (what a token carries and the users screen shows).
pub fn scopes_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<Scope>> {
    let mut scopes: Vec<Scope> = db::user_scopes::of_user(conn, &user_id.into())?
        .into_iter()
        .map(|row| Scope {
            kind: row.kind,
            id: row.target_id,
        })
        .collect();
    scopes.sort();
    Ok(scopes)
}
