//! `sirr-demo`: a seeded generator of realistic synthetic organisations and visits with **known truths**.
//!
//! [`generate`] builds an organisation (regions, branches with teams, shoppers) and its visits
//! from a few [`DemoOptions`] and the checklists to fill, and returns the true values the
//! visits were drawn from ([`Truth`]), so that the fairness model (docs/scoring.md) can be
//! tested for recovering them. The output depends only on the options and the checklists —
//! never on the clock, the machine or the order the checklists are given in: the same options
//! give byte-identical visits everywhere (a self-written SplitMix64-seeded xoshiro256** and
//! portable arithmetic, no platform `ln`/`sin`).
//!
//! # Generative model
//!
//! * **Regions** are the first `regions` of a built-in Saudi list (RUH Riyadh, JED Jeddah,
//!   DMM Dammam, MED Madinah, MKH Makkah, ABH Abha, TUU Tabuk, QSM Qassim, HAS Al-Ahsa,
//!   JZN Jazan), each with a mean quality μ_r ~ U(0.62, 0.78).
//! * **Branches** are spread over regions by region size (at least one each when there are
//!   enough), coded `RUH-017`, named after a district of a city of the region
//!   ("Al Olaya Branch" / "فرع العليا"), placed near the city centre. True quality
//!   q_b = clip(μ_r + N(0, 0.08), 0.40, 0.88). Each branch is assigned one checklist key
//!   uniformly at random (a bank branch is always visited with the bank checklist) and has
//!   1–3 teams named by the key's sector (`bank-*`: tellers, customer-service, sales;
//!   `retail-*`: cashiers, floor, fitting-rooms; `government-*`: reception, service-desk,
//!   waiting-area; otherwise front-desk, back-office, phone) with effects t ~ N(0, 0.04)
//!   **centred within the branch** (they sum to 0); a visit meets a team chosen uniformly,
//!   so the average team effect is 0. Team truth is q_b + t under the key `BRANCH/team`.
//! * **Shoppers** (`S-0001`, …) are spread over regions like branches. Each region gets a
//!   severity shift ±`region_severity_shift` (signs balanced, shuffled), a shopper's severity
//!   is s ~ N(shift of home region, `severity_sd`), and the severities are then **centred**
//!   so their mean over shoppers is exactly 0 (the average shopper has severity 0; negative =
//!   harsh). A visit's shopper comes from the branch's region with probability
//!   `home_region_share` (when the region has shoppers), otherwise from another region;
//!   shoppers differ in how busy they are (activity weights U(0.4, 1.6)). Raw branch means
//!   are therefore biased by region.
//! * **Conditions** are fixed effects, each **centred by its sampling probabilities** (the
//!   frequency-weighted mean is exactly 0): the scenario (three per checklist key with
//!   probabilities 0.5/0.3/0.2 and raw effects +0.02/0/−0.04: bank card-enquiry,
//!   account-opening, complaint; retail purchase, product-advice, return; government
//!   document-renewal, enquiry, new-application; otherwise standard-visit, enquiry,
//!   complaint), the weekday (visits weighted 1 Sunday–Thursday, 0.4 Friday, 0.7 Saturday —
//!   the Saudi weekend — with the weekend and Thursday harder), the local hour band
//!   (uniform hour 08–21: morning < 12 easier, midday peak 12–14 hardest, afternoon 14–17,
//!   evening peak ≥ 17 hard), and the checklist version: when several versions of a key are
//!   given, the period is cut into consecutive equal parts, older versions first, and newer
//!   versions are up to 0.03 harder. Visits happen at local times 08:00–21:59 `+03:00` on
//!   days drawn over the `months` calendar months ending with `end_month`.
//! * **Latent compliance** of a visit: p = clamp(q_b + t + s + scenario + weekday + hour +
//!   version + N(0, 0.02), 0.01, 0.99).
//! * **Answers** are drawn in document order; only items visible under their `show_if` are
//!   answered. Required items are always answered, optional ones 92% of the time, and
//!   `na_allowed` items are `"na"` 5% of the time. Every scored, non-critical item has
//!   expected score exactly p: `yes_no` is yes with probability p; `scale` is
//!   min + Binomial(max − min, p); `choice`, `multi_choice` (one option) and banded
//!   `number`/`duration` pick a score level with mean p — half the time mixing the lowest
//!   and highest level, half the time the two levels adjacent to p — then an option (never
//!   an unscored one) or a value inside the band (within the item's min/max). A critical
//!   item fails with probability `critical_failure_scale`·(1 − p) and otherwise gets its
//!   best answer. Unscored items get plausible values: short English or Arabic remarks
//!   (the shopper's language, when the checklist has both), timestamps during the visit,
//!   photo references `att-v-000123-1`, small numbers in range. Photo evidence rules are
//!   met through the visit's `evidence`, and failed items sometimes carry a comment.
//! * **Calibration**: a `calibration_share` of encounters is rated by 2–3 different shoppers
//!   (same branch, team, scenario, minutes apart, `calibration: "cal-0001"`), each with
//!   p = clamp(encounter p without shopper + own severity). Raters share the random draws of
//!   each item, except that each rater redraws each item independently with probability
//!   0.15, so they mostly agree.
//!
//! Consequently the truth is exact: for a checklist without critical items and without
//! `show_if` on scored items (and p away from the clamps), E[visit score] = p, and the branch
//! truth q_b is the expected visit score under the average shopper (s = 0) and average
//! conditions; critical items, `show_if` and unequal item score ranges make the visit score
//! a non-linear function of p, which the truth does not model.
//!
//! Visits are sorted by time and numbered `v-000001`… in that order; `region` is always set,
//! `team` on about 90% of visits, `duration_s` is 600–2400.
//!
//! # Use
//!
//! [`generate`] returns everything at once ([`Demo`]); a visit takes about 5–7 kB of memory.
//! [`stream`] yields the same visits one by one (about 7 µs each in a release build) and
//! [`write_visit_line`] writes one as a JSON Lines line, for data sets of millions of visits.

#![deny(missing_docs)]

mod answers;
mod names;
mod rng;
mod time;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;
use sirr_checklist::Checklist;

use answers::{Form, Scratch, TextLanguage, VisitDraw};
use names::{HOUR_BANDS, REGIONS, Sector, WEEKDAY_EFFECT, WEEKDAY_WEIGHT, WEEKDAYS};
use rng::{Rng, derive};
use sirr_scoring::visit::Visit;

/// Most branches [`generate`] accepts.
pub const MAX_BRANCHES: usize = 1_000_000;
/// Most shoppers [`generate`] accepts.
pub const MAX_SHOPPERS: usize = 1_000_000;
/// Most encounters [`generate`] accepts (`branches` × the upper end of `visits_per_branch`).
pub const MAX_ENCOUNTERS: u64 = 20_000_000;
/// Most months [`generate`] accepts.
pub const MAX_MONTHS: u32 = 1200;

/// Chance that a visit records its team.
const TEAM_RECORDED: f64 = 0.9;
/// Spread of branch quality around its region mean.
const BRANCH_SD: f64 = 0.08;
/// Spread of team effects within a branch.
const TEAM_SD: f64 = 0.04;
/// Encounter noise.
const ENCOUNTER_SD: f64 = 0.02;
/// How much harder the newest checklist version is than the oldest (before centring).
const VERSION_SPREAD: f64 = 0.03;

/// What to generate. Every field has a sensible [`Default`].
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOptions {
    /// Seed: the same options give the same output on every machine.
    pub seed: u64,
    /// Number of regions, at most [`max_regions`] (default 6).
    pub regions: usize,
    /// Number of branches (default 60).
    pub branches: usize,
    /// Number of shoppers (default 25).
    pub shoppers: usize,
    /// Encounters per branch, an inclusive range (default 3–24), skewed so that some branches
    /// are thin. Calibration encounters yield one visit per rater.
    pub visits_per_branch: (u32, u32),
    /// Number of calendar months the visits are spread over (default 6).
    pub months: u32,
    /// The last month, `(year, month)` (default 2026-10).
    pub end_month: (i32, u32),
    /// Chance that a visit's shopper lives in the branch's region (default 0.8).
    pub home_region_share: f64,
    /// Spread of shopper severity on the score scale (default 0.05).
    pub severity_sd: f64,
    /// Regions' shoppers differ in mean severity by ± this (default 0.04).
    pub region_severity_shift: f64,
    /// Share of encounters rated by 2–3 shoppers sharing a `calibration` id (default 0.03).
    pub calibration_share: f64,
    /// A critical item fails with probability `critical_failure_scale`·(1 − p) (default 0.15).
    pub critical_failure_scale: f64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 1,
            regions: 6,
            branches: 60,
            shoppers: 25,
            visits_per_branch: (3, 24),
            months: 6,
            end_month: (2026, 10),
            home_region_share: 0.8,
            severity_sd: 0.05,
            region_severity_shift: 0.04,
            calibration_share: 0.03,
            critical_failure_scale: 0.15,
        }
    }
}

/// The number of built-in regions (the largest allowed `regions`).
pub fn max_regions() -> usize {
    REGIONS.len()
}

/// The Arabic name of a demo team code (`tellers` → «الصرافون»); `None` for a code the demo does
/// not make.
pub fn team_name_ar(code: &str) -> Option<&'static str> {
    Sector::team_ar(code)
}

/// An option (or the checklists) that [`generate`] cannot work with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{option}: {message}")]
pub struct DemoError {
    /// The option concerned (`branches`, `visits_per_branch`, …, or `checklists`).
    pub option: &'static str,
    /// What is wrong with it.
    pub message: String,
}

fn invalid(option: &'static str, message: impl Into<String>) -> DemoError {
    DemoError {
        option,
        message: message.into(),
    }
}

/// A generated region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoRegion {
    /// Region code (`RUH`).
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
}

/// A generated branch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoBranch {
    /// Branch code: region code and number (`RUH-017`).
    pub code: String,
    /// Region code.
    pub region: String,
    /// English name (`Al Olaya Branch`).
    pub name_en: String,
    /// Arabic name (`فرع العليا`).
    pub name_ar: String,
    /// City, in English.
    pub city_en: String,
    /// City, in Arabic.
    pub city_ar: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// The checklist key this branch is visited with.
    pub checklist: String,
    /// Team names (1–3).
    pub teams: Vec<String>,
}

/// A generated shopper.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoShopper {
    /// Shopper code (`S-0041`).
    pub code: String,
    /// Home region code.
    pub home_region: String,
    /// Language the shopper writes remarks in (`ar` or `en`).
    pub language: String,
}

/// The generated organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    /// Regions, in built-in order.
    pub regions: Vec<DemoRegion>,
    /// Branches, by region then number.
    pub branches: Vec<DemoBranch>,
    /// Shoppers, by code.
    pub shoppers: Vec<DemoShopper>,
}

/// The fixed condition effects the visits were drawn with (each centred: its mean under the
/// sampling probabilities is 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionTruth {
    /// Scenario effects by checklist key, then scenario.
    pub scenarios: BTreeMap<String, BTreeMap<String, f64>>,
    /// Weekday effects by `sun` … `sat` (local date).
    pub weekdays: BTreeMap<String, f64>,
    /// Hour-band effects: `morning` (08–11), `midday-peak` (12–13), `afternoon` (14–16),
    /// `evening-peak` (17–21), local time.
    pub hour_bands: BTreeMap<String, f64>,
    /// Checklist version effects by checklist key, then version.
    pub versions: BTreeMap<String, BTreeMap<u32, f64>>,
}

/// The true values the visits were drawn from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truth {
    /// Branch quality q_b: the expected visit score under the average shopper and conditions.
    pub branches: BTreeMap<String, f64>,
    /// Team quality q_b + t by team key (`RUH-017/tellers`); t sums to 0 within a branch.
    pub teams: BTreeMap<String, f64>,
    /// Shopper severity (mean 0 over shoppers; negative = harsher than average).
    pub shoppers: BTreeMap<String, f64>,
    /// Condition effects.
    pub conditions: ConditionTruth,
}

/// A generated data set.
#[derive(Debug, Clone, PartialEq)]
pub struct Demo {
    /// Regions, branches and shoppers.
    pub organisation: Organisation,
    /// Visits in time order, ids `v-000001`….
    pub visits: Vec<Visit>,
    /// The truths behind the visits.
    pub truth: Truth,
}

impl Demo {
    /// Writes the visits as JSON Lines (SPEC §4), one object per line.
    pub fn write_visits_jsonl<W: Write>(&self, mut out: W) -> io::Result<()> {
        for visit in &self.visits {
            write_visit_line(visit, &mut out)?;
        }
        Ok(())
    }
}

fn check_share(option: &'static str, x: f64) -> Result<(), DemoError> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(invalid(option, format!("must be between 0 and 1, not {x}")))
    }
}

fn check_spread(option: &'static str, x: f64, max: f64) -> Result<(), DemoError> {
    if (0.0..=max).contains(&x) {
        Ok(())
    } else {
        Err(invalid(
            option,
            format!("must be between 0 and {max}, not {x}"),
        ))
    }
}

fn validate(o: &DemoOptions, checklists: &[Checklist]) -> Result<(), DemoError> {
    if checklists.is_empty() {
        return Err(invalid("checklists", "give at least one checklist"));
    }
    for (i, a) in checklists.iter().enumerate() {
        if checklists[..i]
            .iter()
            .any(|b| b.key == a.key && b.version == a.version)
        {
            return Err(invalid(
                "checklists",
                format!("{} version {} is given twice", a.key, a.version),
            ));
        }
    }
    if o.regions == 0 || o.regions > REGIONS.len() {
        return Err(invalid(
            "regions",
            format!("must be from 1 to {}, not {}", REGIONS.len(), o.regions),
        ));
    }
    if o.branches == 0 || o.branches > MAX_BRANCHES {
        return Err(invalid(
            "branches",
            format!("must be from 1 to {MAX_BRANCHES}, not {}", o.branches),
        ));
    }
    if o.shoppers == 0 || o.shoppers > MAX_SHOPPERS {
        return Err(invalid(
            "shoppers",
            format!("must be from 1 to {MAX_SHOPPERS}, not {}", o.shoppers),
        ));
    }
    let (lo, hi) = o.visits_per_branch;
    if lo > hi {
        return Err(invalid(
            "visits_per_branch",
            format!("the range {lo}–{hi} is empty"),
        ));
    }
    if o.branches as u64 * u64::from(hi) > MAX_ENCOUNTERS {
        return Err(invalid(
            "visits_per_branch",
            format!(
                "{} branches × up to {hi} visits exceeds {MAX_ENCOUNTERS} visits",
                o.branches
            ),
        ));
    }
    if o.months == 0 || o.months > MAX_MONTHS {
        return Err(invalid(
            "months",
            format!("must be from 1 to {MAX_MONTHS}, not {}", o.months),
        ));
    }
    let (year, month) = o.end_month;
    if !(1..=12).contains(&month) {
        return Err(invalid(
            "end_month",
            format!("month must be 1–12, not {month}"),
        ));
    }
    if !(1000..=9999).contains(&year)
        || i64::from(year) * 12 + i64::from(month) <= 1000 * 12 + i64::from(o.months)
    {
        return Err(invalid(
            "end_month",
            format!("the period must lie within the years 1000–9999, not end in {year}"),
        ));
    }
    check_share("home_region_share", o.home_region_share)?;
    check_share("calibration_share", o.calibration_share)?;
    check_share("critical_failure_scale", o.critical_failure_scale)?;
    check_spread("severity_sd", o.severity_sd, 0.5)?;
    check_spread("region_severity_shift", o.region_severity_shift, 0.5)?;
    Ok(())
}

/// Splits `total` into parts proportional to `weights` (largest remainder, ties to the first),
/// giving every part at least one when `total` allows.
fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let base = if total >= n { 1 } else { 0 };
    let rest = total - base * n;
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| rest as f64 * w / sum).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let assigned: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let fa = exact[a] - exact[a].floor();
        let fb = exact[b] - exact[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(rest.saturating_sub(assigned)) {
        counts[i] += 1;
    }
    counts.iter().map(|c| c + base).collect()
}

/// Subtracts the `probs`-weighted mean from `effects`.
fn centre(effects: &mut [f64], probs: &[f64]) {
    let total: f64 = probs.iter().sum();
    if total > 0.0 {
        let mean = effects.iter().zip(probs).map(|(e, p)| e * p).sum::<f64>() / total;
        for e in effects {
            *e -= mean;
        }
    }
}

/// Subtracts the plain mean from `effects`.
fn centre_equal(effects: &mut [f64]) {
    if !effects.is_empty() {
        let mean = effects.iter().sum::<f64>() / effects.len() as f64;
        for e in effects {
            *e -= mean;
        }
    }
}

fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .into_iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// A checklist key with its versions, oldest first.
struct Family {
    key: String,
    sector: Sector,
    /// Indices into the forms, by ascending version.
    forms: Vec<usize>,
    /// Version effects, centred by how often each version is used.
    version_effects: Vec<f64>,
    scenario_names: [&'static str; 3],
    scenario_cum: Vec<f64>,
    scenario_effects: Vec<f64>,
}

/// The days of the period with their weekday weights.
struct Calendar {
    days: Vec<i64>,
    cum: Vec<f64>,
    weekday_effects: [f64; 7],
}

impl Calendar {
    fn new(o: &DemoOptions) -> Calendar {
        let (end_year, end_month) = o.end_month;
        let end_index = i64::from(end_year) * 12 + i64::from(end_month) - 1;
        let start_index = end_index - i64::from(o.months) + 1;
        let first = time::days_from_civil(
            start_index.div_euclid(12) as i32,
            (start_index.rem_euclid(12) + 1) as u32,
            1,
        );
        let after = time::days_from_civil(
            (end_index + 1).div_euclid(12) as i32,
            ((end_index + 1).rem_euclid(12) + 1) as u32,
            1,
        );
        let days: Vec<i64> = (first..after).collect();
        let cum = cumulative(days.iter().map(|&d| WEEKDAY_WEIGHT[time::weekday(d)]));
        let mut probs = [0.0; 7];
        for &d in &days {
            probs[time::weekday(d)] += WEEKDAY_WEIGHT[time::weekday(d)];
        }
        let mut weekday_effects = WEEKDAY_EFFECT;
        centre(&mut weekday_effects, &probs);
        Calendar {
            days,
            cum,
            weekday_effects,
        }
    }

    /// Sampling weight of day index `d`.
    fn weight(&self, d: usize) -> f64 {
        self.days
            .get(d)
            .map_or(0.0, |&day| WEEKDAY_WEIGHT[time::weekday(day)])
    }

    /// The version index (of `n`) in use on day index `d`: consecutive equal parts.
    fn segment(&self, d: usize, n: usize) -> usize {
        (d * n / self.days.len().max(1)).min(n.saturating_sub(1))
    }
}

struct Branch {
    region: usize,
    family: usize,
    quality: f64,
    /// Team effects; the first `teams` are used (no heap allocation: dropping many small
    /// vectors after set-up would leave the allocator's free lists cold for the visits).
    team_effects: [f64; 3],
    teams: usize,
}

struct ShopperPool {
    /// Shoppers of each region with cumulative activity.
    home: Vec<(Vec<usize>, Vec<f64>)>,
    /// Shoppers outside each region with cumulative activity.
    away: Vec<(Vec<usize>, Vec<f64>)>,
}

impl ShopperPool {
    fn new(home_region: &[usize], activity: &[f64], regions: usize) -> ShopperPool {
        let pool = |keep: &dyn Fn(usize) -> bool| {
            let members: Vec<usize> = (0..home_region.len()).filter(|&i| keep(i)).collect();
            let cum = cumulative(members.iter().map(|&i| activity[i]));
            (members, cum)
        };
        ShopperPool {
            home: (0..regions)
                .map(|r| pool(&|i| home_region[i] == r))
                .collect(),
            away: (0..regions)
                .map(|r| pool(&|i| home_region[i] != r))
                .collect(),
        }
    }

    fn draw(&self, region: usize, home_share: f64, rng: &mut Rng) -> usize {
        let (home, away) = (&self.home[region], &self.away[region]);
        let from_home = !home.0.is_empty() && (away.0.is_empty() || rng.chance(home_share));
        let (members, cum) = if from_home { home } else { away };
        members.get(rng.weighted(cum)).copied().unwrap_or(0)
    }
}

/// One rating of one encounter, before its answers are drawn.
#[derive(Debug)]
struct Plan {
    at: i64,
    seq: usize,
    branch: usize,
    team: usize,
    team_recorded: bool,
    scenario: usize,
    form: usize,
    shopper: usize,
    p: f64,
    shared_seed: u64,
    own_seed: Option<u64>,
    group: Option<usize>,
    duration_s: u32,
}

/// Generates an organisation, its visits filled against `checklists`, and the truths behind
/// them. Several versions of one checklist key may be given (older ones are used earlier).
/// Returns an error naming the option when an option is out of range.
///
/// All visits are held in memory (5–7 kB each); use [`stream`] to write large data sets.
pub fn generate(checklists: &[Checklist], options: &DemoOptions) -> Result<Demo, DemoError> {
    let mut stream = stream(checklists, options)?;
    let visits = stream.by_ref().collect();
    Ok(Demo {
        organisation: stream.organisation,
        visits,
        truth: stream.truth,
    })
}

/// Like [`generate`], but yields the visits one at a time, in the same order and with the
/// same content, so that millions of visits can be written without holding them all. The
/// organisation and the truth are available up front.
pub fn stream<'c>(
    checklists: &'c [Checklist],
    options: &DemoOptions,
) -> Result<DemoStream<'c>, DemoError> {
    validate(options, checklists)?;
    let o = options;
    let forms: Vec<Form<'_>> = checklists.iter().map(Form::new).collect();
    let calendar = Calendar::new(o);

    // Checklist families, sorted by key so that the input order does not matter.
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in checklists.iter().enumerate() {
        by_key.entry(c.key.as_str()).or_default().push(i);
    }
    let families: Vec<Family> = by_key
        .into_iter()
        .map(|(key, mut idx)| {
            idx.sort_by_key(|&i| checklists[i].version);
            let n = idx.len();
            let mut version_effects: Vec<f64> = (0..n)
                .map(|i| {
                    if n > 1 {
                        -VERSION_SPREAD * i as f64 / (n - 1) as f64
                    } else {
                        0.0
                    }
                })
                .collect();
            let mut probs = vec![0.0; n];
            for d in 0..calendar.days.len() {
                probs[calendar.segment(d, n)] += calendar.weight(d);
            }
            centre(&mut version_effects, &probs);
            let sector = Sector::of(key);
            let scenarios = sector.scenarios();
            let mut scenario_effects: Vec<f64> = scenarios.iter().map(|s| s.2).collect();
            let scenario_probs: Vec<f64> = scenarios.iter().map(|s| s.1).collect();
            centre(&mut scenario_effects, &scenario_probs);
            Family {
                key: key.to_owned(),
                sector,
                forms: idx,
                version_effects,
                scenario_names: scenarios.map(|s| s.0),
                scenario_cum: cumulative(scenario_probs),
                scenario_effects,
            }
        })
        .collect();

    let mut hour_effects: Vec<f64> = HOUR_BANDS.iter().map(|b| b.3).collect();
    let hour_probs: Vec<f64> = HOUR_BANDS
        .iter()
        .map(|b| f64::from(b.2 - b.1 + 1))
        .collect();
    centre(&mut hour_effects, &hour_probs);
    let hour_band = |hour: u32| {
        HOUR_BANDS
            .iter()
            .position(|b| hour <= b.2)
            .unwrap_or(HOUR_BANDS.len() - 1)
    };

    // Organisation.
    let mut org = Rng::new(derive(o.seed, 1));
    let regions = &REGIONS[..o.regions];
    let region_means: Vec<f64> = regions.iter().map(|_| org.range(0.62, 0.78)).collect();
    let sizes: Vec<f64> = regions.iter().map(|r| r.size).collect();
    let branch_counts = apportion(o.branches, &sizes);
    let mut branches = Vec::with_capacity(o.branches);
    let mut demo_branches = Vec::with_capacity(o.branches);
    let mut truth_branches = BTreeMap::new();
    let mut truth_teams = BTreeMap::new();
    for (ri, region) in regions.iter().enumerate() {
        let mut districts: Vec<(usize, usize)> = region
            .cities
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| (0..c.districts.len()).map(move |di| (ci, di)))
            .collect();
        org.shuffle(&mut districts);
        for k in 0..branch_counts[ri] {
            let (ci, di) = districts[k % districts.len()];
            let round = k / districts.len();
            let city = &region.cities[ci];
            let district = &city.districts[di];
            let (name_en, name_ar) = if round == 0 {
                (
                    format!("{} Branch", district.en),
                    format!("فرع {}", district.ar),
                )
            } else {
                (
                    format!("{} Branch {}", district.en, round + 1),
                    format!("فرع {} {}", district.ar, names::arabic_digits(round + 1)),
                )
            };
            let code = format!("{}-{:03}", region.code, k + 1);
            let quality = org.gauss(region_means[ri], BRANCH_SD).clamp(0.40, 0.88);
            let family = org.below(families.len());
            let n_teams = 1 + org.below(3);
            let mut team_effects = [0.0; 3];
            for e in &mut team_effects[..n_teams] {
                *e = org.gauss(0.0, TEAM_SD);
            }
            centre_equal(&mut team_effects[..n_teams]);
            let team_names = families[family].sector.teams();
            let lat = round5(city.lat + org.range(-0.04, 0.04));
            let lon = round5(city.lon + org.range(-0.04, 0.04));
            truth_branches.insert(code.clone(), quality);
            for (t, e) in team_effects[..n_teams].iter().enumerate() {
                truth_teams.insert(format!("{code}/{}", team_names[t]), quality + e);
            }
            demo_branches.push(DemoBranch {
                code,
                region: region.code.to_owned(),
                name_en,
                name_ar,
                city_en: city.en.to_owned(),
                city_ar: city.ar.to_owned(),
                lat,
                lon,
                checklist: families[family].key.clone(),
                teams: team_names[..n_teams]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            });
            branches.push(Branch {
                region: ri,
                family,
                quality,
                team_effects,
                teams: n_teams,
            });
        }
    }

    // Shoppers.
    let mut shop = Rng::new(derive(o.seed, 2));
    let branch_weights: Vec<f64> = branch_counts.iter().map(|&c| c as f64).collect();
    let shopper_counts = apportion(o.shoppers, &branch_weights);
    let mut home_region: Vec<usize> = shopper_counts
        .iter()
        .enumerate()
        .flat_map(|(r, &c)| std::iter::repeat_n(r, c))
        .collect();
    shop.shuffle(&mut home_region);
    let mut signs: Vec<f64> = (0..regions.len())
        .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    shop.shuffle(&mut signs);
    let mut severity: Vec<f64> = home_region
        .iter()
        .map(|&r| shop.gauss(signs[r] * o.region_severity_shift, o.severity_sd))
        .collect();
    centre_equal(&mut severity);
    let activity: Vec<f64> = home_region.iter().map(|_| shop.range(0.4, 1.6)).collect();
    let arabic: Vec<bool> = home_region.iter().map(|_| shop.chance(0.6)).collect();
    let code_width = o.shoppers.to_string().len().max(4);
    let shopper_codes: Vec<String> = (0..o.shoppers)
        .map(|i| format!("S-{:0code_width$}", i + 1))
        .collect();
    let pool = ShopperPool::new(&home_region, &activity, regions.len());

    // Encounters.
    let mut plan_rng = Rng::new(derive(o.seed, 3));
    let (lo, hi) = o.visits_per_branch;
    let counts: Vec<u32> = branches
        .iter()
        .map(|_| {
            // u² skews the counts towards `lo`: many thin branches, a few well-visited ones.
            let u = plan_rng.f64();
            let span = f64::from(hi - lo) + 1.0;
            (f64::from(lo) + (span * u * u).floor()).min(f64::from(hi)) as u32
        })
        .collect();
    let encounters: usize = counts.iter().map(|&n| n as usize).sum();
    let extra = (encounters as f64 * o.calibration_share * 2.0).ceil() as usize;
    let mut plans: Vec<Plan> = Vec::with_capacity(encounters + extra + 16);
    let mut groups = 0usize;
    for (bi, b) in branches.iter().enumerate() {
        let n = counts[bi];
        let fam = &families[b.family];
        for _ in 0..n {
            let d = plan_rng.weighted(&calendar.cum);
            let day = calendar.days.get(d).copied().unwrap_or(0);
            let hour = 8 + plan_rng.below(14) as u32;
            let minute = plan_rng.below(60) as i64;
            let at = day * 86_400 + i64::from(hour) * 3600 + minute * 60;
            let version = calendar.segment(d, fam.forms.len());
            let form = fam.forms[version];
            let team = plan_rng.below(b.teams);
            let team_recorded = plan_rng.chance(TEAM_RECORDED);
            let scenario = plan_rng.weighted(&fam.scenario_cum);
            let base = b.quality
                + b.team_effects[team]
                + fam.scenario_effects[scenario]
                + calendar.weekday_effects[time::weekday(day)]
                + hour_effects[hour_band(hour)]
                + fam.version_effects[version]
                + plan_rng.gauss(0.0, ENCOUNTER_SD);
            let shared_seed = plan_rng.next_u64();
            let calibrated = o.shoppers >= 2 && plan_rng.chance(o.calibration_share);
            let first = pool.draw(b.region, o.home_region_share, &mut plan_rng);
            let mut raters = vec![first];
            if calibrated {
                let want = if o.shoppers >= 3 && plan_rng.chance(0.5) {
                    3
                } else {
                    2
                };
                while raters.len() < want {
                    let mut s = pool.draw(b.region, o.home_region_share, &mut plan_rng);
                    let mut tries = 0;
                    while raters.contains(&s) && tries < 20 {
                        s = pool.draw(b.region, o.home_region_share, &mut plan_rng);
                        tries += 1;
                    }
                    while raters.contains(&s) {
                        s = (s + 1) % o.shoppers;
                    }
                    raters.push(s);
                }
            }
            let group = calibrated.then(|| {
                groups += 1;
                groups - 1
            });
            let mut offset = 0i64;
            for (k, &s) in raters.iter().enumerate() {
                if k > 0 {
                    offset += 60 * (1 + plan_rng.below(6) as i64);
                }
                plans.push(Plan {
                    at: at + offset,
                    seq: plans.len(),
                    branch: bi,
                    team,
                    team_recorded,
                    scenario,
                    form,
                    shopper: s,
                    p: (base + severity[s]).clamp(0.01, 0.99),
                    shared_seed,
                    own_seed: calibrated.then(|| plan_rng.next_u64()),
                    group,
                    duration_s: 600 + plan_rng.below(1801) as u32,
                });
            }
        }
    }
    // `seq` is unique, so the unstable (in-place) sort is deterministic.
    plans.sort_unstable_by_key(|p| (p.at, p.seq));

    let conditions = ConditionTruth {
        scenarios: families
            .iter()
            .map(|f| {
                let m = f
                    .scenario_names
                    .iter()
                    .zip(&f.scenario_effects)
                    .map(|(n, e)| ((*n).to_owned(), *e))
                    .collect();
                (f.key.clone(), m)
            })
            .collect(),
        weekdays: WEEKDAYS
            .iter()
            .zip(calendar.weekday_effects)
            .map(|(n, e)| ((*n).to_owned(), e))
            .collect(),
        hour_bands: HOUR_BANDS
            .iter()
            .zip(&hour_effects)
            .map(|(b, e)| (b.0.to_owned(), *e))
            .collect(),
        versions: families
            .iter()
            .map(|f| {
                let m = f
                    .forms
                    .iter()
                    .zip(&f.version_effects)
                    .map(|(&i, e)| (checklists[i].version, *e))
                    .collect();
                (f.key.clone(), m)
            })
            .collect(),
    };
    let shoppers: Vec<DemoShopper> = (0..o.shoppers)
        .map(|i| DemoShopper {
            code: shopper_codes[i].clone(),
            home_region: regions[home_region[i]].code.to_owned(),
            language: if arabic[i] { "ar" } else { "en" }.to_owned(),
        })
        .collect();
    let truth = Truth {
        branches: truth_branches,
        teams: truth_teams,
        shoppers: shopper_codes
            .iter()
            .cloned()
            .zip(severity.iter().copied())
            .collect(),
        conditions,
    };
    let organisation = Organisation {
        regions: regions
            .iter()
            .map(|r| DemoRegion {
                code: r.code.to_owned(),
                name_en: r.en.to_owned(),
                name_ar: r.ar.to_owned(),
            })
            .collect(),
        branches: demo_branches,
        shoppers,
    };
    let id_width = plans.len().to_string().len().max(6);
    Ok(DemoStream {
        organisation,
        truth,
        forms,
        scenario_names: branches
            .iter()
            .map(|b| families[b.family].scenario_names)
            .collect(),
        shopper_codes,
        arabic,
        critical_failure_scale: o.critical_failure_scale,
        plans: plans.into_iter(),
        emitted: 0,
        id_width,
        group_ids: HashMap::new(),
        scratch: Scratch::default(),
    })
}

/// The visits of a generated data set, produced one at a time in time order (see [`stream`]).
#[derive(Debug)]
pub struct DemoStream<'c> {
    organisation: Organisation,
    truth: Truth,
    forms: Vec<Form<'c>>,
    /// Scenario names by branch.
    scenario_names: Vec<[&'static str; 3]>,
    shopper_codes: Vec<String>,
    /// Shoppers' writing language.
    arabic: Vec<bool>,
    critical_failure_scale: f64,
    plans: std::vec::IntoIter<Plan>,
    emitted: usize,
    id_width: usize,
    group_ids: HashMap<usize, String>,
    scratch: Scratch<'c>,
}

impl DemoStream<'_> {
    /// The generated organisation.
    pub fn organisation(&self) -> &Organisation {
        &self.organisation
    }

    /// The truths behind the visits.
    pub fn truth(&self) -> &Truth {
        &self.truth
    }
}

impl Iterator for DemoStream<'_> {
    type Item = Visit;

    fn next(&mut self) -> Option<Visit> {
        let plan = self.plans.next()?;
        self.emitted += 1;
        let width = self.id_width;
        let id = format!("v-{:0width$}", self.emitted);
        let form = self.forms.get(plan.form)?;
        let calibration = plan.group.map(|g| {
            let next = self.group_ids.len() + 1;
            self.group_ids
                .entry(g)
                .or_insert_with(|| format!("cal-{next:04}"))
                .clone()
        });
        let draw = VisitDraw {
            id: &id,
            p: plan.p,
            shared_seed: plan.shared_seed,
            own_seed: plan.own_seed,
            arabic: match form.language() {
                TextLanguage::English => false,
                TextLanguage::Arabic => true,
                TextLanguage::Either => self.arabic[plan.shopper],
            },
            visited_at: plan.at,
            duration_s: plan.duration_s,
            critical_failure_scale: self.critical_failure_scale,
        };
        let generated = form.generate(&draw, &mut self.scratch);
        let branch = self.organisation.branches.get(plan.branch)?;
        Some(Visit {
            checklist: form.checklist.key.clone(),
            checklist_version: form.checklist.version,
            branch: branch.code.clone(),
            team: plan.team_recorded.then(|| branch.teams[plan.team].clone()),
            region: Some(branch.region.clone()),
            shopper: self.shopper_codes[plan.shopper].clone(),
            scenario: Some(self.scenario_names[plan.branch][plan.scenario].to_owned()),
            visited_at: time::format_local(plan.at),
            duration_s: Some(f64::from(plan.duration_s)),
            answers: generated.answers,
            comments: generated.comments,
            evidence: generated.evidence,
            calibration,
            id,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.plans.size_hint()
    }
}

impl ExactSizeIterator for DemoStream<'_> {}

/// Writes one visit as a JSON Lines line (with the newline): the same bytes as
/// `serde_json::to_string(&visit.to_json())`, without building the JSON value.
pub fn write_visit_line<W: Write>(visit: &Visit, mut out: W) -> io::Result<()> {
    serde_json::to_writer(&mut out, &Line(visit))?;
    out.write_all(b"\n")
}

/// A visit serialised like [`Visit::to_json`], borrowing instead of copying.
struct Line<'a>(&'a Visit);

impl Serialize for Line<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let v = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &v.id)?;
        m.serialize_entry("checklist", v.checklist.as_str())?;
        m.serialize_entry("checklist_version", &v.checklist_version)?;
        m.serialize_entry("branch", &v.branch)?;
        if let Some(team) = &v.team {
            m.serialize_entry("team", team)?;
        }
        if let Some(region) = &v.region {
            m.serialize_entry("region", region)?;
        }
        m.serialize_entry("shopper", &v.shopper)?;
        if let Some(scenario) = &v.scenario {
            m.serialize_entry("scenario", scenario)?;
        }
        m.serialize_entry("visited_at", &v.visited_at)?;
        if let Some(d) = v.duration_s {
            if d.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&d) {
                m.serialize_entry("duration_s", &(d as u64))?;
            } else {
                m.serialize_entry("duration_s", &d)?;
            }
        }
        m.serialize_entry("answers", &v.answers)?;
        if !v.comments.is_empty() {
            m.serialize_entry("comments", &v.comments)?;
        }
        if let Some(evidence) = v.evidence.as_ref().filter(|e| !e.is_empty()) {
            m.serialize_entry("evidence", evidence)?;
        }
        if let Some(calibration) = &v.calibration {
            m.serialize_entry("calibration", calibration)?;
        }
        m.end()
    }
}

fn round5(x: f64) -> f64 {
    (x * 100_000.0).round() / 100_000.0
}
