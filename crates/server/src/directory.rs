//! The organisation directory: regions, branches and teams kept in memory, ready-serialized, so
//! the lists every screen asks for cost no database round trip.
//!
//! The database stays the source of truth. Every write to those tables bumps the `organisation`
//! row of `change_counters` in the same transaction (triggers in the migrations, so no writer can
//! forget, not even another process or a shell). A process serves its snapshot for at most
//! `server.directory_max_age_ms`, then reads the counter and reloads when it moved; its own writes
//! mark the snapshot stale at once ([`Directory::invalidate`], called by `AppState::db_write`
//! after every committed write). So several processes sharing one
//! PostgreSQL agree within that bound, and a process always reads its own writes.
//!
//! Visibility here is [`crate::auth::access`]'s one rule of a manager's reach, answered from the
//! snapshot instead of the database (the snapshot implements [`access::Structure`]).

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::auth::AuthUser;
use crate::auth::access::{self, Access, Visible};
use sirr_store::DbConnection;

/// One record as the lists serve it: its id, what it belongs to, and its JSON.
#[derive(Debug)]
pub struct Entry {
    id: String,
    /// The region of a branch, the branch of a team; empty for a region.
    parent: String,
    json: Box<str>,
}

impl Entry {
    /// `record` serialized once, under `id` and `parent`.
    pub fn new<T: serde::Serialize>(id: &str, parent: &str, record: &T) -> QueryResult<Self> {
        let json = serde_json::to_string(record)
            .map(String::into_boxed_str)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        Ok(Self {
            id: id.to_owned(),
            parent: parent.to_owned(),
            json,
        })
    }
}

/// The organisation's three lists, each in its API order.
#[derive(Debug, Default)]
pub struct Lists {
    /// Regions (no parent).
    pub regions: Vec<Entry>,
    /// Branches, each under its region.
    pub branches: Vec<Entry>,
    /// Teams, each under its branch.
    pub teams: Vec<Entry>,
}

/// Reads the lists from the database. The API layer supplies it (it owns the wire types), so
/// the directory knows records only as ids, parents and JSON.
pub type Loader = fn(&mut DbConnection) -> QueryResult<Lists>;

/// The organisation at one value of the change counter, each list in its API order.
#[derive(Debug, Default)]
pub struct Snapshot {
    generation: i64,
    regions: Vec<Entry>,
    branches: Vec<Entry>,
    teams: Vec<Entry>,
    /// Branch id → region id.
    branch_region: HashMap<String, String>,
    /// Team id → branch id.
    team_branch: HashMap<String, String>,
}

/// The snapshot answers the reach's questions from memory.
impl access::Structure for &Snapshot {
    type Error = std::convert::Infallible;

    fn branches_in_regions(&mut self, regions: &[String]) -> Result<Vec<String>, Self::Error> {
        Ok(children(&self.branches, regions))
    }

    fn branches_of_teams(&mut self, teams: &[String]) -> Result<Vec<String>, Self::Error> {
        Ok(teams
            .iter()
            .filter_map(|t| self.team_branch.get(t).cloned())
            .collect())
    }

    fn regions_of_branches(&mut self, branches: &[String]) -> Result<Vec<String>, Self::Error> {
        Ok(branches
            .iter()
            .filter_map(|b| self.branch_region.get(b).cloned())
            .collect())
    }

    fn teams_of_branches(&mut self, branches: &[String]) -> Result<Vec<String>, Self::Error> {
        Ok(children(&self.teams, branches))
    }
}

/// The ids of `entries` whose parent is one of `parents`.
fn children(entries: &[Entry], parents: &[String]) -> Vec<String> {
    if parents.is_empty() {
        return Vec::new();
    }
    let parents: BTreeSet<&str> = parents.iter().map(String::as_str).collect();
    entries
        .iter()
        .filter(|e| parents.contains(e.parent.as_str()))
        .map(|e| e.id.clone())
        .collect()
}

impl Snapshot {
    /// Reads everything at the counter's current value (the counter first: rows read after it
    /// are at least as new, so a change between the two reads only causes one more reload).
    fn load(conn: &mut DbConnection, loader: Loader) -> QueryResult<Self> {
        let generation = counter(conn)?;
        let lists = loader(conn)?;
        let parents = |entries: &[Entry]| -> HashMap<String, String> {
            entries
                .iter()
                .map(|e| (e.id.clone(), e.parent.clone()))
                .collect()
        };
        Ok(Self {
            generation,
            branch_region: parents(&lists.branches),
            team_branch: parents(&lists.teams),
            regions: lists.regions,
            branches: lists.branches,
            teams: lists.teams,
        })
    }

    /// The regions a manager may see, by the one rule of [`access`].
    fn manager_regions(&self, user: &AuthUser) -> BTreeSet<String> {
        let Ok(ids) = access::manager_regions(user, &mut &*self);
        ids
    }

    /// The branches a manager may see.
    fn manager_branches(&self, user: &AuthUser) -> BTreeSet<String> {
        let Ok(ids) = access::manager_branches(user, Access::Read, &mut &*self);
        ids
    }

    /// The teams a manager may see.
    fn manager_teams(&self, user: &AuthUser) -> BTreeSet<String> {
        let Ok(ids) = access::manager_teams(user, &mut &*self);
        ids
    }

    /// The regions `user` may see, as the JSON array of `GET /api/v1/regions`.
    pub fn regions_json(&self, user: &AuthUser) -> String {
        self.list(user, &self.regions, Self::manager_regions, None)
    }

    /// The branches `user` may see (only `region`'s when given), as the JSON array of
    /// `GET /api/v1/branches`.
    pub fn branches_json(&self, user: &AuthUser, region: Option<&str>) -> String {
        self.list(user, &self.branches, Self::manager_branches, region)
    }

    /// The teams `user` may see (only `branch`'s when given), as the JSON array of
    /// `GET /api/v1/teams`.
    pub fn teams_json(&self, user: &AuthUser, branch: Option<&str>) -> String {
        self.list(user, &self.teams, Self::manager_teams, branch)
    }

    fn list(
        &self,
        user: &AuthUser,
        entries: &[Entry],
        manager_sees: fn(&Self, &AuthUser) -> BTreeSet<String>,
        parent: Option<&str>,
    ) -> String {
        // Only the one set this list needs is worked out.
        let visible = match access::by_role(user) {
            Some(Visible::All) => None,
            Some(Visible::Only(_)) => return "[]".to_owned(),
            None => Some(manager_sees(self, user)),
        };
        let mut out =
            String::with_capacity(2 + entries.iter().map(|e| e.json.len() + 1).sum::<usize>());
        out.push('[');
        for entry in entries {
            if parent.is_some_and(|p| p != entry.parent) {
                continue;
            }
            if visible.as_ref().is_some_and(|v| !v.contains(&entry.id)) {
                continue;
            }
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(&entry.json);
        }
        out.push(']');
        out
    }
}

fn counter(conn: &mut DbConnection) -> QueryResult<i64> {
    sirr_store::change_counters::value(conn, sirr_store::change_counters::ORGANISATION)
}

/// The snapshot a process serves, and when it last agreed with the database.
pub struct Directory {
    loader: Loader,
    max_age: Duration,
    epoch: Instant,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Nanoseconds after `epoch` of the last check against the counter; 0 = never.
    checked_at: AtomicU64,
    /// How many times this process changed the organisation ([`Directory::invalidate`]).
    invalidations: AtomicU64,
    /// The value of `invalidations` the snapshot was last checked at: while the two differ, no
    /// caller is served without a check. (A flag cleared when a reload *starts* let a request
    /// that came in during the reload take the old snapshot after its own write had answered.)
    seen: AtomicU64,
    /// A caller is checking against the database because the max age passed.
    refreshing: AtomicBool,
    /// One reload at a time; the others then find the snapshot fresh.
    reloading: Mutex<()>,
}

impl Directory {
    /// An empty directory, loaded on first use by `loader`.
    pub fn new(max_age: Duration, loader: Loader) -> Self {
        Self {
            loader,
            max_age,
            epoch: Instant::now(),
            snapshot: RwLock::new(Arc::new(Snapshot {
                generation: -1,
                ..Snapshot::default()
            })),
            checked_at: AtomicU64::new(0),
            invalidations: AtomicU64::new(1),
            seen: AtomicU64::new(0),
            refreshing: AtomicBool::new(false),
            reloading: Mutex::new(()),
        }
    }

    fn now(&self) -> u64 {
        // +1 keeps 0 free for "never".
        self.epoch.elapsed().as_nanos() as u64 + 1
    }

    /// The snapshot, when it may be served without asking the database. Once it is older than
    /// the max age, the first caller gets `None` and refreshes; callers meanwhile keep getting
    /// the current snapshot, so a check costs one request a wait instead of stalling them all.
    /// After this process's own writes every caller waits for the reload.
    pub fn fresh(&self) -> Option<Arc<Snapshot>> {
        if self.stale() {
            return None;
        }
        let checked = self.checked_at.load(Ordering::Acquire);
        if checked != 0 && self.now() - checked <= self.max_age.as_nanos() as u64 {
            return Some(self.current());
        }
        let first = self
            .refreshing
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if first || checked == 0 {
            None
        } else {
            Some(self.current())
        }
    }

    /// Whether this process wrote since the snapshot was last checked.
    fn stale(&self) -> bool {
        self.seen.load(Ordering::Acquire) != self.invalidations.load(Ordering::Acquire)
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Checks the counter and reloads when it moved (blocking: run on the database pool).
    pub fn refresh(&self, conn: &mut DbConnection) -> QueryResult<Arc<Snapshot>> {
        let _one = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        let result = self.check(conn);
        self.refreshing.store(false, Ordering::Release);
        result
    }

    fn check(&self, conn: &mut DbConnection) -> QueryResult<Arc<Snapshot>> {
        let checked = self.checked_at.load(Ordering::Acquire);
        // Read before the database: a write that lands meanwhile moves it again, so the
        // snapshot stays stale for the next caller.
        let wanted = self.invalidations.load(Ordering::Acquire);
        if self.seen.load(Ordering::Acquire) == wanted
            && checked != 0
            && self.now() - checked <= self.max_age.as_nanos() as u64
        {
            // Another caller checked while this one waited for the lock.
            return Ok(self.current());
        }
        let started = self.now();
        let snapshot = self.reload_if_moved(conn)?;
        self.checked_at.store(started, Ordering::Release);
        // Only after the snapshot is in place: until then every caller waits for it.
        self.seen.store(wanted, Ordering::Release);
        Ok(snapshot)
    }

    fn reload_if_moved(&self, conn: &mut DbConnection) -> QueryResult<Arc<Snapshot>> {
        let current = self.current();
        if counter(conn)? == current.generation {
            return Ok(current);
        }
        let loaded = Arc::new(Snapshot::load(conn, self.loader)?);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = loaded.clone();
        Ok(loaded)
    }

    /// Marks the snapshot stale: the next read checks the change counter (one query) and reloads
    /// only when it moved. `AppState::db_write` calls it after every committed write.
    pub fn invalidate(&self) {
        self.invalidations.fetch_add(1, Ordering::AcqRel);
    }
}
