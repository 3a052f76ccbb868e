//! Scores computed by `sirr-scoring` over approved visits, stored for every process and kept
//! in memory per generation of the change counters.
//!
//! # What is computed
//!
//! For a **selection** — every approved visit (`all`) or the visits of one period (`2026-10`,
//! `2026-Q4`, `2026-W41`, by the local date of `checked_in_at`, SPEC §9.14) — [`compute`] loads
//! the approved visits with their assignment's scenario, the checklist versions they were filled
//! against and the overturned disputes, scores every visit with the scoring crate (an item whose
//! failure was overturned is N/A: its section, the visit, the branch and everything above move
//! with it), and builds the SPEC §4 report together with section and item results per group
//! ([`sirr_scoring::report::Breakdowns`]). The result ([`Scores`]) keeps what the endpoints
//! serve, keyed by database ids, and none of the per-visit rows.
//!
//! # Freshness
//!
//! The database triggers bump the `scores` change counter whenever an approved visit appears,
//! changes or goes and whenever a dispute's status changes, and the `organisation` counter for
//! any change to regions, branches or teams. The pair of values is a result's **generation**.
//! A request takes the generation read last when that was less than
//! `server.directory_max_age_ms` ago (500 ms by default, the organisation directory's bound;
//! once it is older one request reads the counters — one indexed query — while the others are
//! still served), and then, in order:
//!
//! 1. serves this process's in-memory result for the selection when its generation matches;
//! 2. else reads `score_reports` (key = selection): a row of the current generation was computed
//!    by another process (SPEC §9.23), and is parsed and kept in memory;
//! 3. else computes, writes the row (so the other processes find it) and keeps it in memory.
//!
//! Requests for the same selection that miss at the same time wait for one computation (a lock
//! per selection, taken on the blocking pool, without holding a database connection while
//! waiting). Results are never older than the counters allow: a change made through this
//! process shows at the next request (after [`warm`] or [`Cache::invalidate`]), one made by
//! another process within the max age; the request that finds a new generation pays for the
//! recomputation unless [`warm`] got there first. Code that approves a visit or resolves a
//! dispute calls [`warm`] after its commit; it recomputes, in the background, every selection
//! this process has recently served, `all` first.
//!
//! Costs: the hit path makes no query (but once per max age) and serializes one entity's slice
//! of the result.
//! A recomputation reads every approved visit and refits the fair model from scratch (no warm
//! start); see `docs/scoring.md` for measured times.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::QueryResult;
use serde::{Deserialize, Serialize};
use sirr_checklist::Checklist;
use sirr_scoring::catalog::{Catalog, ScoreOptions, ScoredVisit, score_with};
use sirr_scoring::period::{PeriodKind, bounds, local_date, parse_label};
use sirr_scoring::report::{
    Breakdowns, GroupBreakdown, GroupItemResult, ItemResult, ReportBuilder, ReportOptions,
    SectionResult, Summary,
};
use sirr_scoring::visit::{Visit, VisitProblem};
use utoipa::ToSchema;

use crate::error::ServiceError;
use sirr_store::ids::ChecklistId;
use sirr_store::rfc3339 as time;
use sirr_store::visits::ApprovedVisit;
use sirr_store::{self as db, DbConnection, Pool};

mod stable;

/// Selections kept in memory per process (the least recently used goes first).
const MAX_SELECTIONS: usize = 16;

/// Which visits a result covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selection {
    /// Every approved visit, in one joint fit whose periods are months: the result of
    /// `period=all`, and the source of every month's figures (see [`Selection::joint`]).
    All,
    /// Every approved visit in one joint fit whose periods are quarters or ISO weeks: the source
    /// of the figures of those periods. Never asked for by clients (`all:quarter`, `all:week`).
    Joint(PeriodKind),
    /// The visits whose local date falls in one period.
    Period {
        /// Month, quarter or ISO week.
        kind: PeriodKind,
        /// Canonical label (`2026-10`, `2026-Q4`, `2026-W41`).
        label: String,
    },
}

impl Selection {
    /// The `period` query parameter: absent or `all` for every visit, else a label.
    ///
    /// # Errors
    /// A message when the label is not a month, quarter or ISO week.
    pub fn parse(period: Option<&str>) -> Result<Self, crate::i18n::Msg> {
        match period.map(str::trim) {
            None | Some("" | "all") => Ok(Self::All),
            Some(label) => {
                let (kind, label) = parse_label(label)
                    .map_err(|e| crate::msg!("period-invalid-expected", problem = e))?;
                Ok(Self::Period { kind, label })
            }
        }
    }

    /// The selection a stored key names (the inverse of [`Selection::key`]).
    fn from_key(key: &str) -> Option<Self> {
        match key {
            "all:quarter" => Some(Self::Joint(PeriodKind::Quarter)),
            "all:week" => Some(Self::Joint(PeriodKind::Week)),
            other => Self::parse(Some(other)).ok(),
        }
    }

    /// The stored key: `all`, `all:quarter`, `all:week` or the label.
    pub fn key(&self) -> &str {
        match self {
            Self::All | Self::Joint(PeriodKind::Month) => "all",
            Self::Joint(PeriodKind::Quarter) => "all:quarter",
            Self::Joint(PeriodKind::Week) => "all:week",
            Self::Period { label, .. } => label,
        }
    }

    /// The label, `None` for every visit.
    pub fn label(&self) -> Option<&str> {
        match self {
            Self::All | Self::Joint(_) => None,
            Self::Period { label, .. } => Some(label),
        }
    }

    /// The period length of the result's `periods` (and of the fair model's period factor).
    pub fn kind(&self) -> PeriodKind {
        match self {
            Self::All => PeriodKind::Month,
            Self::Joint(kind) | Self::Period { kind, .. } => *kind,
        }
    }

    /// The joint fit over every approved visit that a period's figures come from (one truth,
    /// docs/scoring.md §3.7): `all` for months, `all:quarter`, `all:week`; itself for the joint
    /// selections.
    pub fn joint(&self) -> Self {
        match self.kind() {
            PeriodKind::Month => Self::All,
            kind => Self::Joint(kind),
        }
    }
}

/// A group (organisation, region or team) in one result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Database id (`None` for the organisation).
    pub id: Option<String>,
    /// Code (`RUH`; a team's is `BRANCH/team`).
    pub key: Option<String>,
    /// Scores.
    pub summary: Summary,
    /// Section scores.
    pub sections: Vec<SectionResult>,
    /// Item results.
    pub items: Vec<GroupItemResult>,
}

/// A branch in one result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// Database id.
    pub id: String,
    /// Code.
    pub key: String,
    /// Region id.
    pub region_id: Option<String>,
    /// Scores.
    pub summary: Summary,
    /// Rank by fair score among all ranked branches, 1 = best.
    pub rank: Option<usize>,
    /// Rank among the ranked branches of its region.
    pub region_rank: Option<usize>,
    /// Items it fails that are not systemic (checklist, key).
    pub failing_items: Vec<(String, String)>,
    /// Section scores.
    pub sections: Vec<SectionResult>,
    /// Item results.
    pub items: Vec<GroupItemResult>,
}

/// A shopper's severity (never shown to managers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shopper {
    /// User id.
    pub user_id: String,
    /// Visits rated.
    pub visits: usize,
    /// Mean of the shopper's visit scores.
    pub raw_score: Option<f64>,
    /// Offset on the score scale; negative = harsher than the average shopper.
    pub severity: Option<f64>,
    /// Its 90% interval.
    pub severity_ci: Option<[f64; 2]>,
    /// `harsh`, `lenient` or `null`.
    pub flag: Option<String>,
}

/// An entity's scores in one period of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodEntry {
    /// Database id.
    pub id: String,
    /// Scores.
    pub summary: Summary,
}

/// One period (a month, in the `all` result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// Label.
    pub period: String,
    /// The organisation.
    pub organisation: Summary,
    /// Regions, by id.
    pub regions: Vec<PeriodEntry>,
    /// Branches, by id.
    pub branches: Vec<PeriodEntry>,
    /// Teams, by id.
    pub teams: Vec<PeriodEntry>,
}

/// What the fair model did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Model {
    /// The method, in words.
    pub method: String,
    /// Whether the fit converged.
    pub converged: bool,
    /// Notes on the data and any fallback taken.
    pub notes: Vec<String>,
}

/// A computed result for one selection at one generation: what `score_reports.body` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// `all` or the period label.
    pub selection: String,
    /// The change counters it was computed at (`organisation.scores`).
    pub generation: String,
    /// When, RFC 3339 UTC.
    pub computed_at: String,
    /// Approved visits that could not be scored (logged), normally 0.
    pub skipped: usize,
    /// The fair model.
    pub model: Model,
    /// The organisation.
    pub organisation: Group,
    /// Regions, by code.
    pub regions: Vec<Group>,
    /// Branches, by code.
    pub branches: Vec<Branch>,
    /// Teams, by key.
    pub teams: Vec<Group>,
    /// Shoppers, by user id.
    pub shoppers: Vec<Shopper>,
    /// Items across the organisation, by key then checklist.
    pub items: Vec<ItemResult>,
    /// Inter-rater agreement, as the scoring crate reports it; `null` without calibration.
    pub agreement: Option<serde_json::Value>,
    /// Periods, by label.
    pub periods: Vec<Period>,
    #[serde(skip)]
    index: Index,
}

/// Lookups by id, rebuilt after parsing.
#[derive(Debug, Clone, Default, PartialEq)]
struct Index {
    regions: HashMap<String, usize>,
    branches: HashMap<String, usize>,
    teams: HashMap<String, usize>,
    items: HashMap<(String, String), usize>,
}

impl Scores {
    fn reindex(&mut self) {
        let ids = |groups: &[Group]| {
            groups
                .iter()
                .enumerate()
                .filter_map(|(i, g)| g.id.clone().map(|id| (id, i)))
                .collect()
        };
        self.index = Index {
            regions: ids(&self.regions),
            teams: ids(&self.teams),
            branches: self
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| (b.id.clone(), i))
                .collect(),
            items: self
                .items
                .iter()
                .enumerate()
                .map(|(i, it)| ((it.checklist.clone(), it.key.clone()), i))
                .collect(),
        };
    }

    /// The region with this id, if it has visits.
    pub fn region(&self, id: &str) -> Option<&Group> {
        self.index.regions.get(id).map(|&i| &self.regions[i])
    }

    /// The branch with this id, if it has visits.
    pub fn branch(&self, id: &str) -> Option<&Branch> {
        self.index.branches.get(id).map(|&i| &self.branches[i])
    }

    /// The team with this id, if it has visits.
    pub fn team(&self, id: &str) -> Option<&Group> {
        self.index.teams.get(id).map(|&i| &self.teams[i])
    }

    /// The organisation-wide result of an item.
    pub fn item(&self, checklist: &str, key: &str) -> Option<&ItemResult> {
        self.index
            .items
            .get(&(checklist.to_owned(), key.to_owned()))
            .map(|&i| &self.items[i])
    }

    /// Number of ranked branches.
    pub fn ranked(&self) -> usize {
        self.branches.iter().filter(|b| b.rank.is_some()).count()
    }

    /// Number of ranked branches in a region.
    pub fn ranked_in(&self, region_id: &str) -> usize {
        self.branches
            .iter()
            .filter(|b| b.rank.is_some() && b.region_id.as_deref() == Some(region_id))
            .count()
    }
}

/// An entity kind of the trend.
#[derive(Debug, Clone, Copy)]
pub enum Of {
    /// The organisation.
    Organisation,
    /// A region.
    Region,
    /// A branch.
    Branch,
    /// A team.
    Team,
}

/// One point of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TrendPoint {
    /// Month, `YYYY-MM`.
    pub period: String,
    /// Scores in that month.
    #[serde(flatten)]
    pub summary: Summary,
}

/// The trend of an entity: its entry in every period of `scores` (a period's result holds the
/// joint fit's periods up to and including its own, so its last point is its headline).
pub fn trend(scores: &Scores, of: Of, id: &str) -> Vec<TrendPoint> {
    scores
        .periods
        .iter()
        .filter_map(|p| {
            Some(TrendPoint {
                period: p.period.clone(),
                summary: period_summary(p, of, id)?.clone(),
            })
        })
        .collect()
}

/// The month a screen opens on when none is chosen (docs/scoring.md §3.8), from an `all` result
/// (`None` for a period's result): the latest month that has ended by `today` in which at least
/// half as many branches had visits as in the month with the most; else (no ended month
/// qualifies) the latest month with visits. A month that has just begun, or a closed month with
/// a handful of late visits, is not where a manager should land: its figures rest on little.
pub fn default_period(scores: &Scores, today: chrono::NaiveDate) -> Option<String> {
    if scores.selection != Selection::All.key() {
        return None;
    }
    let busiest = scores.periods.iter().map(|p| p.branches.len()).max()?;
    let ended = |label: &str| {
        bounds(label)
            .ok()
            .and_then(|(_, last)| chrono::NaiveDate::parse_from_str(&last, "%Y-%m-%d").ok())
            .is_some_and(|last| last < today)
    };
    scores
        .periods
        .iter()
        .rev()
        .find(|p| ended(&p.period) && p.branches.len() * 2 >= busiest)
        .or_else(|| scores.periods.last())
        .map(|p| p.period.clone())
}

/// An entity's scores in one period of a result, if it had visits then.
pub fn period_summary<'p>(p: &'p Period, of: Of, id: &str) -> Option<&'p Summary> {
    let list = match of {
        Of::Organisation => return Some(&p.organisation),
        Of::Region => &p.regions,
        Of::Branch => &p.branches,
        Of::Team => &p.teams,
    };
    let i = list.binary_search_by(|e| e.id.as_str().cmp(id)).ok()?;
    Some(&list[i].summary)
}

/// An entity's scores in the period before the selected one (the change's baseline): the same
/// joint fit's estimate, `None` without visits then (or for `all`).
pub fn previous(scores: &Scores, of: Of, id: &str) -> Option<(String, Option<Summary>)> {
    let label = sirr_scoring::period::previous(scores.selection.as_str()).ok()?;
    let summary = scores
        .periods
        .iter()
        .find(|p| p.period == label)
        .and_then(|p| period_summary(p, of, id))
        .cloned();
    Some((label, summary))
}

// ---------------------------------------------------------------------------------------------
// The cache.

struct Slot {
    scores: Option<Arc<Scores>>,
    /// Held while the selection is computed, so concurrent misses wait for one computation.
    compute: Arc<Mutex<()>>,
    used: u64,
}

/// The per-process cache of computed results, by selection (see the module docs).
pub struct Cache {
    slots: Mutex<HashMap<String, Slot>>,
    clock: AtomicU64,
    warming: AtomicBool,
    again: AtomicBool,
    /// The generation last read from the database, and when.
    checked: Mutex<Option<(Arc<str>, Instant)>>,
    /// A request is reading the counters because the last reading got too old.
    rechecking: AtomicBool,
    /// Bumped by [`Cache::invalidate`]: readings begun before it are not kept.
    epoch: AtomicU64,
}

impl Default for Cache {
    fn default() -> Self {
        Self::new()
    }
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Self {
        Self {
            slots: Mutex::new(HashMap::new()),
            clock: AtomicU64::new(0),
            warming: AtomicBool::new(false),
            again: AtomicBool::new(false),
            checked: Mutex::new(None),
            rechecking: AtomicBool::new(false),
            epoch: AtomicU64::new(0),
        }
    }

    /// The generation to serve without asking the database: the one read less than `max_age`
    /// ago; once that is older, the first caller gets `None` and reads the counters while the
    /// others keep getting the last reading (so a check costs one request a round trip instead
    /// of stalling them all). After [`Cache::invalidate`] everyone reads.
    fn recent_generation(&self, max_age: Duration) -> Option<Arc<str>> {
        let checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        let (generation, at) = checked.as_ref()?;
        if max_age.is_zero() {
            return None;
        }
        if at.elapsed() < max_age {
            return Some(generation.clone());
        }
        let first = self
            .rechecking
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if first {
            None
        } else {
            Some(generation.clone())
        }
    }

    /// Where a reading of the counters begins: when, and in which epoch.
    fn begin_check(&self) -> (Instant, u64) {
        (Instant::now(), self.epoch.load(Ordering::Acquire))
    }

    fn checked_now(&self, generation: &str, (at, epoch): (Instant, u64)) {
        let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        // A reading begun before this process's own write may miss it: drop it. Of two
        // overlapping readings keep the newer.
        if self.epoch.load(Ordering::Acquire) == epoch
            && checked.as_ref().is_none_or(|(_, last)| *last <= at)
        {
            *checked = Some((generation.into(), at));
        }
    }

    /// Forgets the generation read last, so the next request reads the change counters: call
    /// after this process changed approved visits or dispute resolutions ([`warm`] does).
    pub fn invalidate(&self) {
        let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        *checked = None;
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The result in memory for `key`, when it is of `generation`.
    fn memory(&self, key: &str, generation: &str) -> Option<Arc<Scores>> {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut slots = self.slots();
        let slot = slots.get_mut(key)?;
        let scores = slot.scores.as_ref()?;
        if scores.generation != generation {
            return None;
        }
        slot.used = tick;
        Some(scores.clone())
    }

    fn compute_lock(&self, key: &str) -> Arc<Mutex<()>> {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut slots = self.slots();
        if !slots.contains_key(key) && slots.len() >= MAX_SELECTIONS {
            let oldest = slots
                .iter()
                .filter(|(k, _)| k.as_str() != "all")
                .min_by_key(|(_, s)| s.used)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                slots.remove(&oldest);
            }
        }
        slots
            .entry(key.to_owned())
            .or_insert_with(|| Slot {
                scores: None,
                compute: Arc::new(Mutex::new(())),
                used: tick,
            })
            .compute
            .clone()
    }

    fn keep(&self, key: &str, scores: Arc<Scores>) {
        if let Some(slot) = self.slots().get_mut(key) {
            slot.scores = Some(scores);
        }
    }

    /// The selections in memory, `all` first, then the most recently used.
    fn selections(&self) -> Vec<String> {
        let slots = self.slots();
        let mut keys: Vec<(&String, u64)> = slots.iter().map(|(k, s)| (k, s.used)).collect();
        keys.sort_by_key(|(k, used)| (k.as_str() != "all", std::cmp::Reverse(*used)));
        let mut out: Vec<String> = keys.into_iter().map(|(k, _)| k.clone()).collect();
        if !out.iter().any(|k| k == "all") {
            out.insert(0, "all".to_owned());
        }
        out
    }

    /// The result for `selection` at the current generation: from memory, from
    /// `score_reports`, or computed (blocking; run on the blocking pool).
    ///
    /// A period's result is built on the joint fit of its kind ([`Selection::joint`]), which is
    /// loaded or computed first: its headline figures, ranks and trend are that fit's (see
    /// [`adopt_joint`]). When the change counters move between the two, the pair is made again
    /// (at most three times; then the period's result stands on the joint fit it has, which
    /// keeps it consistent in itself).
    ///
    /// # Errors
    /// Database failures.
    pub fn load_or_compute(
        &self,
        pool: &Pool,
        selection: &Selection,
    ) -> Result<Arc<Scores>, ServiceError> {
        if selection.label().is_none() {
            return Ok(self.load_or_compute_with(pool, selection, None, true)?.0);
        }
        let joint_selection = selection.joint();
        for attempt in 1..=3 {
            let joint = self
                .load_or_compute_with(pool, &joint_selection, None, true)?
                .0;
            let (scores, fresh) =
                self.load_or_compute_with(pool, selection, Some(&joint), attempt == 3)?;
            if fresh {
                return Ok(scores);
            }
        }
        Err(ServiceError::Internal(
            "the scores kept changing while they were computed".into(),
        ))
    }

    /// As [`Cache::load_or_compute`] for one selection; a period's with its joint fit. Returns
    /// `false` (and computes nothing) when the generation is no longer the joint fit's and
    /// `settle` is not set.
    fn load_or_compute_with(
        &self,
        pool: &Pool,
        selection: &Selection,
        joint: Option<&Scores>,
        settle: bool,
    ) -> Result<(Arc<Scores>, bool), ServiceError> {
        let key = selection.key();
        let lock = self.compute_lock(key);
        let _one = lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut conn = pool.get()?;
        let started = self.begin_check();
        let generation = generation(&mut conn)?;
        self.checked_now(&generation, started);
        if let Some(scores) = self.memory(key, &generation) {
            return Ok((scores, true));
        }
        if let Some(scores) = stored(&mut conn, key, &generation)? {
            let scores = Arc::new(scores);
            self.keep(key, scores.clone());
            return Ok((scores, true));
        }
        if let Some(joint) = joint
            && joint.generation != generation
            && !settle
        {
            return Ok((Arc::new(empty(selection, &generation)), false));
        }
        let input = load(&mut conn, selection)?;
        drop(conn);
        let started = std::time::Instant::now();
        // A joint fit's periods keep their stored estimates unless their own input changed.
        let fingerprints = selection
            .label()
            .is_none()
            .then(|| stable::fingerprints(&input, selection.kind()));
        let mut scores = compute(input, selection, &generation);
        if let Some(joint) = joint {
            adopt_joint(&mut scores, joint);
        }
        let mut conn = pool.get()?;
        if let Some(fingerprints) = &fingerprints {
            stable::freeze(&mut conn, &mut scores, fingerprints)?;
        }
        tracing::info!(
            selection = key,
            generation = %generation,
            branches = scores.branches.len(),
            visits = scores.organisation.summary.visits,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "scores computed"
        );
        save(&mut conn, &scores)?;
        let scores = Arc::new(scores);
        self.keep(key, scores.clone());
        Ok((scores, true))
    }
}

/// The generation: the `organisation` and `scores` change counters, as `O.S`.
///
/// # Errors
/// Database failures.
pub fn generation(conn: &mut DbConnection) -> QueryResult<String> {
    use db::change_counters::{ORGANISATION, SCORES, values};
    let [organisation, scores] = values(conn, [ORGANISATION, SCORES])?;
    Ok(format!("{organisation}.{scores}"))
}

impl Cache {
    /// The current generation as a request sees it: the change counters read (by `read`, the
    /// caller's way to the database) at most `max_age` ago (zero: read them every time). A
    /// change made through this process shows at once (see [`Cache::invalidate`]); one made by
    /// another process sharing the database shows within that time.
    ///
    /// # Errors
    /// `read`'s.
    pub async fn current_generation<E, F, Fut>(
        &self,
        max_age: Duration,
        read: F,
    ) -> Result<Arc<str>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<String, E>>,
    {
        if let Some(generation) = self.recent_generation(max_age) {
            return Ok(generation);
        }
        let started = self.begin_check();
        let read = read().await;
        self.rechecking.store(false, Ordering::Release);
        let generation = read?;
        self.checked_now(&generation, started);
        Ok(generation.into())
    }

    /// The result in memory for `selection`, when it is of `generation` (else compute it with
    /// [`Cache::load_or_compute`], which blocks).
    pub fn in_memory(&self, selection: &Selection, generation: &str) -> Option<Arc<Scores>> {
        self.memory(selection.key(), generation)
    }
}

/// Recomputes, in a background thread, every selection this process has served recently
/// (`all` first), so that the next request after a change finds its result ready. Call it after
/// committing an approval, a change to an approved visit or a dispute resolution. Calls made
/// while a round is running coalesce into one more round. Failures are logged.
pub fn warm(cache: &Arc<Cache>, pool: &Pool) {
    cache.invalidate();
    if cache.warming.swap(true, Ordering::AcqRel) {
        cache.again.store(true, Ordering::Release);
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("sirr-scores-warm".into())
        .spawn({
            let (cache, pool) = (cache.clone(), pool.clone());
            move || {
                loop {
                    cache.again.store(false, Ordering::Release);
                    for key in cache.selections() {
                        let Some(selection) = Selection::from_key(&key) else {
                            continue;
                        };
                        if let Err(e) = cache.load_or_compute(&pool, &selection) {
                            tracing::warn!(selection = %key, error = %e, "warming scores failed");
                        }
                    }
                    if cache.again.load(Ordering::Acquire) {
                        continue;
                    }
                    cache.warming.store(false, Ordering::Release);
                    // A call that came in just now saw `warming` set and only raised `again`.
                    if !cache.again.load(Ordering::Acquire)
                        || cache.warming.swap(true, Ordering::AcqRel)
                    {
                        break;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        cache.warming.store(false, Ordering::Release);
        tracing::warn!(error = %e, "cannot start warming scores");
    }
}

fn stored(
    conn: &mut DbConnection,
    key: &str,
    generation: &str,
) -> Result<Option<Scores>, ServiceError> {
    let Some(body) = db::score_reports::body(conn, key, generation)? else {
        return Ok(None);
    };
    match serde_json::from_str::<Scores>(&body) {
        Ok(mut scores) => {
            scores.reindex();
            Ok(Some(scores))
        }
        Err(e) => {
            // Written by another version, or damaged: compute afresh (and overwrite it).
            tracing::warn!(selection = key, error = %e, "stored scores unreadable");
            Ok(None)
        }
    }
}

fn save(conn: &mut DbConnection, scores: &Scores) -> Result<(), ServiceError> {
    let body = serde_json::to_string(scores)
        .map_err(|e| ServiceError::Internal(format!("cannot serialize scores: {e}")))?;
    db::score_reports::save(
        conn,
        &scores.selection,
        &scores.generation,
        &body,
        db::now(),
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Loading and computing.

/// One visit's outcome: `None` when it is outside the selected period.
type Scored = Result<ScoredVisit, Vec<VisitProblem>>;

/// Everything a computation reads from the database.
pub struct Input {
    regions: Vec<(String, String)>,
    branches: Vec<(String, String, String)>,
    teams: Vec<(String, String, String)>,
    checklists: Vec<(String, String)>,
    visits: Vec<ApprovedVisit>,
    overturned: HashMap<String, Vec<String>>,
}

/// Reads the approved visits of `selection` and what scoring them needs.
///
/// # Errors
/// Database failures.
pub fn load(conn: &mut DbConnection, selection: &Selection) -> Result<Input, ServiceError> {
    let regions = db::regions::codes(conn)?
        .into_iter()
        .map(|(id, code)| (id.into(), code))
        .collect();
    let branches = db::branches::codes(conn)?
        .into_iter()
        .map(|(id, code, region)| (id.into(), code, region.into()))
        .collect();
    let teams = db::teams::codes(conn)?
        .into_iter()
        .map(|(id, branch, code)| (id.into(), branch.into(), code))
        .collect();
    // A coarse UTC window first (offsets are within ±14 h), the exact local date when scoring.
    let window = selection
        .label()
        .and_then(|label| bounds(label).ok())
        .and_then(|(first, last)| {
            let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            let from = day(&first)?.and_hms_opt(0, 0, 0)? - chrono::Duration::days(1);
            let to = day(&last)?.and_hms_opt(0, 0, 0)? + chrono::Duration::days(2);
            Some((from, to))
        });
    let visits = db::visits::approved(conn, window)?;
    let mut ids: Vec<&ChecklistId> = visits.iter().map(|v| &v.checklist_id).collect();
    ids.sort();
    ids.dedup();
    let checklists = db::checklists::documents_of(conn, &ids)?
        .into_iter()
        .map(|(id, document)| (id.into(), document))
        .collect();
    let mut overturned: HashMap<String, Vec<String>> = HashMap::new();
    for (visit, item) in db::disputes::all_overturned(conn)? {
        overturned.entry(visit.into()).or_default().push(item);
    }
    Ok(Input {
        regions,
        branches,
        teams,
        checklists,
        visits,
        overturned,
    })
}

/// Scores the loaded visits and builds the result (pure computation).
pub fn compute(input: Input, selection: &Selection, generation: &str) -> Scores {
    let region_code: HashMap<&str, &str> = input
        .regions
        .iter()
        .map(|(id, code)| (id.as_str(), code.as_str()))
        .collect();
    let branch: HashMap<&str, (&str, &str)> = input
        .branches
        .iter()
        .map(|(id, code, region)| (id.as_str(), (code.as_str(), region.as_str())))
        .collect();
    let team_code: HashMap<&str, &str> = input
        .teams
        .iter()
        .map(|(id, _, code)| (id.as_str(), code.as_str()))
        .collect();

    let mut documents = Vec::new();
    let mut checklist_of: HashMap<&str, usize> = HashMap::new();
    for (id, document) in &input.checklists {
        match sirr_checklist::from_json_str(document) {
            Ok((checklist, _)) => {
                checklist_of.insert(id.as_str(), documents.len());
                documents.push(checklist);
            }
            Err(e) => tracing::error!(checklist = %id, error = %e, "stored checklist unusable"),
        }
    }
    let documents: Vec<Checklist> = documents;
    let catalog = match Catalog::new(&documents) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the checklist catalog");
            return empty(selection, generation);
        }
    };

    let to_visit = |row: &ApprovedVisit| -> Result<Visit, String> {
        let c = *checklist_of
            .get(row.checklist_id.as_str())
            .ok_or("its checklist version is missing")?;
        let (code, region) = branch
            .get(row.branch_id.as_str())
            .ok_or("its branch is gone")?;
        let visited_at = row.checked_in_at.clone().ok_or("no check-in time")?;
        if let Some(label) = selection.label() {
            let local = local_date(&visited_at)?;
            if sirr_scoring::period::label(&local, selection.kind()) != label {
                return Err(String::new());
            }
        }
        let answers = serde_json::from_str(&row.answers).map_err(|e| format!("answers: {e}"))?;
        Ok(Visit {
            id: row.id.clone().into(),
            checklist: documents[c].key.clone(),
            checklist_version: documents[c].version,
            branch: (*code).to_owned(),
            team: row
                .team_id
                .as_deref()
                .and_then(|t| team_code.get(t))
                .map(|t| (*t).to_owned()),
            region: region_code.get(region).map(|r| (*r).to_owned()),
            shopper: row.shopper_id.clone().into(),
            scenario: row.scenario.clone().filter(|s| !s.trim().is_empty()),
            visited_at,
            duration_s: row.duration_s,
            answers,
            comments: BTreeMap::new(),
            evidence: None,
            calibration: row.calibration.clone().filter(|c| !c.trim().is_empty()),
        })
    };
    let score_row = |i: usize, row: &ApprovedVisit| -> Option<Scored> {
        let visit = match to_visit(row) {
            Ok(v) => v,
            Err(e) if e.is_empty() => return None,
            Err(problem) => {
                return Some(Err(vec![VisitProblem {
                    line: i + 1,
                    key: String::new(),
                    problem,
                }]));
            }
        };
        let na = input
            .overturned
            .get(row.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        let options = ScoreOptions {
            // Submitted visits were checked in full; their photos live in `attachments`.
            completeness: sirr_checklist::Completeness::Draft,
            na_items: na,
        };
        Some(score_with(&catalog, visit, i + 1, options))
    };

    // Parse and score on every core, in chunks; push in the loaded order.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = input.visits.len().div_ceil(workers).max(512);
    let scored: Vec<Vec<Option<Scored>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = input
            .visits
            .chunks(chunk)
            .enumerate()
            .map(|(c, rows)| {
                let score_row = &score_row;
                scope.spawn(move || {
                    rows.iter()
                        .enumerate()
                        .map(|(i, row)| score_row(c * chunk + i, row))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });

    let options = ReportOptions {
        period: selection.kind(),
        ..ReportOptions::default()
    };
    let mut builder = ReportBuilder::with_breakdowns(&catalog, options);
    builder.reserve(input.visits.len());
    let mut skipped = 0;
    for (i, result) in scored.into_iter().flatten().enumerate() {
        let Some(result) = result else { continue };
        if let Err(problems) = result.and_then(|s| builder.push(s, i + 1)) {
            skipped += 1;
            if let Some(p) = problems.first() {
                tracing::warn!(visit = %input.visits.get(p.line - 1).map_or("", |v| v.id.as_str()),
                    key = %p.key, problem = %p.problem, "approved visit not scored");
            }
        }
    }
    let (report, breakdowns) = builder.finish_with_breakdowns();
    assemble(report, breakdowns, &input, selection, generation, skipped)
}

/// A result without visits (only when the stored checklists cannot form a catalog).
fn empty(selection: &Selection, generation: &str) -> Scores {
    let mut scores = Scores {
        selection: selection.key().to_owned(),
        generation: generation.to_owned(),
        computed_at: time(db::now()),
        skipped: 0,
        model: Model {
            method: String::new(),
            converged: true,
            notes: vec!["the stored checklists could not be loaded; nothing was scored".into()],
        },
        organisation: Group::default(),
        regions: Vec::new(),
        branches: Vec::new(),
        teams: Vec::new(),
        shoppers: Vec::new(),
        items: Vec::new(),
        agreement: None,
        periods: Vec::new(),
        index: Index::default(),
    };
    scores.reindex();
    scores
}

fn assemble(
    report: sirr_scoring::report::Report,
    breakdowns: Breakdowns,
    input: &Input,
    selection: &Selection,
    generation: &str,
    skipped: usize,
) -> Scores {
    let region_id: HashMap<&str, &str> = input
        .regions
        .iter()
        .map(|(id, code)| (code.as_str(), id.as_str()))
        .collect();
    let branch_id: HashMap<&str, &str> = input
        .branches
        .iter()
        .map(|(id, code, _)| (code.as_str(), id.as_str()))
        .collect();
    let branch_code: HashMap<&str, &str> = input
        .branches
        .iter()
        .map(|(id, code, _)| (id.as_str(), code.as_str()))
        .collect();
    let team_id: HashMap<String, &str> = input
        .teams
        .iter()
        .filter_map(|(id, branch, code)| {
            branch_code
                .get(branch.as_str())
                .map(|b| (format!("{b}/{code}"), id.as_str()))
        })
        .collect();
    let by_key = |list: &[GroupBreakdown]| -> HashMap<String, usize> {
        list.iter()
            .enumerate()
            .filter_map(|(i, g)| g.key.clone().map(|k| (k, i)))
            .collect()
    };
    let (region_breakdown, branch_breakdown, team_breakdown) = (
        by_key(&breakdowns.regions),
        by_key(&breakdowns.branches),
        by_key(&breakdowns.teams),
    );

    let regions = report
        .regions
        .iter()
        .map(|r| {
            let key = r.key.clone().unwrap_or_default();
            let b = region_breakdown.get(&key).map(|&i| &breakdowns.regions[i]);
            Group {
                id: region_id.get(key.as_str()).map(|s| (*s).to_owned()),
                summary: r.summary(),
                sections: b.map(|g| g.sections.clone()).unwrap_or_default(),
                items: b.map(|g| g.items.clone()).unwrap_or_default(),
                key: Some(key),
            }
        })
        .collect();
    let mut branch_list: Vec<Branch> = report
        .branches
        .iter()
        .filter_map(|b| {
            let id = branch_id.get(b.key.as_str())?;
            let d = branch_breakdown
                .get(&b.key)
                .map(|&i| &breakdowns.branches[i]);
            Some(Branch {
                id: (*id).to_owned(),
                key: b.key.clone(),
                region_id: b
                    .region
                    .as_deref()
                    .and_then(|r| region_id.get(r))
                    .map(|r| (*r).to_owned()),
                summary: b.summary(),
                rank: None,
                region_rank: None,
                failing_items: b
                    .failing_items
                    .iter()
                    .map(|i| (i.checklist.clone(), i.key.clone()))
                    .collect(),
                sections: d.map(|g| g.sections.clone()).unwrap_or_default(),
                items: d.map(|g| g.items.clone()).unwrap_or_default(),
            })
        })
        .collect();
    // Ranks (the scoring crate's rule) and ranks within each region.
    rank_branches(&mut branch_list);
    let teams = report
        .teams
        .iter()
        .map(|t| {
            let d = team_breakdown.get(&t.key).map(|&i| &breakdowns.teams[i]);
            Group {
                id: team_id.get(&t.key).map(|s| (*s).to_owned()),
                key: Some(t.key.clone()),
                summary: t.summary(),
                sections: d.map(|g| g.sections.clone()).unwrap_or_default(),
                items: d.map(|g| g.items.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let shoppers = report
        .shoppers
        .iter()
        .map(|s| Shopper {
            user_id: s.key.clone(),
            visits: s.visits,
            raw_score: s.raw_score,
            severity: s.severity,
            severity_ci: s.severity_ci,
            flag: s.flag.map(|f| f.as_str().to_owned()),
        })
        .collect();
    let org_items = report.items.clone();
    let entries = |list: &[sirr_scoring::report::Aggregate],
                   ids: &dyn Fn(&str) -> Option<String>| {
        let mut out: Vec<PeriodEntry> = list
            .iter()
            .filter_map(|a| {
                Some(PeriodEntry {
                    id: ids(a.key.as_deref()?)?,
                    summary: a.summary(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    };
    let periods = report
        .periods
        .iter()
        .map(|p| Period {
            period: p.period.clone(),
            organisation: p.organisation.summary(),
            regions: entries(&p.regions, &|k| region_id.get(k).map(|s| (*s).to_owned())),
            branches: entries(&p.branches, &|k| branch_id.get(k).map(|s| (*s).to_owned())),
            teams: entries(&p.teams, &|k| team_id.get(k).map(|s| (*s).to_owned())),
        })
        .collect();
    let mut scores = Scores {
        selection: selection.key().to_owned(),
        generation: generation.to_owned(),
        computed_at: time(db::now()),
        skipped,
        model: Model {
            method: report.model.method.clone(),
            converged: report.model.converged,
            notes: report.model.notes.clone(),
        },
        organisation: Group {
            id: None,
            key: None,
            summary: report.organisation.summary(),
            sections: breakdowns.organisation.sections.clone(),
            items: breakdowns.organisation.items.clone(),
        },
        regions,
        branches: branch_list,
        teams,
        shoppers,
        items: org_items,
        agreement: report
            .agreement
            .as_ref()
            .and_then(|a| serde_json::to_value(a).ok()),
        periods,
        index: Index::default(),
    };
    scores.reindex();
    scores
}

/// One truth for a period (docs/scoring.md §3.7): the figures of every organisation, region,
/// branch and team in the period — raw and fair scores with their intervals and visits — are
/// the joint fit's estimates for that period, the ranks are by those fair scores, the model is
/// the joint one, and `periods` holds the joint fit's periods up to and including this one (the
/// trend, whose last point is then the headline, and the baseline of the change). What is not
/// an estimate — section and item results, failing items, shopper severity — stays the period's
/// own.
pub fn adopt_joint(scores: &mut Scores, joint: &Scores) {
    let label = scores.selection.clone();
    scores.periods = joint
        .periods
        .iter()
        .filter(|p| p.period <= label)
        .cloned()
        .collect();
    scores.model = joint.model.clone();
    scores.model.notes.push(format!(
        "the figures of {label} are the joint fit's estimates for that period (selection {})",
        joint.selection
    ));
    let Some(p) = scores.periods.iter().find(|p| p.period == label) else {
        // No visits in the period: nothing to take over.
        return;
    };
    let take = |summary: &mut Summary, list: &[PeriodEntry], id: Option<&str>| {
        let found = id.and_then(|id| {
            list.binary_search_by(|e| e.id.as_str().cmp(id))
                .ok()
                .map(|i| &list[i].summary)
        });
        match found {
            Some(s) => *summary = s.clone(),
            // Visits the joint fit did not see (only when they changed in between): no estimate.
            None => {
                summary.fair_score = None;
                summary.fair_ci = None;
            }
        }
    };
    scores.organisation.summary = p.organisation.clone();
    for r in &mut scores.regions {
        take(&mut r.summary, &p.regions, r.id.as_deref());
    }
    for t in &mut scores.teams {
        take(&mut t.summary, &p.teams, t.id.as_deref());
    }
    for b in &mut scores.branches {
        take(&mut b.summary, &p.branches, Some(b.id.as_str()));
    }
    rank_branches(&mut scores.branches);
    scores.reindex();
}

/// Ranks by fair score, best first, ties by code (as the scoring crate ranks), and within each
/// region by the overall rank.
fn rank_branches(branches: &mut [Branch]) {
    let mut order: Vec<usize> = (0..branches.len())
        .filter(|&i| branches[i].summary.fair_score.is_some())
        .collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (
            branches[a].summary.fair_score,
            branches[b].summary.fair_score,
        );
        fb.partial_cmp(&fa)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| branches[a].key.cmp(&branches[b].key))
    });
    for b in branches.iter_mut() {
        b.rank = None;
        b.region_rank = None;
    }
    let mut in_region: HashMap<String, usize> = HashMap::new();
    for (position, i) in order.into_iter().enumerate() {
        branches[i].rank = Some(position + 1);
        if let Some(region) = branches[i].region_id.clone() {
            let n = in_region.entry(region).or_default();
            *n += 1;
            branches[i].region_rank = Some(*n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `all` result whose months had visits to these many branches.
    fn months(visited: &[(&str, usize)]) -> Scores {
        let mut scores = empty(&Selection::All, "0.0");
        scores.periods = visited
            .iter()
            .map(|(label, n)| Period {
                period: (*label).to_owned(),
                organisation: Summary::default(),
                regions: Vec::new(),
                branches: (0..*n)
                    .map(|i| PeriodEntry {
                        id: format!("b{i:02}"),
                        summary: Summary::default(),
                    })
                    .collect(),
                teams: Vec::new(),
            })
            .collect();
        scores
    }

    fn day(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_default_period_is_the_latest_ended_month_with_broad_data() {
        let demo = months(&[
            ("2026-09", 24),
            ("2026-10", 24),
            ("2026-11", 1),
            ("2026-12", 3),
        ]);
        // December has not ended; November ended with one branch visited: October.
        assert_eq!(
            default_period(&demo, day("2026-12-06")).as_deref(),
            Some("2026-10")
        );
        // Once December has ended with visits to half the branches, it is the default.
        let later = months(&[("2026-10", 24), ("2026-11", 1), ("2026-12", 12)]);
        assert_eq!(
            default_period(&later, day("2027-01-01")).as_deref(),
            Some("2026-12")
        );
        // The last day of a month has not ended it.
        assert_eq!(
            default_period(&later, day("2026-12-31")).as_deref(),
            Some("2026-10")
        );
        // Nothing has ended yet: the latest month with visits.
        let young = months(&[("2026-12", 2)]);
        assert_eq!(
            default_period(&young, day("2026-12-06")).as_deref(),
            Some("2026-12")
        );
        assert_eq!(default_period(&months(&[]), day("2026-12-06")), None);
        // A period's result has no default.
        let mut october = months(&[("2026-10", 24)]);
        october.selection = "2026-10".into();
        assert_eq!(default_period(&october, day("2026-12-06")), None);
    }
}
