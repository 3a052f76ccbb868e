//! What fair scores are relative to (SPEC §5, §10.40): the average shopper is the mean over
//! shoppers each counted once, so a prolific shopper does not move every branch's fair score;
//! and the shoppers' home-region mean severity (docs/scoring.md §3.1) enters the model exactly
//! where the data can tell it apart from region quality.

use serde_json::json;
use sirr_checklist::Checklist;
use sirr_scoring::catalog::{Catalog, score_line};
use sirr_scoring::report::{Report, ReportBuilder, ReportOptions};

/// Twenty yes/no items of equal weight: a visit scores (number of "yes") / 20.
const ITEMS: usize = 20;

fn checklist() -> Checklist {
    let items: Vec<serde_json::Value> = (0..ITEMS)
        .map(|i| json!({"key": format!("check_{i}"), "type": "yes_no", "text": {"en": "Check", "ar": "فحص"}}))
        .collect();
    let doc = json!({"key": "reference-visit", "version": 1, "languages": ["en", "ar"],
                     "title": {"en": "Reference visit", "ar": "زيارة"},
                     "sections": [{"key": "service", "title": {"en": "Service", "ar": "الخدمة"}, "items": items}]});
    sirr_checklist::from_value(&doc).into_result().unwrap().0
}

/// A small deterministic generator (SplitMix64).
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

/// One visit: `branch` (in `region` when given) rated by `shopper`, with expected score `level`.
struct Visit {
    branch: usize,
    region: Option<usize>,
    shopper: usize,
    level: f64,
}

/// Scores the visits as SPEC §4 lines; the answers draw each item "yes" with probability
/// `level` (clipped), so a visit's expected score is `level`.
fn report(visits: &[Visit], seed: u64) -> Report {
    let checklists = vec![checklist()];
    let catalog = Catalog::new(&checklists).unwrap();
    let mut builder = ReportBuilder::new(&catalog, ReportOptions::default());
    let mut rng = Rng(seed);
    for (i, v) in visits.iter().enumerate() {
        let p = v.level.clamp(0.02, 0.98);
        let answers: serde_json::Map<String, serde_json::Value> = (0..ITEMS)
            .map(|k| {
                let yes = rng.next() < p;
                (format!("check_{k}"), json!(if yes { "yes" } else { "no" }))
            })
            .collect();
        let scenario = ["walk-in", "complaint"][i % 2];
        let mut line = json!({
            "id": format!("v{i:05}"), "checklist": "reference-visit", "checklist_version": 1,
            "branch": format!("B{:03}", v.branch), "shopper": format!("S{:03}", v.shopper),
            "scenario": scenario,
            "visited_at": format!("2026-0{}-{:02}T{:02}:15:00+03:00", 1 + i % 3, 1 + i % 28, 9 + i % 9),
            "answers": answers,
        });
        if let Some(r) = v.region {
            line["region"] = json!(format!("R{r}"));
        }
        let scored = score_line(&catalog, &line.to_string(), i + 1).unwrap();
        builder.push(scored, i + 1).unwrap();
    }
    builder.finish()
}

fn fair_scores(report: &Report) -> std::collections::BTreeMap<String, f64> {
    report
        .branches
        .iter()
        .map(|b| (b.key.clone(), b.fair_score.unwrap()))
        .collect()
}

/// The home-region factor's entry in `model.components`: its prior standard deviation when the
/// model uses it, 0 when it is left out.
fn home_component(report: &Report) -> f64 {
    report.model.components["shopper home region"]
}

/// 4 regions of 12 branches each (branch b in region b % 4), 32 shoppers (shopper s lives in
/// region s % 4). The best regions have the harshest shoppers, so raw means understate them.
/// Each visit is by a shopper of the branch's region with probability `at_home`, else by any
/// shopper; `own_shopper` gives every branch a single shopper of its own instead.
fn regional(at_home: f64, own_shopper: bool, seed: u64) -> Vec<Visit> {
    let mut rng = Rng(seed);
    let (branches, regions, shoppers) = (48, 4, 32);
    let region_quality = [0.08, 0.03, -0.03, -0.08];
    let home_severity = [-0.08, -0.03, 0.03, 0.08];
    let quality: Vec<f64> = (0..branches).map(|_| 0.06 * rng.normal()).collect();
    let severity: Vec<f64> = (0..shoppers)
        .map(|s| home_severity[s % regions] + 0.03 * rng.normal())
        .collect();
    let mut visits = Vec::new();
    for (b, q) in quality.iter().enumerate() {
        let r = b % regions;
        for _ in 0..10 {
            let shopper = if own_shopper {
                b
            } else if rng.next() < at_home {
                rng.below(shoppers / regions) * regions + r
            } else {
                rng.below(shoppers)
            };
            let sev = severity.get(shopper).copied().unwrap_or(0.0);
            visits.push(Visit {
                branch: b,
                region: Some(r),
                shopper,
                level: 0.7 + region_quality[r] + q + sev,
            });
        }
    }
    visits
}

#[test]
fn the_home_region_factor_is_used_only_where_the_data_separate_it_from_region_quality() {
    // Shoppers work mostly (85%) in their home region and every home region's shoppers make
    // enough visits elsewhere: the home means are identified and used.
    let confounded = report(&regional(0.8, false, 1), 11);
    assert!(confounded.model.converged, "{:?}", confounded.model.notes);
    assert!(
        home_component(&confounded) > 0.0,
        "home region left out although separable: {:?}",
        confounded.model.components
    );
    // Shoppers assigned across regions at random: nothing is confounded, the factor would only
    // add noise, and it is left out.
    let random = report(&regional(0.0, false, 2), 12);
    assert_eq!(
        home_component(&random),
        0.0,
        "{:?}",
        random.model.components
    );
    // Shoppers who never leave their home region: the home mean cannot be told apart from the
    // region's quality.
    let never_leave = report(&regional(1.0, false, 3), 13);
    assert_eq!(
        home_component(&never_leave),
        0.0,
        "{:?}",
        never_leave.model.components
    );
    // Shoppers who rarely leave it (2%): too few visits outside the home regions to estimate
    // the means from.
    let rarely = report(&regional(0.98, false, 4), 14);
    assert_eq!(
        home_component(&rarely),
        0.0,
        "{:?}",
        rarely.model.components
    );
    // One shopper per branch: every shopper works in one region only.
    let own = report(&regional(1.0, true, 5), 15);
    assert_eq!(home_component(&own), 0.0, "{:?}", own.model.components);
    // Every result stays finite whichever way the factor went.
    for r in [&confounded, &random, &never_leave, &rarely, &own] {
        assert!(
            r.branches
                .iter()
                .all(|b| b.fair_score.is_some_and(f64::is_finite))
        );
    }
}

#[test]
fn a_prolific_shopper_does_not_move_other_branches_fair_scores() {
    // 30 branches × 8 visits by 15 shoppers at random; shopper 0 is harsh (−0.15).
    let mut rng = Rng(40);
    let (branches, shoppers) = (30, 15);
    let quality: Vec<f64> = (0..branches).map(|_| 0.06 * rng.normal()).collect();
    let severity: Vec<f64> = (0..shoppers)
        .map(|s| if s == 0 { -0.15 } else { 0.04 * rng.normal() })
        .collect();
    let visit = |b: usize, s: usize| Visit {
        branch: b,
        region: None,
        shopper: s,
        level: 0.7 + quality[b] + severity[s],
    };
    let mut base = Vec::new();
    for b in 0..branches {
        for _ in 0..8 {
            base.push(visit(b, rng.below(shoppers)));
        }
    }
    // The same data plus 240 more visits by shopper 0 to branches 0-9 only: shopper 0 now
    // makes more than half of all visits.
    let mut prolific = base
        .iter()
        .map(|v| visit(v.branch, v.shopper))
        .collect::<Vec<_>>();
    for k in 0..240 {
        prolific.push(visit(k % 10, 0));
    }
    let by_zero = prolific.iter().filter(|v| v.shopper == 0).count();
    assert!(2 * by_zero > prolific.len());

    // The same answers for the shared visits (same generator seed, same order).
    let before = report(&base, 7);
    let after = report(&prolific, 7);
    assert!(after.model.converged, "{:?}", after.model.notes);
    let (fb, fa) = (fair_scores(&before), fair_scores(&after));
    // Branches 10-29 got no new visits. Were the average shopper the average visit's shopper,
    // their fair scores would all fall by about half of shopper 0's severity (≈ 0.07); counted
    // once, shopper 0 is one of 15 and they move only by what the refit learns.
    let (mut worst, mut mean_shift) = (0.0f64, 0.0);
    for b in 10..branches {
        let key = format!("B{b:03}");
        let d = fa[&key] - fb[&key];
        worst = worst.max(d.abs());
        mean_shift += d / (branches - 10) as f64;
    }
    eprintln!(
        "prolific shopper: other branches' fair scores moved by at most {worst:.4} (mean {mean_shift:+.4})"
    );
    assert!(worst < 0.015, "a branch moved by {worst}");
    assert!(
        mean_shift.abs() < 0.01,
        "fair scores shifted by {mean_shift}"
    );
    // Shopper 0's severity is measured (harsh), not spread over everyone else.
    let s0 = after.shoppers.iter().find(|s| s.key == "S000").unwrap();
    assert!(s0.severity.unwrap() < -0.08, "{:?}", s0.severity);
}
