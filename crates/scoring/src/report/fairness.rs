//! Fair scores for every group of the report, from one fit of the crossed model.

use std::collections::BTreeMap;

use super::hash::FastMap as HashMap;

use super::builder::{Estimate, HOUR_BANDS, ReportBuilder};
use crate::fair::{Design, Fit, error_variances, fit, fit_nested};

/// z for a two-sided 90% interval.
const Z90: f64 = 1.644_853_626_951_472_2;

/// A scored unit for raw aggregates: a visit, or a calibration encounter counted once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub(super) score: f64,
    pub(super) branch: u32,
    pub(super) team: Option<u32>,
    pub(super) period: u32,
}

/// Factor order of the design.
const BRANCH: usize = 0;
const SHOPPER: usize = 1;
const PERIOD: usize = 6;
const REGION: usize = 7;
const HOME: usize = 8;
/// Visits outside their shopper's home region needed per home region before the home region's
/// shopper mean is estimated (below that it cannot be told apart from the region's quality).
const HOME_MIN_AWAY: f64 = 10.0;
/// Share of visits made in the shopper's home region above which shoppers count as working
/// mostly in one region (random assignment over 8 regions gives about 0.2).
const HOME_MIN_SHARE: f64 = 0.5;
/// The conditions: fair scores are at the data set's mix of their levels (SPEC §10.40).
const CONDITIONS: [usize; 5] = [2, 3, 4, 5, 6];

pub(super) struct FairResults {
    pub(super) fit: Fit,
    pub(super) organisation: Option<Estimate>,
    pub(super) branches: Vec<Option<Estimate>>,
    pub(super) teams: Vec<Option<Estimate>>,
    pub(super) regions: Vec<Option<Estimate>>,
    pub(super) shoppers: Vec<Option<Estimate>>,
    pub(super) periods: HashMap<u32, Estimate>,
    pub(super) branch_periods: HashMap<(u32, u32), Estimate>,
    pub(super) team_periods: HashMap<(u32, u32), Estimate>,
    pub(super) region_periods: HashMap<(u32, u32), Estimate>,
    pub(super) team_sd: f64,
    pub(super) branch_period_sd: f64,
    pub(super) notes: Vec<String>,
}

fn estimate(score: f64, variance: f64) -> Estimate {
    let half = Z90 * variance.max(0.0).sqrt();
    let clip = |v: f64| v.clamp(0.0, 1.0);
    Estimate {
        score: clip(score),
        ci: [clip(score - half), clip(score + half)],
    }
}

/// A branch's share in a weighted mean: (weight, effect, error variance).
type Part = (f64, f64, f64);

/// Fits the model and derives every fair score and severity.
pub(super) fn fit_all(b: &ReportBuilder<'_>, units: &[Unit]) -> FairResults {
    let (design, rows, homes) = build_design(b);
    let notes = check_connectivity(b, &rows);
    let fit = fit(&design, b.options.fit);
    let branch_var = error_variances(&design, &fit, BRANCH);
    let shopper_var = error_variances(&design, &fit, SHOPPER);
    let period_var = error_variances(&design, &fit, PERIOD);
    let region_fit = &fit.factors[REGION];
    let branch_region: Vec<Option<u32>> = (0..b.branches.len())
        .map(|l| Some(b.branch_region_of(l).unwrap_or(b.regions.len() as u32)))
        .collect();
    // The reference: μ at the data set's mix of conditions and the average shopper (each
    // shopper counted once), SPEC §5 and §10.40.
    // A shopper's severity is their home region's shopper mean plus their own deviation, so the
    // average shopper adds the home-region means weighted by their numbers of shoppers.
    let mut reference = fit.reference(&CONDITIONS, &[SHOPPER]);
    let home_mix = home_mix(&fit, &homes);
    reference.extend(home_mix.iter().copied());
    // Regions are a fixed factor (barely shrunk, so region-level differences cannot leak into
    // the shoppers who work there), and μ alone is not well determined beside them: the
    // organisation's level is the reference at the data set's mix of regions, and a branch's
    // region effect is relative to that mix.
    let mut centre = reference.clone();
    centre.extend(fit.reference(&[REGION], &[]).into_iter().skip(1));
    let mu = fit.value(&centre);
    let region_mix = mu - fit.value(&reference);
    let region_effect = |l: usize| -> f64 {
        branch_region[l].map_or(0.0, |r| region_fit.effects[r as usize]) - region_mix
    };
    let approx_var_ref = {
        // Without the exact covariance: the residual part of μ plus the average shopper's error.
        let shoppers = &fit.factors[SHOPPER];
        let used = shoppers.weight.iter().filter(|w| **w > 0.0).count().max(1) as f64;
        let s_part: f64 = shoppers
            .weight
            .iter()
            .zip(&shopper_var)
            .filter(|(w, _)| **w > 0.0)
            .map(|(_, v)| v / (used * used))
            .sum();
        fit.mu_variance(None) - fit.mu_variance(Some(fit.factors.len())) + s_part
    };
    let var_mu = fit.exact_variance(&centre).unwrap_or(approx_var_ref);
    let exact_branch = fit.exact_level_variances(&reference, Some((REGION, &branch_region)));
    let branch_total_var: Vec<f64> = match &exact_branch {
        Some(v) => v.clone(),
        None => (0..b.branches.len())
            .map(|l| {
                let r = branch_region[l].map_or(0.0, |r| region_fit.pev[r as usize]);
                branch_var[l] + var_mu + r
            })
            .collect(),
    };
    // Plus what the fair score inherits from the estimated variance components (Kackar and
    // Harville), where exact REML estimated them.
    let branch_total_var: Vec<f64> = branch_total_var
        .into_iter()
        .enumerate()
        .map(|(l, v)| {
            if fit.factors[BRANCH].weight[l] <= 0.0 {
                return v;
            }
            let mut a = reference.clone();
            a.push((fit.index(BRANCH, l), 1.0));
            if let Some(r) = branch_region[l] {
                a.push((fit.index(REGION, r as usize), 1.0));
            }
            v + fit.component_variance(&a)
        })
        .collect();
    // A branch's own error, without the reference's (for sums over branches).
    let branch_own_var: Vec<f64> = branch_total_var
        .iter()
        .map(|v| (v - var_mu).max(0.0))
        .collect();
    let branch = &fit.factors[BRANCH];
    let period = &fit.factors[PERIOD];
    let has_data = |w: f64| w > 0.0 && fit.observations > 0;
    let branch_effect = |l: usize| region_effect(l) + branch.effects[l];
    // The period's own effect replaces its share in the mix for estimates within one period.
    let period_mix: f64 = reference
        .iter()
        .filter(|(g, _)| (fit.index(PERIOD, 0)..fit.index(PERIOD + 1, 0)).contains(g))
        .map(|&(g, c)| c * period.effects[g - fit.index(PERIOD, 0)])
        .sum();

    let branches: Vec<Option<Estimate>> = (0..b.branches.len())
        .map(|l| {
            has_data(branch.weight[l]).then(|| estimate(mu + branch_effect(l), branch_total_var[l]))
        })
        .collect();

    let shopper_fit = &fit.factors[SHOPPER];
    let mut shopper_centre = fit.reference(&[], &[SHOPPER]);
    shopper_centre.extend(home_mix.iter().copied());
    let shopper_mean = fit.value(&shopper_centre) - fit.mu;
    let shopper_var = fit
        .exact_relative_variances(SHOPPER, &shopper_centre[1..])
        .unwrap_or(shopper_var);
    let home_fit = &fit.factors[HOME];
    let home_effect = |s: usize| -> (f64, f64) {
        match homes.get(s).copied().flatten() {
            Some(h) if home_fit.left_out.is_none() => {
                (home_fit.effects[h as usize], home_fit.pev[h as usize])
            }
            _ => (0.0, 0.0),
        }
    };
    let shoppers = (0..b.shoppers.len())
        .map(|s| {
            let f = shopper_fit;
            (f.left_out.is_none() && has_data(f.weight[s])).then(|| {
                let (h, h_var) = home_effect(s);
                // Exact where available: the error of ŝ_s + ĥ_home(s) − centre as one
                // combination (the home mean's error is shared with the centre's).
                let var = match homes.get(s).copied().flatten() {
                    Some(home) if home_fit.left_out.is_none() && fit.has_exact() => {
                        let mut a: Vec<(usize, f64)> =
                            shopper_centre[1..].iter().map(|&(g, c)| (g, -c)).collect();
                        a.push((fit.index(SHOPPER, s), 1.0));
                        a.push((fit.index(HOME, home as usize), 1.0));
                        fit.exact_variance(&a).unwrap_or(shopper_var[s] + h_var)
                    }
                    _ => shopper_var[s] + h_var,
                };
                let half = Z90 * var.max(0.0).sqrt();
                let sev = f.effects[s] + h - shopper_mean;
                Estimate {
                    score: sev,
                    ci: [sev - half, sev + half],
                }
            })
        })
        .collect();

    // Teams within branches, nested on the residuals.
    let team_levels: Vec<Option<u32>> = rows.iter().map(|&r| b.rows[r].team).collect();
    let teams_fit = fit_nested(&design, &fit, &team_levels, b.teams.len(), b.options.fit);
    let teams = (0..b.teams.len())
        .map(|t| {
            let l = b.team_branch[t] as usize;
            has_data(teams_fit.weight[t]).then(|| {
                estimate(
                    mu + branch_effect(l) + teams_fit.effects[t],
                    branch_total_var[l] + teams_fit.pev[t],
                )
            })
        })
        .collect();

    // Branch x period cells, nested on the residuals.
    let mut cells: HashMap<(u32, u32), u32> = HashMap::default();
    let cell_levels: Vec<Option<u32>> = rows
        .iter()
        .map(|&r| {
            let row = &b.rows[r];
            let next = cells.len() as u32;
            Some(*cells.entry((row.branch, row.period)).or_insert(next))
        })
        .collect();
    let cells_fit = fit_nested(&design, &fit, &cell_levels, cells.len(), b.options.fit);
    let mut branch_periods = HashMap::default();
    for (&(l, p), &c) in &cells {
        let (l, p, c) = (l as usize, p as usize, c as usize);
        branch_periods.insert(
            (l as u32, p as u32),
            estimate(
                mu - period_mix + period.effects[p] + branch_effect(l) + cells_fit.effects[c],
                period_var[p] + branch_total_var[l] + cells_fit.pev[c],
            ),
        );
    }
    let mut team_periods = HashMap::default();
    for u in units {
        let Some(t) = u.team else { continue };
        let key = (t, u.period);
        if team_periods.contains_key(&key) || !has_data(teams_fit.weight[t as usize]) {
            continue;
        }
        let (l, p) = (u.branch as usize, u.period as usize);
        let Some(&c) = cells.get(&(u.branch, u.period)) else {
            continue;
        };
        let c = c as usize;
        team_periods.insert(
            key,
            estimate(
                mu - period_mix
                    + period.effects[p]
                    + branch_effect(l)
                    + cells_fit.effects[c]
                    + teams_fit.effects[t as usize],
                period_var[p] + branch_total_var[l] + cells_fit.pev[c] + teams_fit.pev[t as usize],
            ),
        );
    }

    // Regions and the organisation: visit-weighted means of their branches' fair scores. The
    // branches share μ's error, so it enters once; their own errors are independent.
    let region_of = |l: usize| -> Option<u32> { b.branch_region_of(l) };
    let mut region_parts: BTreeMap<u32, Vec<Part>> = BTreeMap::new();
    let mut org_parts = Vec::new();
    let mut period_parts: BTreeMap<(Option<u32>, u32), Vec<Part>> = BTreeMap::new();
    let mut unit_counts: HashMap<u32, f64> = HashMap::default();
    let mut cell_counts: HashMap<(u32, u32), f64> = HashMap::default();
    for u in units {
        *unit_counts.entry(u.branch).or_default() += 1.0;
        *cell_counts.entry((u.branch, u.period)).or_default() += 1.0;
    }
    for (l, &var) in branch_own_var.iter().enumerate() {
        let Some(&n) = unit_counts.get(&(l as u32)) else {
            continue;
        };
        if !has_data(branch.weight[l]) {
            continue;
        }
        let part = (n, branch_effect(l), var);
        org_parts.push(part);
        if let Some(r) = region_of(l) {
            region_parts.entry(r).or_default().push(part);
        }
    }
    let mut cell_list: Vec<(&(u32, u32), &u32)> = cells.iter().collect();
    cell_list.sort();
    for (&(l, p), &c) in cell_list {
        let Some(&n) = cell_counts.get(&(l, p)) else {
            continue;
        };
        let (li, ci) = (l as usize, c as usize);
        let part = (
            n,
            branch_effect(li) + cells_fit.effects[ci],
            branch_own_var[li] + cells_fit.pev[ci],
        );
        period_parts.entry((None, p)).or_default().push(part);
        if let Some(r) = region_of(li) {
            period_parts.entry((Some(r), p)).or_default().push(part);
        }
    }
    let combine = |parts: &[Part], base: f64, base_var: f64| -> Option<Estimate> {
        let total: f64 = parts.iter().map(|p| p.0).sum();
        (total > 0.0).then(|| {
            let effect: f64 = parts.iter().map(|p| p.0 * p.1).sum::<f64>() / total;
            let var: f64 = parts.iter().map(|p| (p.0 / total).powi(2) * p.2).sum();
            estimate(base + effect, base_var + var)
        })
    };
    let organisation = combine(&org_parts, mu, var_mu);
    let regions = (0..b.regions.len())
        .map(|r| {
            region_parts
                .get(&(r as u32))
                .and_then(|parts| combine(parts, mu, var_mu))
        })
        .collect();
    let mut periods = HashMap::default();
    let mut region_periods = HashMap::default();
    for ((region, p), parts) in &period_parts {
        let pi = *p as usize;
        let Some(e) = combine(
            parts,
            mu - period_mix + period.effects[pi],
            var_mu + period_var[pi],
        ) else {
            continue;
        };
        match region {
            None => {
                periods.insert(*p, e);
            }
            Some(r) => {
                region_periods.insert((*r, *p), e);
            }
        }
    }

    FairResults {
        organisation,
        branches,
        teams,
        regions,
        shoppers,
        periods,
        branch_periods,
        team_periods,
        region_periods,
        team_sd: teams_fit.sd,
        branch_period_sd: cells_fit.sd,
        notes,
        fit,
    }
}

/// The average shopper's share of the home-region shopper means: each home region's effect
/// weighted by its number of shoppers over all shoppers with a home (each shopper counted once).
fn home_mix(fit: &Fit, homes: &[Option<u32>]) -> Vec<(usize, f64)> {
    let home = &fit.factors[HOME];
    if home.left_out.is_some() {
        return Vec::new();
    }
    let mut counts = vec![0.0; home.effects.len()];
    for h in homes.iter().flatten() {
        counts[*h as usize] += 1.0;
    }
    let total: f64 = counts.iter().sum();
    if total <= 0.0 {
        return Vec::new();
    }
    counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0.0)
        .map(|(h, c)| (fit.index(HOME, h), c / total))
        .collect()
}

/// Each shopper's home region: the region of most of their scored visits (ties: the first), or
/// `None` without scored visits. Where shoppers work mostly in one region, their severity is
/// confounded with that region's quality; a shopper's random effect shrunk toward the overall 0
/// then leaks the home region's mean severity into the region's fixed effect (the correlated
/// random effect problem; Mundlak 1978). The model therefore gives each home region a fixed
/// mean severity, estimated from the visits shoppers make outside their home region, and
/// shrinks shoppers toward their home region's mean. Only when at least [`HOME_MIN_SHARE`] of
/// the visits are in their shopper's home region and at least half of the shoppers have visits
/// elsewhere too; and when some home region has fewer than
/// [`HOME_MIN_AWAY`] such visits the means cannot be told apart from region quality and every
/// shopper gets the same home (the factor is left out).
fn homes(b: &ReportBuilder<'_>) -> Vec<Option<u32>> {
    let regions = b.regions.len() + 1;
    let mut counts = vec![0.0; b.shoppers.len() * regions];
    for row in &b.rows {
        if row.score.is_none() {
            continue;
        }
        let r = b
            .branch_region_of(row.branch as usize)
            .unwrap_or(b.regions.len() as u32);
        counts[row.shopper as usize * regions + r as usize] += 1.0;
    }
    let homes: Vec<Option<u32>> = counts
        .chunks(regions)
        .map(|c| {
            let best = c.iter().copied().fold(0.0, f64::max);
            (best > 0.0).then(|| c.iter().position(|v| *v == best).unwrap_or(0) as u32)
        })
        .collect();
    let mut away = vec![0.0; regions];
    let mut used = vec![false; regions];
    let (mut with_home, mut travelled) = (0usize, 0usize);
    for (s, h) in homes.iter().enumerate() {
        let Some(h) = *h else { continue };
        used[h as usize] = true;
        let row = &counts[s * regions..(s + 1) * regions];
        let elsewhere = row.iter().sum::<f64>() - row[h as usize];
        away[h as usize] += elsewhere;
        with_home += 1;
        travelled += usize::from(elsewhere > 0.0);
    }
    // Only where shoppers do work mostly in one region: elsewhere a shopper's region mix is
    // close to random, nothing is confounded, and the home means would only add noise.
    let total: f64 = counts.iter().sum();
    let at_home: f64 = homes
        .iter()
        .enumerate()
        .filter_map(|(s, h)| h.map(|h| counts[s * regions + h as usize]))
        .sum();
    // And only where most shoppers are seen outside their home region too: where most never
    // leave it (one shopper per branch), the home means rest on the few who do and are all but
    // confounded with region quality.
    let identified = total > 0.0
        && at_home >= HOME_MIN_SHARE * total
        && 2 * travelled >= with_home
        && used.iter().filter(|u| **u).count() >= 2
        && used
            .iter()
            .zip(&away)
            .all(|(u, a)| !*u || *a >= HOME_MIN_AWAY);
    if identified {
        homes
    } else {
        homes.into_iter().map(|h| h.map(|_| 0)).collect()
    }
}

/// The design of the crossed model, with the builder rows each observation came from and each
/// shopper's home region.
fn build_design(b: &ReportBuilder<'_>) -> (Design, Vec<usize>, Vec<Option<u32>>) {
    let homes = homes(b);
    let mut design = Design::new(&[
        ("branch", b.branches.len()),
        ("shopper", b.shoppers.len()),
        ("scenario", b.scenarios.len()),
        ("weekday", 7),
        ("hour band", HOUR_BANDS.len()),
        ("checklist version", b.catalog.entries().len()),
        ("period", b.periods.len()),
        ("region", b.regions.len() + 1),
        ("shopper home region", b.regions.len() + 1),
    ]);
    design.optional(REGION);
    design.fixed(REGION);
    design.optional(HOME);
    design.fixed(HOME);
    design.reserve(b.rows.len());
    let mut rows = Vec::with_capacity(b.rows.len());
    for (i, row) in b.rows.iter().enumerate() {
        let Some(y) = row.score else { continue };
        // The raters of one calibration encounter share one visit's weight.
        let weight = match row.calibration {
            None => 1.0,
            Some(group) => {
                let scored = b
                    .calibration
                    .members(group)
                    .iter()
                    .filter(|&&m| b.rows[m].score.is_some())
                    .count();
                1.0 / scored.max(1) as f64
            }
        };
        let levels = [
            row.branch,
            row.shopper,
            row.scenario,
            u32::from(row.weekday.clamp(1, 7) - 1),
            u32::from(row.hour_band),
            row.entry,
            row.period,
            b.branch_region_of(row.branch as usize)
                .unwrap_or(b.regions.len() as u32),
            homes[row.shopper as usize].unwrap_or(0),
        ];
        let before = design.len();
        design.push(y, weight, &levels);
        if design.len() > before {
            rows.push(i);
        }
    }
    (design, rows, homes)
}

/// Checks whether shopper severity can be told apart from branch quality: branches and shoppers
/// are joined when a shopper visited a branch; within a connected group both are estimable, but
/// when no shopper visited two branches they are confounded: the shopper factor stays in (shrunk)
/// and the exact posterior covariance carries the unresolved part into the intervals.
fn check_connectivity(b: &ReportBuilder<'_>, rows: &[usize]) -> Vec<String> {
    let nb = b.branches.len();
    let mut parent: Vec<usize> = (0..nb + b.shoppers.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut branch_shoppers: Vec<Option<u32>> = vec![None; nb];
    let mut single = vec![true; nb];
    for &r in rows {
        let row = &b.rows[r];
        let (x, y) = (row.branch as usize, nb + row.shopper as usize);
        let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
        if rx != ry {
            parent[rx.max(ry)] = rx.min(ry);
        }
        match branch_shoppers[x] {
            None => branch_shoppers[x] = Some(row.shopper),
            Some(s) if s != row.shopper => single[x] = false,
            Some(_) => {}
        }
    }
    let used: Vec<usize> = (0..nb).filter(|&l| branch_shoppers[l].is_some()).collect();
    let mut groups: BTreeMap<usize, usize> = BTreeMap::new();
    for &l in &used {
        *groups.entry(find(&mut parent, l)).or_default() += 1;
    }
    let mut notes = Vec::new();
    if used.len() >= 2 && groups.len() == used.len() {
        notes.push(
            "no shopper visited more than one branch, so shopper severity cannot be told apart \
             from branch quality: the model keeps a shopper effect of the size estimated from \
             the data as a whole and shrinks both, fair scores carry the unresolved part of \
             each branch's shopper severity in their intervals, and severities rest on that \
             assumption"
                .to_owned(),
        );
    } else {
        if groups.len() > 1 {
            notes.push(format!(
                "the visits form {} groups of branches with no shopper in common; comparisons \
                 between groups rest on the assumption that shoppers are alike across them",
                groups.len()
            ));
        }
        let thin = used.iter().filter(|&&l| single[l]).count();
        if thin > 0 && used.len() >= 2 {
            notes.push(format!(
                "{thin} of {} branches were rated by a single shopper; their fair scores rely on \
                 that shopper's severity measured at other branches",
                used.len()
            ));
        }
    }
    notes
}
