//! Collecting scored visits and assembling the report.

use std::collections::BTreeMap;

use super::hash::FastMap;

use super::calibration::{Calibration, agreement};
use super::fairness::{FairResults, Unit, fit_all};
use super::items::{ItemStats, item_results};
use super::{
    Aggregate, BranchResult, ModelSummary, PeriodResult, Report, ReportOptions, SectionScores,
    SeverityFlag, ShopperResult, TeamResult, VisitResult,
};
use crate::catalog::{Catalog, ScoredVisit};
use crate::period::{LocalDateTime, label};
use crate::stats::mean_ci90;
use crate::visit::VisitProblem;

/// Strings numbered in order of first appearance.
#[derive(Debug, Default)]
pub(super) struct Interner {
    index: FastMap<String, u32>,
    pub(super) names: Vec<String>,
}

impl Interner {
    pub(super) fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }

    pub(super) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(s.to_owned(), i);
        self.names.push(s.to_owned());
        i
    }

    pub(super) fn len(&self) -> usize {
        self.names.len()
    }
}

/// A stored visit, reduced to what the report needs.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) id: Box<str>,
    pub(super) entry: u32,
    pub(super) score: Option<f64>,
    pub(super) critical_failed: bool,
    pub(super) sections: Box<[Option<f64>]>,
    pub(super) branch: u32,
    pub(super) team: Option<u32>,
    pub(super) shopper: u32,
    pub(super) scenario: u32,
    pub(super) weekday: u8,
    pub(super) hour_band: u8,
    pub(super) period: u32,
    pub(super) calibration: Option<u32>,
}

/// Hour bands of the local visit time: before noon, the midday peak, afternoon, evening peak.
pub const HOUR_BANDS: [&str; 4] = ["morning", "midday", "afternoon", "evening"];

/// The hour band of a local time (see [`HOUR_BANDS`]).
pub fn hour_band(local: &LocalDateTime) -> u8 {
    match local.hour {
        0..=11 => 0,
        12..=13 => 1,
        14..=16 => 2,
        _ => 3,
    }
}

/// Collects scored visits and builds the report.
pub struct ReportBuilder<'c> {
    pub(super) catalog: &'c Catalog<'c>,
    pub(super) options: ReportOptions,
    pub(super) rows: Vec<Row>,
    ids: FastMap<Box<str>, usize>,
    pub(super) branches: Interner,
    branch_region: Vec<Option<(u32, usize)>>,
    pub(super) regions: Interner,
    pub(super) teams: Interner,
    pub(super) team_branch: Vec<u32>,
    pub(super) shoppers: Interner,
    pub(super) scenarios: Interner,
    pub(super) periods: Interner,
    pub(super) calibration: Calibration,
    pub(super) item_stats: ItemStats,
    /// Item counts per team, kept only for [`ReportBuilder::with_breakdowns`].
    pub(super) team_item_stats: Option<ItemStats>,
    rejected: Vec<VisitProblem>,
}

impl<'c> ReportBuilder<'c> {
    /// A builder for visits of the checklists in `catalog`.
    pub fn new(catalog: &'c Catalog<'c>, options: ReportOptions) -> Self {
        Self {
            catalog,
            options,
            rows: Vec::new(),
            ids: FastMap::default(),
            branches: Interner::default(),
            branch_region: Vec::new(),
            regions: Interner::default(),
            teams: Interner::default(),
            team_branch: Vec::new(),
            shoppers: Interner::default(),
            scenarios: Interner::default(),
            periods: Interner::default(),
            calibration: Calibration::default(),
            item_stats: ItemStats::new(catalog.item_count()),
            team_item_stats: None,
            rejected: Vec::new(),
        }
    }

    /// A builder that also keeps what [`ReportBuilder::finish_with_breakdowns`] needs for
    /// item results per team (per-team item counts cost memory in proportion to teams × items,
    /// so [`ReportBuilder::new`] does not keep them).
    pub fn with_breakdowns(catalog: &'c Catalog<'c>, options: ReportOptions) -> Self {
        let mut builder = Self::new(catalog, options);
        builder.team_item_stats = Some(ItemStats::new(catalog.item_count()));
        builder
    }

    /// Reserves room for `n` more visits.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        self.ids.reserve(n);
    }

    /// Number of visits stored.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no visit is stored.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub(super) fn branch_region_of(&self, branch: usize) -> Option<u32> {
        self.branch_region
            .get(branch)
            .copied()
            .flatten()
            .map(|(region, _)| region)
    }

    /// Records lines that were refused and skipped, to be listed in the report.
    pub fn record_rejected(&mut self, problems: impl IntoIterator<Item = VisitProblem>) {
        self.rejected.extend(problems);
    }

    /// Adds a scored visit read from `line`. Problems that involve other visits (a repeated id,
    /// a branch in two regions, an inconsistent calibration group) refuse the visit whole.
    ///
    /// # Errors
    /// Every such problem, naming the line and key.
    pub fn push(&mut self, scored: ScoredVisit, line: usize) -> Result<(), Vec<VisitProblem>> {
        let v = &scored.visit;
        let mut problems = Vec::new();
        let mut fail = |key: &str, problem: String| {
            problems.push(VisitProblem {
                line,
                key: key.to_owned(),
                problem,
            });
        };
        if let Some(first) = self.ids.get(v.id.as_str()) {
            fail(
                "id",
                format!("visit id '{}' was already used on line {first}", v.id),
            );
        }
        let branch = self.branches.get(&v.branch);
        if let (Some(region), Some(b)) = (&v.region, branch)
            && let Some((known, first)) = self.branch_region[b as usize]
            && self.regions.names[known as usize] != *region
        {
            fail(
                "region",
                format!(
                    "branch '{}' is in region '{}' on line {first}, not '{region}'",
                    v.branch, self.regions.names[known as usize]
                ),
            );
        }
        if let Some(group) = &v.calibration
            && let Err(problem) = self.calibration.check(group, &scored)
        {
            fail("calibration", problem);
        }
        if !problems.is_empty() {
            return Err(problems);
        }

        let branch = self.branches.intern(&v.branch);
        if self.branch_region.len() < self.branches.len() {
            self.branch_region.push(None);
        }
        if let Some(region) = &v.region
            && self.branch_region[branch as usize].is_none()
        {
            self.branch_region[branch as usize] = Some((self.regions.intern(region), line));
        }
        let team = v.team.as_ref().map(|t| {
            let team = self.teams.intern(&format!("{}/{t}", v.branch));
            if self.team_branch.len() < self.teams.len() {
                self.team_branch.push(branch);
            }
            team
        });
        let entry = &self.catalog.entries()[scored.entry];
        self.item_stats
            .add(branch as usize, entry.first_item, &scored.score.items);
        if let (Some(stats), Some(team)) = (&mut self.team_item_stats, team) {
            stats.add(team as usize, entry.first_item, &scored.score.items);
        }
        let row_index = self.rows.len();
        let calibration = v
            .calibration
            .as_ref()
            .map(|group| self.calibration.add(group, row_index, line, &scored));
        let row = Row {
            id: v.id.clone().into_boxed_str(),
            entry: scored.entry as u32,
            score: scored.score.score,
            critical_failed: scored.score.critical_failed,
            sections: scored.score.sections.into_boxed_slice(),
            branch,
            team,
            shopper: self.shoppers.intern(&v.shopper),
            scenario: self.scenarios.intern(v.scenario.as_deref().unwrap_or("")),
            weekday: scored.local.weekday as u8,
            hour_band: hour_band(&scored.local),
            period: self
                .periods
                .intern(&label(&scored.local, self.options.period)),
            calibration,
        };
        self.ids.insert(row.id.clone(), line);
        self.rows.push(row);
        Ok(())
    }

    /// Builds the report, and section and item results per organisation, region, branch and
    /// team (see [`Breakdowns`](super::Breakdowns)). Item results per team need a builder made
    /// with [`ReportBuilder::with_breakdowns`]; otherwise teams list sections only.
    pub fn finish_with_breakdowns(self) -> (Report, super::Breakdowns) {
        let breakdowns = super::breakdown::breakdowns(&self);
        (self.finish(), breakdowns)
    }

    /// Builds the report.
    pub fn finish(self) -> Report {
        let units = self.units();
        // Agreement and item results do not depend on the fit: compute them alongside it.
        let (fair, (items, agreement)) = std::thread::scope(|scope| {
            let side = scope.spawn(|| {
                (
                    item_results(&self),
                    agreement(&self.calibration, self.catalog),
                )
            });
            let fair = fit_all(&self, &units);
            match side.join() {
                Ok(side) => (fair, side),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        let failing = items.failing_by_branch;

        let region_of =
            |b: usize| -> Option<u32> { self.branch_region[b].map(|(region, _)| region) };

        // Raw values per group, from units (a calibration encounter counts once).
        let nb = self.branches.len();
        let mut by_branch: Vec<Vec<f64>> = vec![Vec::new(); nb];
        let mut by_team: Vec<Vec<f64>> = vec![Vec::new(); self.teams.len()];
        let mut by_region: Vec<Vec<f64>> = vec![Vec::new(); self.regions.len()];
        let mut all = Vec::with_capacity(units.len());
        let mut by_period: BTreeMap<u32, PeriodValues> = BTreeMap::new();
        for u in &units {
            let b = u.branch as usize;
            by_branch[b].push(u.score);
            all.push(u.score);
            let p = by_period.entry(u.period).or_default();
            p.all.push(u.score);
            p.branches.entry(u.branch).or_default().push(u.score);
            if let Some(t) = u.team {
                by_team[t as usize].push(u.score);
                p.teams.entry(t).or_default().push(u.score);
            }
            if let Some(r) = region_of(b) {
                by_region[r as usize].push(u.score);
                p.regions.entry(r).or_default().push(u.score);
            }
        }

        let mut branch_shoppers: Vec<Vec<u32>> = vec![Vec::new(); nb];
        let mut shopper_scores: Vec<Vec<f64>> = vec![Vec::new(); self.shoppers.len()];
        let mut shopper_visits = vec![0usize; self.shoppers.len()];
        for row in &self.rows {
            branch_shoppers[row.branch as usize].push(row.shopper);
            shopper_visits[row.shopper as usize] += 1;
            if let Some(s) = row.score {
                shopper_scores[row.shopper as usize].push(s);
            }
        }

        let mut branches: Vec<BranchResult> = (0..nb)
            .map(|b| {
                let (raw_score, raw_ci) = raw(&by_branch[b]);
                let mut shoppers = std::mem::take(&mut branch_shoppers[b]);
                shoppers.sort_unstable();
                shoppers.dedup();
                BranchResult {
                    key: self.branches.names[b].clone(),
                    region: region_of(b).map(|r| self.regions.names[r as usize].clone()),
                    visits: by_branch[b].len(),
                    shoppers: shoppers.len(),
                    raw_score,
                    raw_ci,
                    fair_score: fair.branches[b].map(|e| e.score),
                    fair_ci: fair.branches[b].map(|e| e.ci),
                    rank: None,
                    failing_items: failing.get(&(b as u32)).cloned().unwrap_or_default(),
                }
            })
            .collect();
        rank(&mut branches);
        branches.sort_by(|a, b| a.key.cmp(&b.key));

        let mut teams: Vec<TeamResult> = (0..self.teams.len())
            .map(|t| {
                let (raw_score, raw_ci) = raw(&by_team[t]);
                TeamResult {
                    key: self.teams.names[t].clone(),
                    visits: by_team[t].len(),
                    raw_score,
                    raw_ci,
                    fair_score: fair.teams[t].map(|e| e.score),
                    fair_ci: fair.teams[t].map(|e| e.ci),
                }
            })
            .collect();
        teams.sort_by(|a, b| a.key.cmp(&b.key));

        let mut regions: Vec<Aggregate> = (0..self.regions.len())
            .map(|r| {
                aggregate(
                    Some(self.regions.names[r].clone()),
                    &by_region[r],
                    fair.regions[r],
                )
            })
            .collect();
        regions.sort_by(|a, b| a.key.cmp(&b.key));

        let threshold = self.options.severity_threshold;
        let mut shoppers: Vec<ShopperResult> = (0..self.shoppers.len())
            .map(|s| {
                let severity = fair.shoppers[s];
                ShopperResult {
                    key: self.shoppers.names[s].clone(),
                    visits: shopper_visits[s],
                    raw_score: raw(&shopper_scores[s]).0,
                    severity: severity.map(|e| e.score),
                    severity_ci: severity.map(|e| e.ci),
                    flag: severity.and_then(|e| flag(e.score, e.ci, threshold)),
                }
            })
            .collect();
        shoppers.sort_by(|a, b| a.key.cmp(&b.key));

        let periods = by_period
            .into_iter()
            .map(|(p, values)| self.period_result(p, values, &fair))
            .collect::<Vec<_>>();
        let mut periods = periods;
        periods.sort_by(|a, b| a.period.cmp(&b.period));

        let organisation = aggregate(None, &all, fair.organisation);
        let model = model_summary(&fair);
        let visits = self
            .rows
            .into_iter()
            .map(|row| VisitResult {
                id: row.id.into(),
                score: row.score,
                critical_failed: row.critical_failed,
                sections: SectionScores {
                    keys: self.catalog.entries()[row.entry as usize]
                        .section_keys
                        .clone(),
                    scores: row.sections,
                },
            })
            .collect();
        Report {
            visits,
            organisation,
            regions,
            branches,
            teams,
            shoppers,
            items: items.items,
            agreement,
            periods,
            model,
            rejected: self.rejected,
        }
    }

    /// The scored units: each visit, except that a calibration encounter is one unit whose score
    /// is the mean of its raters' visit scores (SPEC §9.13).
    fn units(&self) -> Vec<Unit> {
        let mut units = Vec::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            match row.calibration {
                None => {
                    if let Some(score) = row.score {
                        units.push(Unit {
                            score,
                            branch: row.branch,
                            team: row.team,
                            period: row.period,
                        });
                    }
                }
                Some(group) => {
                    let members = self.calibration.members(group);
                    // The group is represented by its first rater's row.
                    if members.first() != Some(&i) {
                        continue;
                    }
                    let scores: Vec<f64> =
                        members.iter().filter_map(|&m| self.rows[m].score).collect();
                    if scores.is_empty() {
                        continue;
                    }
                    let teams: Vec<Option<u32>> =
                        members.iter().map(|&m| self.rows[m].team).collect();
                    let team = if teams.iter().all(|t| *t == teams[0]) {
                        teams[0]
                    } else {
                        teams.iter().flatten().next().copied()
                    };
                    units.push(Unit {
                        score: scores.iter().sum::<f64>() / scores.len() as f64,
                        branch: row.branch,
                        team,
                        period: row.period,
                    });
                }
            }
        }
        units
    }

    fn period_result(&self, p: u32, values: PeriodValues, fair: &FairResults) -> PeriodResult {
        let mut branches: Vec<Aggregate> = values
            .branches
            .iter()
            .map(|(b, v)| {
                aggregate(
                    Some(self.branches.names[*b as usize].clone()),
                    v,
                    fair.branch_periods.get(&(*b, p)).copied(),
                )
            })
            .collect();
        branches.sort_by(|a, b| a.key.cmp(&b.key));
        let mut teams: Vec<Aggregate> = values
            .teams
            .iter()
            .map(|(t, v)| {
                aggregate(
                    Some(self.teams.names[*t as usize].clone()),
                    v,
                    fair.team_periods.get(&(*t, p)).copied(),
                )
            })
            .collect();
        teams.sort_by(|a, b| a.key.cmp(&b.key));
        let mut regions: Vec<Aggregate> = values
            .regions
            .iter()
            .map(|(r, v)| {
                aggregate(
                    Some(self.regions.names[*r as usize].clone()),
                    v,
                    fair.region_periods.get(&(*r, p)).copied(),
                )
            })
            .collect();
        regions.sort_by(|a, b| a.key.cmp(&b.key));
        PeriodResult {
            period: self.periods.names[p as usize].clone(),
            organisation: aggregate(None, &values.all, fair.periods.get(&p).copied()),
            regions,
            branches,
            teams,
        }
    }
}

#[derive(Default)]
struct PeriodValues {
    all: Vec<f64>,
    branches: BTreeMap<u32, Vec<f64>>,
    teams: BTreeMap<u32, Vec<f64>>,
    regions: BTreeMap<u32, Vec<f64>>,
}

/// A point estimate with its 90% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Estimate {
    pub(super) score: f64,
    pub(super) ci: [f64; 2],
}

fn raw(values: &[f64]) -> (Option<f64>, Option<[f64; 2]>) {
    match mean_ci90(values) {
        Some((m, ci)) => (Some(m), ci),
        None => (None, None),
    }
}

fn aggregate(key: Option<String>, values: &[f64], fair: Option<Estimate>) -> Aggregate {
    let (raw_score, raw_ci) = raw(values);
    Aggregate {
        key,
        visits: values.len(),
        raw_score,
        raw_ci,
        fair_score: fair.map(|e| e.score),
        fair_ci: fair.map(|e| e.ci),
    }
}

/// Ranks branches by fair score, best first; ties share the order of their keys.
fn rank(branches: &mut [BranchResult]) {
    let mut order: Vec<usize> = (0..branches.len())
        .filter(|&b| branches[b].fair_score.is_some())
        .collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (branches[a].fair_score, branches[b].fair_score);
        fb.partial_cmp(&fa)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| branches[a].key.cmp(&branches[b].key))
    });
    for (position, b) in order.into_iter().enumerate() {
        branches[b].rank = Some(position + 1);
    }
}

/// Harsh or lenient when the interval excludes 0 and the severity is at least
/// `threshold` in size.
fn flag(severity: f64, ci: [f64; 2], threshold: f64) -> Option<SeverityFlag> {
    if ci[1] < 0.0 && severity <= -threshold {
        Some(SeverityFlag::Harsh)
    } else if ci[0] > 0.0 && severity >= threshold {
        Some(SeverityFlag::Lenient)
    } else {
        None
    }
}

fn model_summary(fair: &FairResults) -> ModelSummary {
    let fit = &fair.fit;
    let mut components: BTreeMap<String, f64> =
        fit.factors.iter().map(|f| (f.name.clone(), f.sd)).collect();
    components.insert("team".to_owned(), fair.team_sd);
    components.insert("branch_period".to_owned(), fair.branch_period_sd);
    let mut notes = fair.notes.clone();
    notes.extend(fit.notes.iter().cloned());
    ModelSummary {
        method: "crossed random-effects model (branch + shopper + scenario + weekday + hour band \
                 + checklist version + period + region, and the shoppers' home region where \
                 shoppers work mostly in one; teams and branch x period nested), \
                 empirical Bayes: Henderson's equations (exact REML through the Schur complement \
                 of the branch block where it is small, else conjugate gradients with \
                 approximate components); fair scores at the average shopper and the data \
                 set's mix of conditions; see docs/scoring.md"
            .to_owned(),
        converged: fit.converged,
        iterations: fit.iterations,
        passes: fit.passes,
        observations: fit.observations,
        mean: fit.mu,
        sigma: fit.sigma,
        components,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_need_an_interval_clear_of_zero_and_a_large_enough_offset() {
        assert_eq!(flag(-0.08, [-0.12, -0.04], 0.05), Some(SeverityFlag::Harsh));
        assert_eq!(flag(0.08, [0.04, 0.12], 0.05), Some(SeverityFlag::Lenient));
        assert_eq!(flag(-0.03, [-0.05, -0.01], 0.05), None);
        assert_eq!(flag(-0.08, [-0.17, 0.01], 0.05), None);
    }

    #[test]
    fn hour_bands_follow_local_time() {
        let at = |hour| LocalDateTime {
            year: 2026,
            month: 10,
            day: 3,
            hour,
            minute: 0,
            second: 0,
            weekday: 6,
            offset_minutes: 180,
        };
        let bands: Vec<u8> = [8, 11, 12, 13, 14, 16, 17, 21]
            .map(|h| hour_band(&at(h)))
            .into();
        assert_eq!(bands, vec![0, 0, 1, 1, 2, 2, 3, 3]);
    }
}
