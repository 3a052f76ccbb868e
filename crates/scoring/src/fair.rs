//! The fairness model: a crossed random-effects model fitted by empirical Bayes.
//!
//! Each scored observation `i` (a visit score, SPEC §5) is modelled as
//!
//! ```text
//! y_i = μ + Σ_f u_f[l_f(i)] + e_i,    u_f[l] ~ N(0, τ_f²),    e_i ~ N(0, σ²/w_i)
//! ```
//!
//! where every factor `f` (branch, shopper, scenario, weekday, hour band, checklist version,
//! period) contributes one effect per level and `w_i` is the observation's weight (1, or `1/k` for
//! each of `k` raters of one calibration encounter). Given the variance components, the effects are
//! the best linear unbiased predictions: the solution of Henderson's mixed-model equations
//!
//! ```text
//! (X'WX + Λ) θ = X'Wy,    θ = (μ, u),    Λ = diag(0, σ²/τ_f² for each level of f)
//! ```
//!
//! solved by conjugate gradients with a diagonal (Jacobi) preconditioner; each iteration is one
//! pass over the observations, so the cost is linear in the number of visits. The variance
//! components are re-estimated from each factor's level means of partial residuals
//! `m_l = Σ_{i∈l} w_i ê_i / W_l + u_f[l]`, with sampling variances `v_l = σ²/W_l`:
//!
//! ```text
//! τ_f²  solves  Σ_l (m_l² − τ² − v_l)/(τ² + v_l)² = 0   (0 when the left side is ≤ 0 at τ² = 0),
//! σ²  ← Σ_i w_i ê_i² / (n − 1 − Σ_f edf_f),    edf_f = Σ_l W_l / (W_l + σ²/τ_f²),
//! ```
//!
//! which is the fixed point of Harville's (1977) / MacKay's (1992) update under the
//! diagonal approximation of the posterior covariance (SPEC §9.17), reached in one step. Solve
//! and update alternate until the components change by less than [`FitOptions::tolerance`]. The
//! prediction error variances use the same approximation, `PEV_l = σ²/(W_l + σ²/τ_f²)`;
//! [`error_variances`] widens them by the uncertainty of the other factors' effects that were
//! used to adjust the level's observations. Where the Schur complement of the branch block is
//! small (≤ 320 rows) the components are exact REML instead (the fixed point checked against the
//! REML criterion, EM-REML and step halving as fallbacks), and [`Fit::component_variance`] adds
//! what estimates inherit from the estimated components (Kackar–Harville). Factors marked
//! [`Design::fixed`] (regions) keep a weak prior instead of an estimated variance.
//! docs/scoring.md has the whole method.
//!
//! The fit is deterministic (one thread, fixed order) and never returns NaN: degenerate inputs
//! (no data, all scores equal, a factor with a single level) fall back to simpler models and say
//! so in [`Fit::notes`].

use serde::Serialize;

mod schur;
use schur::{Factored, Schur};

/// Options of the fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// Largest number of variance-component updates.
    pub max_iterations: usize,
    /// Relative change of every variance component below which the fit has converged.
    pub tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            max_iterations: 200,
            tolerance: 1e-6,
        }
    }
}

/// The observations and their factor levels, row by row.
#[derive(Debug, Clone, Default)]
pub struct Design {
    names: Vec<String>,
    levels: Vec<usize>,
    rows: Vec<u32>,
    y: Vec<f64>,
    w: Vec<f64>,
    left_out: Vec<Option<String>>,
    optional: Vec<bool>,
    fixed: Vec<bool>,
}

impl Design {
    /// A design with the given factors and their numbers of levels.
    pub fn new(factors: &[(&str, usize)]) -> Self {
        Self {
            names: factors.iter().map(|(n, _)| (*n).to_owned()).collect(),
            levels: factors.iter().map(|(_, l)| *l).collect(),
            left_out: vec![None; factors.len()],
            optional: vec![false; factors.len()],
            fixed: vec![false; factors.len()],
            ..Self::default()
        }
    }

    /// Leaves factor `factor` out of the model, with a note saying why (for designs where its
    /// effects cannot be told apart from another factor's).
    pub fn leave_out(&mut self, factor: usize, note: impl Into<String>) {
        if let Some(slot) = self.left_out.get_mut(factor) {
            *slot = Some(note.into());
        }
    }

    /// Marks factor `factor` as optional: when the data has a single level of it (for example
    /// visits without regions) it is left out without a note.
    pub fn optional(&mut self, factor: usize) {
        if let Some(slot) = self.optional.get_mut(factor) {
            *slot = true;
        }
    }

    /// Marks factor `factor` as fixed: its effects get a weak prior, variance equal to the
    /// scores' variance, instead of an estimated one, so they are barely shrunk. For factors
    /// with few levels (regions) whose variance cannot be estimated well, where shrinking would
    /// leak their differences into a factor confounded with them (shoppers who work in their
    /// home region).
    pub fn fixed(&mut self, factor: usize) {
        if let Some(slot) = self.fixed.get_mut(factor) {
            *slot = true;
        }
    }

    /// Reserves room for `n` observations.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n * self.names.len());
        self.y.reserve(n);
        self.w.reserve(n);
    }

    /// Adds one observation: its score, weight (> 0) and level of each factor, in factor order.
    ///
    /// Observations with a non-finite score or a weight that is not positive are ignored, as are
    /// levels out of range (the observation is skipped), so a fit can never see NaN.
    pub fn push(&mut self, y: f64, weight: f64, levels: &[u32]) {
        let valid = y.is_finite()
            && weight.is_finite()
            && weight > 0.0
            && levels.len() == self.names.len()
            && levels
                .iter()
                .zip(&self.levels)
                .all(|(&l, &count)| (l as usize) < count);
        if valid {
            self.rows.extend_from_slice(levels);
            self.y.push(y);
            self.w.push(weight);
        }
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no observations.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The factor names.
    pub fn factor_names(&self) -> &[String] {
        &self.names
    }

    fn level(&self, i: usize, f: usize) -> usize {
        self.rows[i * self.names.len() + f] as usize
    }
}

/// The fitted effects of one factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorFit {
    /// Factor name.
    pub name: String,
    /// Estimated standard deviation of its effects, τ (0 when the factor was left out).
    pub sd: f64,
    /// Predicted effect per level (0 for levels without data or when left out).
    pub effects: Vec<f64>,
    /// Prediction error variance per level (diagonal approximation).
    pub pev: Vec<f64>,
    /// Total observation weight per level.
    pub weight: Vec<f64>,
    /// Why the factor was left out of the model, if it was.
    pub left_out: Option<String>,
}

/// The result of a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// Intercept: the expected score under the average level of every factor.
    pub mu: f64,
    /// Residual standard deviation σ (for weight 1).
    pub sigma: f64,
    /// One entry per factor of the design, in order.
    pub factors: Vec<FactorFit>,
    /// Whether the variance components and the solve converged.
    pub converged: bool,
    /// Variance-component updates made.
    pub iterations: usize,
    /// Conjugate-gradient iterations (passes over the data) in total.
    pub passes: usize,
    /// Observations used.
    pub observations: usize,
    /// Plain-language notes on degenerate designs and fallbacks.
    pub notes: Vec<String>,
    /// Residual `y − fitted` per observation, in design order.
    #[serde(skip)]
    pub residuals: Vec<f64>,
    /// Index of each factor's first level in a [`Combination`].
    #[serde(skip)]
    offsets: Vec<usize>,
    /// Error variance of μ from each factor's effects plus the residual, by factor (last entry:
    /// the residual part).
    #[serde(skip)]
    mu_variance_parts: Vec<f64>,
    /// The exact posterior covariance, when the design was small enough to factor.
    #[serde(skip)]
    exact: Option<Box<Exact>>,
    /// How the estimates move with the estimated variance components, and how uncertain those
    /// are (exact REML only).
    #[serde(skip)]
    uncertainty: Option<Box<Uncertainty>>,
}

/// The sensitivity of θ̂ to the log variance components ψ (log σ² and log τ_f² of the
/// estimated factors), `∂θ̂/∂ψ_j`, and the REML covariance of ψ̂, `2 H⁻¹` with H the Hessian
/// of −2ℓ_R: what the Kackar–Harville (1984) term needs.
#[derive(Debug, Clone, PartialEq)]
struct Uncertainty {
    sensitivity: Vec<Vec<f64>>,
    covariance: Vec<f64>,
}

/// What the exact posterior covariance needs: the factored Schur complement of the branch block
/// at the final variance components.
#[derive(Debug, Clone, PartialEq)]
struct Exact {
    schur: Schur,
    factored: Factored,
    sigma2: f64,
    theta: Vec<f64>,
    offsets: Vec<usize>,
    weight: Vec<f64>,
}

/// A linear combination of μ and effects: (index, coefficient) pairs, where index 0 is μ and
/// [`Fit::index`] gives the others.
pub type Combination = Vec<(usize, f64)>;

impl Fit {
    /// Index of the factor called `name`.
    pub fn factor(&self, name: &str) -> Option<usize> {
        self.factors.iter().position(|f| f.name == name)
    }

    /// Index of level `level` of factor `factor` in a [`Combination`].
    pub fn index(&self, factor: usize, level: usize) -> usize {
        self.offsets[factor] + level
    }

    /// Value of a combination of μ and the effects.
    pub fn value(&self, a: &[(usize, f64)]) -> f64 {
        a.iter()
            .map(|&(g, c)| {
                if g == 0 {
                    c * self.mu
                } else {
                    let f = self.offsets.partition_point(|&o| o <= g) - 1;
                    c * self.factors[f].effects[g - self.offsets[f]]
                }
            })
            .sum()
    }

    /// The reference of fair scores: μ plus, for each factor in `mix`, its effects weighted by
    /// the data set's mix of levels (`W_l / W`), and for each factor in `mean`, the plain mean of
    /// its effects over the levels with data (each level counted once: the average shopper).
    pub fn reference(&self, mix: &[usize], mean: &[usize]) -> Combination {
        let mut a = vec![(0, 1.0)];
        for &f in mix {
            let fit = &self.factors[f];
            let total: f64 = fit.weight.iter().sum();
            if fit.left_out.is_some() || total <= 0.0 {
                continue;
            }
            for (l, w) in fit.weight.iter().enumerate() {
                if *w > 0.0 {
                    a.push((self.index(f, l), w / total));
                }
            }
        }
        for &f in mean {
            let fit = &self.factors[f];
            let used = fit.weight.iter().filter(|w| **w > 0.0).count();
            if fit.left_out.is_some() || used == 0 {
                continue;
            }
            for (l, w) in fit.weight.iter().enumerate() {
                if *w > 0.0 {
                    a.push((self.index(f, l), 1.0 / used as f64));
                }
            }
        }
        a
    }

    /// The Kackar–Harville (1984) addition to the error variance of a combination of μ and the
    /// effects: `d' Cov(ψ̂) d` with `d_j = a'∂θ̂/∂ψ_j`, the variance the estimate inherits from
    /// the estimated variance components (large where they are poorly determined, for example
    /// shopper severity when most branches have a shopper of their own). 0 without exact REML.
    pub fn component_variance(&self, a: &[(usize, f64)]) -> f64 {
        let Some(u) = self.uncertainty.as_ref() else {
            return 0.0;
        };
        let d: Vec<f64> = u
            .sensitivity
            .iter()
            .map(|s| a.iter().map(|&(g, c)| c * s[g]).sum())
            .collect();
        let m = d.len();
        let mut total = 0.0;
        for j in 0..m {
            for k in 0..m {
                total += d[j] * u.covariance[j * m + k] * d[k];
            }
        }
        total.max(0.0)
    }

    /// Whether the exact posterior covariance is available (the design was small enough).
    pub fn has_exact(&self) -> bool {
        self.exact.is_some()
    }

    /// Exact prediction error variance σ² a'C⁻¹a of `base` alone (None without the exact
    /// covariance).
    pub fn exact_variance(&self, base: &[(usize, f64)]) -> Option<f64> {
        let ex = self.exact.as_ref()?;
        let prepared = ex.schur.prepare(&ex.factored, base);
        Some(ex.sigma2 * prepared.aha.max(0.0))
    }

    /// Exact prediction error variances of `branch level l + base + group level of l` for every
    /// level of factor 0 (the eliminated factor), where `group` gives a factor (such as region)
    /// and each level's group level. Levels without data get τ² + the base's variance. None
    /// without the exact covariance.
    pub fn exact_level_variances(
        &self,
        base: &[(usize, f64)],
        group: Option<(usize, &[Option<u32>])>,
    ) -> Option<Vec<f64>> {
        let ex = self.exact.as_ref()?;
        let levels = self.factors[0].effects.len();
        let mut prepared: std::collections::BTreeMap<Option<u32>, schur::Prepared> =
            Default::default();
        let tau2 = self.factors[0].sd * self.factors[0].sd;
        let out = (0..levels)
            .map(|l| {
                let key = group.and_then(|(_, levels)| levels.get(l).copied().flatten());
                let pr = prepared.entry(key).or_insert_with(|| {
                    let mut a = base.to_vec();
                    if let (Some((f, _)), Some(r)) = (group, key) {
                        a.push((self.index(f, r as usize), 1.0));
                    }
                    ex.schur.prepare(&ex.factored, &a)
                });
                match ex.schur.b_position(ex.offsets[0] + l) {
                    Some(k) => ex.sigma2 * ex.schur.quad_b(&ex.factored, k, Some(pr)),
                    None => tau2 + ex.sigma2 * pr.aha.max(0.0),
                }
            })
            .collect();
        Some(out)
    }

    /// Exact prediction error variances of `level l − centre` for every level of `factor` (not
    /// factor 0), for example a shopper's severity relative to the average shopper. Levels
    /// without data (or a factor left out) get their effect's prior variance. None without the
    /// exact covariance.
    pub fn exact_relative_variances(
        &self,
        factor: usize,
        centre: &[(usize, f64)],
    ) -> Option<Vec<f64>> {
        let ex = self.exact.as_ref()?;
        let pr = ex.schur.prepare(&ex.factored, centre);
        let tau2 = self.factors[factor].sd.powi(2);
        Some(
            (0..self.factors[factor].effects.len())
                .map(|l| {
                    ex.schur
                        .quad_o(&ex.factored, self.index(factor, l), &pr)
                        .map_or(tau2, |q| ex.sigma2 * q)
                })
                .collect(),
        )
    }

    /// Error variance of μ, leaving out the contribution of `except` (the factor whose effect is
    /// added to μ, since its own effects are centred by the fit).
    pub fn mu_variance(&self, except: Option<usize>) -> f64 {
        self.mu_variance_parts
            .iter()
            .enumerate()
            .filter(|(f, _)| Some(*f) != except)
            .map(|(_, v)| v)
            .sum()
    }
}

/// Per-level error variances of one factor widened by the other factors' uncertainty:
/// `PEV_l + Σ_g Σ_m (W_lm / (W_l + λ))² · PEV_m`, where `W_lm` is the weight of the observations
/// at level `l` of the factor and level `m` of factor `g`.
pub fn error_variances(design: &Design, fit: &Fit, factor: usize) -> Vec<f64> {
    let target = &fit.factors[factor];
    let mut out = target.pev.clone();
    if target.left_out.is_some() || fit.sigma == 0.0 {
        return out;
    }
    let lambda = lambda_of(fit, factor);
    let levels_f = target.effects.len();
    for (g, other) in fit.factors.iter().enumerate() {
        if g == factor || other.left_out.is_some() {
            continue;
        }
        let levels_g = other.effects.len();
        let mut add = |cells: &mut dyn Iterator<Item = (usize, usize, f64)>| {
            for (l, m, w_lm) in cells {
                let share = w_lm / (target.weight[l] + lambda);
                out[l] += share * share * other.pev[m];
            }
        };
        if levels_f.saturating_mul(levels_g) <= 16_000_000 {
            let mut cells = vec![0.0; levels_f * levels_g];
            for i in 0..design.len() {
                cells[design.level(i, factor) * levels_g + design.level(i, g)] += design.w[i];
            }
            add(&mut cells
                .iter()
                .enumerate()
                .filter(|(_, w)| **w > 0.0)
                .map(|(c, w)| (c / levels_g, c % levels_g, *w)));
        } else {
            let mut cells: std::collections::BTreeMap<(usize, usize), f64> = Default::default();
            for i in 0..design.len() {
                *cells
                    .entry((design.level(i, factor), design.level(i, g)))
                    .or_default() += design.w[i];
            }
            add(&mut cells.into_iter().map(|((l, m), w)| (l, m, w)));
        }
    }
    out
}

fn lambda_of(fit: &Fit, factor: usize) -> f64 {
    let sd = fit.factors[factor].sd;
    if sd > 0.0 {
        (fit.sigma * fit.sigma) / (sd * sd)
    } else {
        f64::INFINITY
    }
}

/// Estimated effects of a factor nested in the fitted model (teams within branches, branch ×
/// period cells), from the fit's residuals: `u_c = Σ w ê / (W_c + σ²/τ_c²)` with τ_c² by the same
/// fixed point as the main factors. `levels[i]` is observation `i`'s level or `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NestedFit {
    /// Standard deviation of the nested effects, τ_c.
    pub sd: f64,
    /// Effect per level.
    pub effects: Vec<f64>,
    /// Prediction error variance per level.
    pub pev: Vec<f64>,
    /// Observation weight per level.
    pub weight: Vec<f64>,
}

/// Fits nested effects on the residuals of `fit` (see [`NestedFit`]).
pub fn fit_nested(
    design: &Design,
    fit: &Fit,
    levels: &[Option<u32>],
    count: usize,
    options: FitOptions,
) -> NestedFit {
    let mut weight = vec![0.0; count];
    let mut sum = vec![0.0; count];
    for (i, level) in levels.iter().enumerate().take(design.len()) {
        if let Some(l) = level.map(|l| l as usize).filter(|&l| l < count) {
            weight[l] += design.w[i];
            sum[l] += design.w[i] * fit.residuals.get(i).copied().unwrap_or(0.0);
        }
    }
    let sigma2 = fit.sigma * fit.sigma;
    let used = weight.iter().filter(|w| **w > 0.0).count();
    let floor = 1e-10 * sigma2.max(1e-12);
    if let Some(tau2) = nested_anova(design, levels, count, &weight, &sum, sigma2) {
        return nested_effects(tau2, floor, sigma2, weight, &sum, count);
    }
    let mut tau2 = if used >= 2 { sigma2.max(1e-12) } else { 0.0 };
    for _ in 0..options.max_iterations {
        if tau2 <= floor {
            tau2 = 0.0;
            break;
        }
        let lambda = sigma2 / tau2;
        let (mut ss, mut edf) = (0.0, 0.0);
        for (w, s) in weight.iter().zip(&sum) {
            let u = s / (w + lambda);
            ss += u * u;
            edf += w / (w + lambda);
        }
        let next = if edf > 1e-12 { ss / edf } else { 0.0 };
        let done = (next - tau2).abs() <= options.tolerance * tau2.max(floor);
        tau2 = next;
        if done {
            break;
        }
    }
    nested_effects(tau2, floor, sigma2, weight, &sum, count)
}

/// The nested effects and their error variances at variance `tau2`.
fn nested_effects(
    tau2: f64,
    floor: f64,
    sigma2: f64,
    weight: Vec<f64>,
    sum: &[f64],
    count: usize,
) -> NestedFit {
    let (effects, pev) = if tau2 > floor && sigma2 > 0.0 {
        let lambda = sigma2 / tau2;
        weight
            .iter()
            .zip(sum)
            .map(|(w, s)| (s / (w + lambda), sigma2 / (w + lambda)))
            .unzip()
    } else {
        (vec![0.0; count], vec![0.0; count])
    };
    NestedFit {
        sd: tau2.sqrt(),
        effects,
        pev,
        weight,
    }
}

/// The variance of effects nested in the branches (factor 0), by the unbiased one-way analysis
/// of variance within branches (Henderson's method 1, pooled over branches): with `s_k`, `W_k`
/// each nested level's residual sum and weight and `S_b`, `W_b` their totals in branch b,
///
/// ```text
/// Σ_b (Σ_k s_k²/W_k − S_b²/W_b)  =  σ_w² Σ_b (n_b − 1) + τ² Σ_b (W_b − Σ_k W_k²/W_b),
/// ```
///
/// with σ_w² = σ² − τ² K/W (the main fit's σ² also holds the nested deviations, a share K/W of
/// τ²). Unlike a fixed point on the residuals, this does not shrink τ² by the part of the nested
/// effects the branch effect already took up. None when some level spans several branches or no
/// branch has two levels with data (the fixed point then decides).
fn nested_anova(
    design: &Design,
    levels: &[Option<u32>],
    count: usize,
    weight: &[f64],
    sum: &[f64],
    sigma2: f64,
) -> Option<f64> {
    let mut parent = vec![u32::MAX; count];
    for (i, level) in levels.iter().enumerate().take(design.len()) {
        if let Some(l) = level.map(|l| l as usize).filter(|&l| l < count) {
            let b = design.rows[i * design.names.len()];
            if parent[l] == u32::MAX {
                parent[l] = b;
            } else if parent[l] != b {
                return None;
            }
        }
    }
    let branches = design.levels.first().copied().unwrap_or(0);
    // Per branch: Σ s²/W, S, W, Σ W², levels with data.
    let mut acc = vec![(0.0, 0.0, 0.0, 0.0, 0.0); branches];
    for l in 0..count {
        let (w, s) = (weight[l], sum[l]);
        if w > 0.0 && (parent[l] as usize) < branches {
            let a = &mut acc[parent[l] as usize];
            a.0 += s * s / w;
            a.1 += s;
            a.2 += w;
            a.3 += w * w;
            a.4 += 1.0;
        }
    }
    let (mut ss, mut dof, mut k, mut total) = (0.0, 0.0, 0.0, 0.0);
    for &(s2w, s, w, w2, n) in acc.iter().filter(|a| a.4 >= 2.0) {
        ss += s2w - s * s / w;
        dof += n - 1.0;
        k += w - w2 / w;
        total += w;
    }
    if dof < 1.0 || k <= 0.0 {
        return None;
    }
    let denominator = k - dof * k / total;
    (denominator > 0.0).then(|| ((ss - sigma2 * dof) / denominator).max(0.0))
}

/// The variance τ² of effects whose level means `m_l` were observed with sampling variances
/// `v_l`: the maximum-likelihood root of `Σ m²/(τ²+v)² = Σ 1/(τ²+v)`, found by bisection, or 0
/// when the means vary no more than their sampling error explains (the score is negative at 0).
/// With the diagonal approximation this is the fixed point of Harville's update, reached in one
/// step instead of many.
fn one_way_component(stats: &[(f64, f64)]) -> f64 {
    let score = |t: f64| -> f64 {
        stats
            .iter()
            .map(|&(m, v)| {
                let s = t + v;
                (m * m - s) / (s * s)
            })
            .sum()
    };
    if stats.len() < 2 || score(0.0).is_nan() || score(0.0) <= 0.0 {
        return 0.0;
    }
    // The score is negative once τ² exceeds every m², so the root lies below.
    let (mut lo, mut hi) = (0.0, stats.iter().map(|(m, _)| m * m).fold(0.0, f64::max));
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if score(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Largest Schur complement (μ plus the used levels of every factor but the branches) for which
/// the variance components are estimated by exact REML (one dense factorisation per update).
const EXACT_REML_LIMIT: usize = 320;
/// Largest Schur complement for which the intervals use the exact posterior covariance (one dense
/// factorisation at the end).
const EXACT_INTERVAL_LIMIT: usize = 1200;

/// Relative change of the exact REML components at which their polishing stops.
const POLISH: f64 = 1e-11;

/// Designs at least this large spread each pass over two threads.
const PARALLEL_ROWS: usize = 100_000;

/// The largest variance a score in [0, 1] can have (half the visits at 0, half at 1): the
/// residual variance assumed when the data show no variation at all.
pub const MAX_SCORE_VARIANCE: f64 = 0.25;

/// Fits the model to `design`.
pub fn fit(design: &Design, options: FitOptions) -> Fit {
    Solver::new(design).run(options)
}

/// The outcome of one REML optimisation.
struct RemlFit {
    sigma2: f64,
    tau2: Vec<f64>,
    theta: Vec<f64>,
    converged: bool,
    iterations: usize,
    criterion: f64,
}

/// The exact fit at one set of variance components, with what REML needs.
struct RemlPoint {
    sigma2: f64,
    tau2: Vec<f64>,
    theta: Vec<f64>,
    /// ê'Wê.
    rss: f64,
    /// ê'Wê + θ'Λθ (= y'Wy − θ'X'Wy).
    quad: f64,
    /// Per factor in the model: used levels q_f, û_f'û_f and tr(C⁻¹_ff) (zeros otherwise).
    stats: Vec<(f64, f64, f64)>,
    lambda: Vec<f64>,
    /// −2 × the REML log-likelihood, up to a constant.
    criterion: f64,
}

struct Solver<'d> {
    design: &'d Design,
    /// Offset of each factor's effects in θ (θ[0] is μ).
    offsets: Vec<usize>,
    /// Factors still in the model.
    active: Vec<bool>,
    /// Total weight per θ entry (θ[0]: all observations).
    weight: Vec<f64>,
    /// X'Wy.
    rhs: Vec<f64>,
    /// Each observation's θ indices (factor offset + level), row by row.
    global: Vec<u32>,
    notes: Vec<String>,
    passes: usize,
}

impl<'d> Solver<'d> {
    fn new(design: &'d Design) -> Self {
        let mut offsets = Vec::with_capacity(design.levels.len());
        let mut next = 1;
        for &l in &design.levels {
            offsets.push(next);
            next += l;
        }
        let mut weight = vec![0.0; next];
        let mut rhs = vec![0.0; next];
        let factors = design.names.len();
        for i in 0..design.len() {
            let (w, y) = (design.w[i], design.y[i]);
            weight[0] += w;
            rhs[0] += w * y;
            for (offset, &level) in offsets.iter().zip(&design.rows[i * factors..]) {
                let g = offset + level as usize;
                weight[g] += w;
                rhs[g] += w * y;
            }
        }
        let global = (0..design.rows.len())
            .map(|k| (offsets[k % factors] + design.rows[k] as usize) as u32)
            .collect();
        Self {
            design,
            offsets,
            global,
            active: vec![true; factors],
            weight,
            rhs,
            notes: Vec::new(),
            passes: 0,
        }
    }

    fn range(&self, f: usize) -> std::ops::Range<usize> {
        self.offsets[f]..self.offsets[f] + self.design.levels[f]
    }

    fn used_levels(&self, f: usize) -> usize {
        self.weight[self.range(f)]
            .iter()
            .filter(|w| **w > 0.0)
            .count()
    }

    fn run(mut self, options: FitOptions) -> Fit {
        let d = self.design;
        let n = d.len();
        let total_w = self.weight[0];
        if n == 0 {
            self.notes
                .push("no scored visits: there is nothing to fit".to_owned());
            let theta = vec![0.0; self.weight.len()];
            return self.finish(0.0, theta, &[], true, 0);
        }
        let mean = self.rhs[0] / total_w;
        let variance =
            d.y.iter()
                .zip(&d.w)
                .map(|(y, w)| w * (y - mean) * (y - mean))
                .sum::<f64>()
                / total_w;
        if variance <= 1e-14 {
            // The data say nothing about how much visits vary, which is not the same as knowing
            // they never do: the intervals take the largest variance a score in [0, 1] can have,
            // so one visit (or a few identical ones) gives a wide interval, not a certain one.
            self.notes.push(if n == 1 {
                "only one scored visit: there is no variation to attribute, so fair scores equal \
                 the raw score, and the intervals assume the widest spread a score can have"
                    .to_owned()
            } else {
                "all visit scores are equal: there is no variation to attribute, so fair scores \
                 equal the raw score, and the intervals assume the widest spread a score can have \
                 (the data show none, but a few visits cannot prove there is none)"
                    .to_owned()
            });
            self.active.iter_mut().for_each(|a| *a = false);
            let mut theta = vec![0.0; self.weight.len()];
            theta[0] = mean;
            return self.finish(MAX_SCORE_VARIANCE, theta, &[], true, 0);
        }
        for f in 0..d.names.len() {
            if let Some(note) = &d.left_out[f] {
                self.active[f] = false;
                self.notes.push(note.clone());
            } else if self.used_levels(f) < 2 {
                self.active[f] = false;
                if d.optional.get(f).copied().unwrap_or(false) {
                    continue;
                }
                self.notes.push(format!(
                    "only one {} in the data: no {} effect can be estimated, so none is applied",
                    d.names[f], d.names[f]
                ));
            }
        }

        // Start from an even split of the variance between the residual and the factors.
        let active_count = self.active.iter().filter(|a| **a).count();
        let mut sigma2 = variance / 2.0;
        let mut tau2: Vec<f64> = self
            .active
            .iter()
            .enumerate()
            .map(|(f, &a)| {
                if !a {
                    0.0
                } else if d.fixed[f] {
                    variance
                } else {
                    variance / (2.0 * active_count as f64)
                }
            })
            .collect();
        let floor = 1e-10 * variance;
        let mut theta = vec![0.0; self.weight.len()];
        theta[0] = mean;
        let mut converged = false;
        let mut iterations = 0;
        let mut residuals = vec![0.0; n];
        let mut solve_ok = true;
        let mut inner_tolerance = 1e-6;
        while iterations < options.max_iterations {
            iterations += 1;
            let lambda = self.lambdas(sigma2, &tau2);
            // Early solves need not be exact: the variance components will move anyway.
            solve_ok = self.solve(&lambda, &mut theta, inner_tolerance);
            let (rss, edf, level_sums) = self.residuals(&theta, &lambda, &mut residuals);
            let mut change: f64 = 0.0;
            let mut next_tau2 = tau2.clone();
            for f in 0..d.names.len() {
                if !self.active[f] || d.fixed[f] {
                    continue;
                }
                // Each level's mean partial residual (its data with the other factors removed)
                // and that mean's sampling variance.
                let stats: Vec<(f64, f64)> = self
                    .range(f)
                    .filter(|&g| self.weight[g] > 0.0)
                    .map(|g| {
                        let w = self.weight[g];
                        (level_sums[g] / w + theta[g], sigma2 / w)
                    })
                    .collect();
                let next = one_way_component(&stats);
                let next = if next <= floor { 0.0 } else { next };
                change = change.max((next - tau2[f]).abs() / tau2[f].max(next).max(floor));
                next_tau2[f] = next;
            }
            let dof = (n as f64 - 1.0 - edf.iter().sum::<f64>()).max(1.0);
            let next_sigma2 = (rss / dof).max(floor);
            change = change.max((next_sigma2 - sigma2).abs() / sigma2.max(floor));
            sigma2 = next_sigma2;
            tau2 = next_tau2;
            inner_tolerance = (change * 1e-3).clamp(1e-10, 1e-6);
            if change <= options.tolerance {
                converged = true;
                break;
            }
        }
        // Exact REML where the Schur complement of the branch block is small enough to factor
        // at every update: it replaces the approximate components and gives the exact solution.
        let mut exact_used = false;
        let mut uncertainty = None;
        if self.exact_size(&self.active.clone()) <= EXACT_REML_LIMIT {
            // Two starts: the approximate components, and an even split of the variance (the
            // REML surface can have more than one local optimum where shopper severity and
            // region are confounded); the lower criterion wins.
            let even: Vec<f64> = self
                .active
                .iter()
                .enumerate()
                .map(|(f, &a)| {
                    if !a {
                        0.0
                    } else if d.fixed[f] {
                        variance
                    } else {
                        variance / (2.0 * active_count as f64)
                    }
                })
                .collect();
            let starts = [(sigma2, tau2.clone()), (variance / 2.0, even)];
            let mut best: Option<RemlFit> = None;
            for (s2, t2) in starts {
                let r = self.exact_reml(s2, &t2, variance, options);
                if let Some(r) = r
                    && r.converged
                    && best.as_ref().is_none_or(|b| r.criterion < b.criterion)
                {
                    best = Some(r);
                }
            }
            // Used only when it converged; otherwise the approximate fit stands.
            if let Some(r) = best {
                sigma2 = r.sigma2;
                tau2 = r.tau2;
                theta = r.theta;
                iterations += r.iterations;
                exact_used = true;
                uncertainty = self.component_uncertainty(sigma2, &tau2, &theta);
            }
        }
        for (f, &t) in tau2.iter().enumerate() {
            if self.active[f] && t == 0.0 {
                self.active[f] = false;
                self.notes.push(format!(
                    "the {} effects are estimated to be zero: scores do not differ by {} beyond \
                     chance, so no {} effect is applied",
                    d.names[f], d.names[f], d.names[f]
                ));
            }
        }
        // Final solve with the converged components, to a tight tolerance.
        let lambda = self.lambdas(sigma2, &tau2);
        let final_ok = exact_used || self.solve(&lambda, &mut theta, 1e-10);
        let _ = self.residuals(&theta, &lambda, &mut residuals);
        // The exact posterior covariance for the intervals, when affordable.
        let on: Vec<bool> = (0..d.names.len())
            .map(|f| self.active[f] && tau2[f] > 0.0)
            .collect();
        let exact = (self.exact_size(&on) <= EXACT_INTERVAL_LIMIT)
            .then(|| {
                let schur = self.schur(&on);
                schur.factor(&lambda).map(|factored| {
                    Box::new(Exact {
                        schur,
                        factored,
                        sigma2,
                        theta: theta.clone(),
                        offsets: self.offsets.clone(),
                        weight: self.weight.clone(),
                    })
                })
            })
            .flatten();
        if !converged {
            self.notes.push(format!(
                "the variance components did not settle within {} iterations; estimates are from \
                 the last iteration",
                options.max_iterations
            ));
        }
        if !(solve_ok && final_ok) {
            self.notes.push(
                "the mixed-model equations were not solved to full precision; estimates are \
                 approximate"
                    .to_owned(),
            );
        }
        let ok = converged && final_ok;
        let mut fit = self
            .finish(sigma2, theta, &tau2, ok, iterations)
            .with_residuals(residuals);
        fit.exact = exact;
        fit.uncertainty = uncertainty;
        fit
    }

    /// Size of the Schur complement (μ and the used levels of the factors in `on` other than
    /// the branch factor, factor 0).
    fn exact_size(&self, on: &[bool]) -> usize {
        1 + (1..self.design.names.len())
            .filter(|&f| on[f])
            .map(|f| self.used_levels(f))
            .sum::<usize>()
    }

    fn schur(&self, on: &[bool]) -> Schur {
        let d = self.design;
        let mut in_o = vec![false; self.weight.len()];
        in_o[0] = true;
        for (f, _) in on.iter().enumerate().skip(1).filter(|(_, on)| **on) {
            {
                for g in self.range(f) {
                    in_o[g] = self.weight[g] > 0.0;
                }
            }
        }
        let b = self.range(0);
        Schur::new(
            &self.global,
            &d.w,
            d.names.len(),
            &in_o,
            b.clone(),
            &self.weight[b],
        )
    }

    /// REML for the variance components, on the exact Henderson equations (the branch block
    /// eliminated, see [`schur`]). Each update proposes the Harville (1977) / MacKay fixed point
    /// with the exact traces of C⁻¹, `τ_f² ← û_f'û_f / γ_f`, `γ_f = q_f − λ_f tr(C⁻¹_ff)`,
    /// `σ² ← ê'Wê / (n − 1 − Σ γ_f)`, and keeps it only when it lowers the REML criterion
    ///
    /// `−2ℓ_R = (n − 1 − q) log σ² + Σ_f q_f log τ_f² + log|C| + (ê'Wê + θ'Λθ)/σ²`
    ///
    /// (q_f used levels of factor f, q = Σ q_f). Otherwise it takes the EM-REML step
    /// `τ_f² ← (û_f'û_f + σ² tr(C⁻¹_ff)) / q_f`, `σ² ← (ê'Wê + θ'Λθ) / (n − 1)`, which never
    /// raises the criterion, and failing that halves the step (on the log scale). So the
    /// criterion falls at every update and the iteration settles where the fixed point alone
    /// oscillates (designs where shopper severity and branch quality are nearly confounded).
    /// Starts from the approximate components (zero ones from a small value, so REML can bring
    /// them back). None when a factorisation fails.
    #[allow(clippy::type_complexity)]
    fn exact_reml(
        &mut self,
        sigma2: f64,
        start: &[f64],
        variance: f64,
        options: FitOptions,
    ) -> Option<RemlFit> {
        let factors = self.design.names.len();
        let n = self.design.len() as f64;
        let tau2: Vec<f64> = (0..factors)
            .map(|f| {
                if self.active[f] {
                    start[f].max(1e-3 * variance)
                } else {
                    0.0
                }
            })
            .collect();
        let mut cache: Vec<(Vec<bool>, Schur)> = Vec::new();
        let mut current = self.reml_point(sigma2, tau2, &mut cache)?;
        let mut converged = false;
        let mut iterations = 0;
        // Allow EM's slower steps more rounds than the fixed point needs.
        let limit = options.max_iterations.saturating_mul(3);
        let mut polish = 0;
        while iterations < limit {
            iterations += 1;
            let (mackay, em) = self.reml_proposals(&current, n, variance);
            let mut next = None;
            if let Some(p) = self.reml_point(mackay.0, mackay.1.clone(), &mut cache)
                && p.criterion <= current.criterion
            {
                next = Some(p);
            }
            if next.is_none()
                && let Some(p) = self.reml_point(em.0, em.1, &mut cache)
                && p.criterion <= current.criterion
            {
                next = Some(p);
            }
            let mut step = 0.5;
            while next.is_none() && step > 1e-3 {
                let mix = |a: f64, b: f64| {
                    if a > 0.0 && b > 0.0 {
                        a * (b / a).powf(step)
                    } else {
                        a + step * (b - a)
                    }
                };
                let t: Vec<f64> = current
                    .tau2
                    .iter()
                    .zip(&mackay.1)
                    .map(|(&a, &b)| mix(a, b))
                    .collect();
                if let Some(p) = self.reml_point(mix(current.sigma2, mackay.0), t, &mut cache)
                    && p.criterion <= current.criterion
                {
                    next = Some(p);
                }
                step *= 0.5;
            }
            let Some(next) = next else {
                // No step lowers the criterion: the components are at its minimum to within
                // rounding.
                converged = true;
                break;
            };
            let mut change = (next.sigma2 - current.sigma2).abs() / current.sigma2.max(1e-300);
            for (a, b) in current.tau2.iter().zip(&next.tau2) {
                // Small components are judged on an absolute scale: a component creeping
                // toward zero moves by less than it is worth waiting for.
                change = change.max((b - a).abs() / a.max(*b).max(1e-3 * variance));
            }
            current = next;
            converged |= change <= options.tolerance;
            // Once converged, a few more updates (cheap at this size) settle the components
            // far below the tolerance, so the result does not depend on the path taken (the
            // order of the visits): stop when they no longer move.
            if converged && (change <= POLISH || polish >= 50) {
                break;
            }
            if converged {
                polish += 1;
            }
        }
        self.passes += iterations;
        Some(RemlFit {
            sigma2: current.sigma2,
            tau2: current.tau2,
            theta: current.theta,
            converged,
            iterations,
            criterion: current.criterion,
        })
    }

    /// The gradient of −2ℓ_R in ψ = (log σ², log τ_f² of the estimated factors in the model):
    /// `n − 1 − q + Σ_f λ_f tr(C⁻¹_ff) − ê'Wê/σ²` and `γ_f − û_f'û_f/τ_f²`.
    fn reml_gradient(&self, p: &RemlPoint, estimated: &[usize]) -> Vec<f64> {
        let n = self.design.len() as f64;
        let (mut q_total, mut traces) = (0.0, 0.0);
        for (f, &(q, _, tr)) in p.stats.iter().enumerate() {
            if q > 0.0 {
                q_total += q;
                traces += p.lambda[self.offsets[f]] * tr;
            }
        }
        let mut g = vec![n - 1.0 - q_total + traces - p.rss / p.sigma2];
        for &f in estimated {
            let (q, ss, tr) = p.stats[f];
            g.push(q - p.lambda[self.offsets[f]] * tr - ss / p.tau2[f]);
        }
        g
    }

    /// [`Uncertainty`] at the REML estimates, by forward differences of the analytic gradient
    /// (one exact solve per component). None when the Hessian is not positive definite.
    fn component_uncertainty(
        &mut self,
        sigma2: f64,
        tau2: &[f64],
        theta: &[f64],
    ) -> Option<Box<Uncertainty>> {
        const STEP: f64 = 1e-4;
        let estimated: Vec<usize> = (0..tau2.len())
            .filter(|&f| self.active[f] && tau2[f] > 0.0 && !self.design.fixed[f])
            .collect();
        let mut cache = Vec::new();
        let base = self.reml_point(sigma2, tau2.to_vec(), &mut cache)?;
        let g0 = self.reml_gradient(&base, &estimated);
        let m = g0.len();
        let mut hessian = vec![0.0; m * m];
        let mut sensitivity = Vec::with_capacity(m);
        for j in 0..m {
            let (mut s2, mut t2) = (sigma2, tau2.to_vec());
            if j == 0 {
                s2 *= STEP.exp();
            } else {
                t2[estimated[j - 1]] *= STEP.exp();
            }
            let p = self.reml_point(s2, t2, &mut cache)?;
            let g = self.reml_gradient(&p, &estimated);
            for k in 0..m {
                hessian[k * m + j] = (g[k] - g0[k]) / STEP;
            }
            sensitivity.push(
                p.theta
                    .iter()
                    .zip(theta)
                    .map(|(a, b)| (a - b) / STEP)
                    .collect(),
            );
        }
        for j in 0..m {
            for k in 0..j {
                let v = 0.5 * (hessian[j * m + k] + hessian[k * m + j]);
                hessian[j * m + k] = v;
                hessian[k * m + j] = v;
            }
        }
        let (inverse, _) = schur::spd_inverse(&mut hessian, m)?;
        Some(Box::new(Uncertainty {
            sensitivity,
            covariance: inverse.iter().map(|v| 2.0 * v).collect(),
        }))
    }

    /// The exact solution and REML criterion at the given components (see [`Self::exact_reml`]).
    fn reml_point(
        &mut self,
        sigma2: f64,
        tau2: Vec<f64>,
        cache: &mut Vec<(Vec<bool>, Schur)>,
    ) -> Option<RemlPoint> {
        let factors = self.design.names.len();
        let on: Vec<bool> = (0..factors)
            .map(|f| self.active[f] && tau2[f] > 0.0)
            .collect();
        let at = match cache.iter().position(|(mask, _)| *mask == on) {
            Some(at) => at,
            None => {
                cache.push((on.clone(), self.schur(&on)));
                cache.len() - 1
            }
        };
        let schur = &cache[at].1;
        let lambda = self.lambdas(sigma2, &tau2);
        let factored = schur.factor(&lambda)?;
        let mut theta = vec![0.0; self.weight.len()];
        schur.solve(&factored, &self.rhs, &mut theta);
        let diag = schur.diagonal(&factored, theta.len());
        let mut residuals = vec![0.0; self.design.len()];
        let (rss, _, _) = self.residuals(&theta, &lambda, &mut residuals);
        let mut penalty = 0.0;
        let mut q_total = 0.0;
        let mut log_tau = 0.0;
        let mut stats = vec![(0.0, 0.0, 0.0); factors];
        for f in (0..factors).filter(|&f| on[f]) {
            let (mut q, mut ss, mut tr) = (0.0, 0.0, 0.0);
            for g in self.range(f) {
                if self.weight[g] > 0.0 {
                    q += 1.0;
                    ss += theta[g] * theta[g];
                    tr += diag[g];
                }
            }
            stats[f] = (q, ss, tr);
            penalty += lambda[self.offsets[f]] * ss;
            q_total += q;
            log_tau += q * tau2[f].ln();
        }
        let quad = rss + penalty;
        let criterion = (self.design.len() as f64 - 1.0 - q_total) * sigma2.ln()
            + log_tau
            + factored.logdet
            + quad / sigma2;
        criterion.is_finite().then_some(RemlPoint {
            sigma2,
            tau2,
            theta,
            rss,
            quad,
            stats,
            lambda,
            criterion,
        })
    }

    /// The fixed-point and the EM-REML proposals from `p`: (σ², τ²) each.
    #[allow(clippy::type_complexity)]
    fn reml_proposals(
        &self,
        p: &RemlPoint,
        n: f64,
        variance: f64,
    ) -> ((f64, Vec<f64>), (f64, Vec<f64>)) {
        let zero = 1e-6 * variance;
        let floor = 1e-10 * variance;
        let mut mackay = p.tau2.clone();
        let mut em = p.tau2.clone();
        let mut gamma_sum = 0.0;
        let mut fixed_gamma = 0.0;
        for (f, &(q, ss, tr)) in p.stats.iter().enumerate() {
            if q == 0.0 {
                continue;
            }
            let lam = p.lambda[self.offsets[f]];
            let gamma = (q - lam * tr).max(0.0);
            gamma_sum += gamma;
            if self.design.fixed[f] {
                // Its prior stays; its effects use degrees of freedom like fixed effects.
                fixed_gamma += gamma;
                continue;
            }
            let t = if gamma > 1e-9 { ss / gamma } else { 0.0 };
            mackay[f] = if t < zero { 0.0 } else { t };
            let t = (ss + p.sigma2 * tr) / q;
            em[f] = if t < zero { 0.0 } else { t };
        }
        let s_mackay = (p.rss / (n - 1.0 - gamma_sum).max(1.0)).max(floor);
        let s_em = (p.quad / (n - 1.0 - fixed_gamma).max(1.0)).max(floor);
        ((s_mackay, mackay), (s_em, em))
    }

    /// Λ per θ entry: 0 for μ, σ²/τ_f² for active factors, +∞ (effect fixed at 0) otherwise.
    fn lambdas(&self, sigma2: f64, tau2: &[f64]) -> Vec<f64> {
        let mut lambda = vec![0.0; self.weight.len()];
        for f in 0..self.design.names.len() {
            let value = if self.active[f] && tau2[f] > 0.0 {
                sigma2 / tau2[f]
            } else {
                f64::INFINITY
            };
            lambda[self.range(f)].iter_mut().for_each(|l| *l = value);
        }
        lambda
    }

    /// Residuals into `out`; returns Σ w e², each factor's effective degrees of freedom and the
    /// weighted residual sum of every level.
    fn residuals(
        &self,
        theta: &[f64],
        lambda: &[f64],
        out: &mut [f64],
    ) -> (f64, Vec<f64>, Vec<f64>) {
        let d = self.design;
        let factors = d.names.len();
        let mut rss = 0.0;
        let mut sums = vec![0.0; theta.len()];
        for (i, e) in out.iter_mut().enumerate() {
            let row = &d.rows[i * factors..(i + 1) * factors];
            let mut fitted = theta[0];
            for (f, &l) in row.iter().enumerate() {
                fitted += theta[self.offsets[f] + l as usize];
            }
            *e = d.y[i] - fitted;
            let we = d.w[i] * *e;
            rss += we * *e;
            for (f, &l) in row.iter().enumerate() {
                sums[self.offsets[f] + l as usize] += we;
            }
        }
        let edf = (0..factors)
            .map(|f| {
                self.range(f)
                    .filter(|&g| lambda[g].is_finite())
                    .map(|g| self.weight[g] / (self.weight[g] + lambda[g]))
                    .sum()
            })
            .collect();
        (rss, edf, sums)
    }

    /// out = (X'WX + Λ) x, with entries of left-out factors kept at 0.
    fn apply(&mut self, x: &[f64], lambda: &[f64], out: &mut [f64]) {
        self.passes += 1;
        let n = self.design.len();
        if n >= PARALLEL_ROWS {
            // Two halves on two threads, added in a fixed order: the result depends only on
            // the data, never on the machine.
            let mid = n / 2;
            let (first, second) = std::thread::scope(|scope| {
                let second = scope.spawn(|| self.accumulate(x, mid..n));
                let first = self.accumulate(x, 0..mid);
                (first, second.join())
            });
            let second = match second {
                Ok(second) => second,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            for ((o, a), b) in out.iter_mut().zip(&first).zip(&second) {
                *o = a + b;
            }
        } else {
            out.copy_from_slice(&self.accumulate(x, 0..n));
        }
        for (g, o) in out.iter_mut().enumerate().skip(1) {
            if lambda[g].is_finite() {
                *o += lambda[g] * x[g];
            } else {
                *o = 0.0;
            }
        }
    }

    /// X'W X x over the observations in `rows`.
    fn accumulate(&self, x: &[f64], rows: std::ops::Range<usize>) -> Vec<f64> {
        let factors = self.design.names.len();
        let mut out = vec![0.0; x.len()];
        for i in rows {
            let row = &self.global[i * factors..(i + 1) * factors];
            let mut s = x[0];
            for &g in row {
                s += x[g as usize];
            }
            let t = self.design.w[i] * s;
            out[0] += t;
            for &g in row {
                out[g as usize] += t;
            }
        }
        out
    }

    /// Preconditioned conjugate gradients from the current θ; true when the relative residual
    /// fell below `tolerance`.
    fn solve(&mut self, lambda: &[f64], theta: &mut [f64], tolerance: f64) -> bool {
        let p_len = theta.len();
        // Entries fixed at 0 (left-out factors and levels without data) take no part.
        let free: Vec<bool> = (0..p_len)
            .map(|g| g == 0 || (lambda[g].is_finite() && self.weight[g] > 0.0))
            .collect();
        for g in 0..p_len {
            if !free[g] {
                theta[g] = 0.0;
            }
        }
        let diag: Vec<f64> = (0..p_len)
            .map(|g| {
                if free[g] {
                    1.0 / (self.weight[g] + if g == 0 { 0.0 } else { lambda[g] })
                } else {
                    0.0
                }
            })
            .collect();
        let rhs_norm = self
            .rhs
            .iter()
            .zip(&free)
            .filter(|(_, f)| **f)
            .map(|(b, _)| b * b)
            .sum::<f64>()
            .sqrt()
            .max(f64::MIN_POSITIVE);
        let mut ax = vec![0.0; p_len];
        self.apply(theta, lambda, &mut ax);
        let mut r: Vec<f64> = (0..p_len)
            .map(|g| if free[g] { self.rhs[g] - ax[g] } else { 0.0 })
            .collect();
        let mut z: Vec<f64> = r.iter().zip(&diag).map(|(r, d)| r * d).collect();
        let mut p = z.clone();
        let mut rz: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
        let max_iter = 50 + 2 * p_len.min(5000);
        for _ in 0..max_iter {
            let norm = r.iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm <= tolerance * rhs_norm {
                return true;
            }
            self.apply(&p, lambda, &mut ax);
            let pap: f64 = p.iter().zip(&ax).map(|(a, b)| a * b).sum();
            if pap <= 0.0 || !pap.is_finite() {
                return false;
            }
            let alpha = rz / pap;
            for g in 0..p_len {
                theta[g] += alpha * p[g];
                r[g] -= alpha * ax[g];
            }
            for g in 0..p_len {
                z[g] = r[g] * diag[g];
            }
            let rz_next: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
            let beta = rz_next / rz;
            rz = rz_next;
            for g in 0..p_len {
                p[g] = z[g] + beta * p[g];
            }
        }
        let norm = r.iter().map(|v| v * v).sum::<f64>().sqrt();
        norm <= tolerance * rhs_norm
    }

    fn finish(
        self,
        sigma2: f64,
        theta: Vec<f64>,
        tau2: &[f64],
        converged: bool,
        iterations: usize,
    ) -> Fit {
        let d = self.design;
        let total_w = self.weight[0];
        let mut mu_parts = Vec::with_capacity(d.names.len() + 1);
        let factors = (0..d.names.len())
            .map(|f| {
                let range = self.range(f);
                let weight = self.weight[range.clone()].to_vec();
                let active = self.active[f] && tau2.get(f).is_some_and(|t| *t > 0.0);
                let (sd, effects, pev) = if active {
                    let lambda = sigma2 / tau2[f];
                    let pev = weight
                        .iter()
                        .map(|w| {
                            if *w > 0.0 {
                                sigma2 / (w + lambda)
                            } else {
                                tau2[f]
                            }
                        })
                        .collect();
                    (tau2[f].sqrt(), theta[range].to_vec(), pev)
                } else {
                    let l = d.levels[f];
                    (0.0, vec![0.0; l], vec![0.0; l])
                };
                // μ absorbs the weighted mean of the realised effects: Var ≈ τ² Σ (W_l/W)².
                let share_sq: f64 = weight.iter().map(|w| (w / total_w).powi(2)).sum();
                // A fixed factor's mix is part of the reference instead (see `Fit::reference`).
                mu_parts.push(if active && !d.fixed[f] {
                    tau2[f] * share_sq
                } else {
                    0.0
                });
                FactorFit {
                    name: d.names[f].clone(),
                    sd,
                    effects,
                    pev,
                    weight,
                    left_out: (!active).then(|| "left out of the model (see notes)".to_owned()),
                }
            })
            .collect();
        mu_parts.push(if total_w > 0.0 { sigma2 / total_w } else { 0.0 });
        let mu = theta.first().copied().unwrap_or(0.0);
        Fit {
            mu,
            sigma: sigma2.sqrt(),
            factors,
            converged,
            iterations,
            passes: self.passes,
            observations: d.len(),
            notes: self.notes,
            residuals: Vec::new(),
            mu_variance_parts: mu_parts,
            exact: None,
            uncertainty: None,
            offsets: self.offsets.clone(),
        }
    }
}

impl Fit {
    fn with_residuals(mut self, residuals: Vec<f64>) -> Self {
        self.residuals = residuals;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator for the tests (SplitMix64).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
        fn normal(&mut self) -> f64 {
            let (a, b) = (self.next().max(1e-300), self.next());
            (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
        }
        fn below(&mut self, n: usize) -> usize {
            ((self.next() * n as f64) as usize).min(n - 1)
        }
    }

    struct Sim {
        design: Design,
        quality: Vec<f64>,
        severity: Vec<f64>,
    }

    /// Branches in 4 regions; shoppers mostly visit their home region, and shoppers' severity
    /// depends on their region, so raw means are biased.
    fn simulate(seed: u64, branches: usize, shoppers: usize, visits: usize) -> Sim {
        let mut rng = Rng(seed);
        let quality: Vec<f64> = (0..branches).map(|_| 0.7 + 0.08 * rng.normal()).collect();
        let shift = [-0.05, -0.02, 0.02, 0.05];
        let mut severity: Vec<f64> = (0..shoppers)
            .map(|s| shift[s % 4] + 0.03 * rng.normal())
            .collect();
        let mean = severity.iter().sum::<f64>() / shoppers as f64;
        severity.iter_mut().for_each(|s| *s -= mean);
        let mut design = Design::new(&[("branch", branches), ("shopper", shoppers)]);
        for (b, &q) in quality.iter().enumerate() {
            for _ in 0..visits {
                let s = if rng.next() < 0.8 {
                    // A shopper from the branch's region (region = index mod 4).
                    let k = rng.below(shoppers / 4);
                    (k * 4 + b % 4).min(shoppers - 1)
                } else {
                    rng.below(shoppers)
                };
                let y = q + severity[s] + 0.12 * rng.normal();
                design.push(y, 1.0, &[b as u32, s as u32]);
            }
        }
        Sim {
            design,
            quality,
            severity,
        }
    }

    #[test]
    fn recovers_branch_quality_better_than_raw_means_with_honest_intervals() {
        let sim = simulate(7, 400, 40, 8);
        let fit = fit(&sim.design, FitOptions::default());
        assert!(fit.converged, "{:?}", fit.notes);
        let branch = fit.factor("branch").unwrap();
        let var = error_variances(&sim.design, &fit, branch);
        let var_mu = fit.mu_variance(Some(branch));
        let (mut raw_sum, mut raw_n) = (vec![0.0; 400], vec![0.0; 400]);
        for i in 0..sim.design.len() {
            raw_sum[sim.design.level(i, 0)] += sim.design.y[i];
            raw_n[sim.design.level(i, 0)] += 1.0;
        }
        let (mut se_fair, mut se_raw, mut covered) = (0.0, 0.0, 0);
        for b in 0..400 {
            let fair = fit.mu + fit.factors[branch].effects[b];
            let half = 1.6449 * (var[b] + var_mu).sqrt();
            covered += usize::from((fair - sim.quality[b]).abs() <= half);
            se_fair += (fair - sim.quality[b]).powi(2);
            se_raw += (raw_sum[b] / raw_n[b] - sim.quality[b]).powi(2);
        }
        let (rmse_fair, rmse_raw) = ((se_fair / 400.0).sqrt(), (se_raw / 400.0).sqrt());
        assert!(rmse_fair < 0.8 * rmse_raw, "{rmse_fair} vs {rmse_raw}");
        let coverage = covered as f64 / 400.0;
        assert!((0.83..=0.97).contains(&coverage), "coverage {coverage}");
        let shopper = fit.factor("shopper").unwrap();
        let err: f64 = (0..40)
            .map(|s| (fit.factors[shopper].effects[s] - sim.severity[s]).powi(2))
            .sum::<f64>()
            / 40.0;
        assert!(err.sqrt() < 0.02, "severity rmse {}", err.sqrt());
    }

    #[test]
    fn is_deterministic() {
        let sim = simulate(3, 50, 10, 5);
        assert_eq!(
            fit(&sim.design, FitOptions::default()),
            fit(&sim.design, FitOptions::default())
        );
    }

    fn assert_finite(fit: &Fit) {
        assert!(fit.mu.is_finite() && fit.sigma.is_finite());
        for f in &fit.factors {
            assert!(f.sd.is_finite());
            assert!(f.effects.iter().chain(&f.pev).all(|v| v.is_finite()));
        }
    }

    #[test]
    fn degenerate_designs_fall_back_with_a_note() {
        // No data.
        let empty = fit(
            &Design::new(&[("branch", 3), ("shopper", 2)]),
            FitOptions::default(),
        );
        assert_finite(&empty);
        assert!(empty.notes[0].contains("no scored visits"));

        // All scores equal.
        let mut equal = Design::new(&[("branch", 3), ("shopper", 2)]);
        for i in 0..12u32 {
            equal.push(0.75, 1.0, &[i % 3, i % 2]);
        }
        let f = fit(&equal, FitOptions::default());
        assert_finite(&f);
        assert_eq!(f.mu, 0.75);
        assert!(f.notes[0].contains("all visit scores are equal"));

        // One branch, one shopper.
        let mut single = Design::new(&[("branch", 1), ("shopper", 1)]);
        for i in 0..10 {
            single.push(f64::from(i) / 10.0, 1.0, &[0, 0]);
        }
        let f = fit(&single, FitOptions::default());
        assert_finite(&f);
        assert!((f.mu - 0.45).abs() < 1e-12);
        assert_eq!(f.notes.len(), 2, "{:?}", f.notes);

        // Two observations only, and invalid input ignored.
        let mut tiny = Design::new(&[("branch", 2), ("shopper", 2)]);
        tiny.push(0.2, 1.0, &[0, 0]);
        tiny.push(0.9, 1.0, &[1, 1]);
        tiny.push(f64::NAN, 1.0, &[1, 1]);
        tiny.push(0.5, 0.0, &[1, 1]);
        tiny.push(0.5, 1.0, &[2, 1]);
        assert_eq!(tiny.len(), 2);
        let f = fit(&tiny, FitOptions::default());
        assert_finite(&f);
        let var = error_variances(&tiny, &f, 0);
        assert!(var.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn nested_effects_shrink_toward_zero() {
        let sim = simulate(11, 60, 12, 6);
        let f = fit(&sim.design, FitOptions::default());
        // A nested factor that explains nothing gets (nearly) no effects.
        let levels: Vec<Option<u32>> = (0..sim.design.len())
            .map(|i| Some((i % 2) as u32))
            .collect();
        let nested = fit_nested(&sim.design, &f, &levels, 2, FitOptions::default());
        assert!(nested.effects.iter().all(|e| e.abs() < 0.02), "{nested:?}");
    }
}
