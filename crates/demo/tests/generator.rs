//! The demo-data generator: valid visits, determinism, known truths.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use sirr_checklist::{AnswerChecker, Checklist, Completeness};
use sirr_demo::{DemoOptions, generate, stream, write_visit_line};
use sirr_scoring::score::score_visit;
use sirr_scoring::visit::parse_line;

fn example(name: &str) -> Checklist {
    let path = format!(
        "{}/../../examples/checklists/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    sirr_checklist::from_json_str(&text).unwrap().0
}

fn examples() -> Vec<Checklist> {
    [
        "bank-branch-visit",
        "retail-store-visit",
        "government-service-centre-visit",
    ]
    .into_iter()
    .map(example)
    .collect()
}

fn small(seed: u64) -> DemoOptions {
    DemoOptions {
        seed,
        branches: 30,
        shoppers: 12,
        calibration_share: 0.1,
        ..DemoOptions::default()
    }
}

fn jsonl(demo: &sirr_demo::Demo) -> String {
    let mut out = Vec::new();
    demo.write_visits_jsonl(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn every_visit_round_trips_and_passes_the_answer_checker() {
    let checklists = examples();
    let checkers: BTreeMap<(&str, u32), AnswerChecker<'_>> = checklists
        .iter()
        .map(|c| ((c.key.as_str(), c.version), AnswerChecker::new(c)))
        .collect();
    let mut used = BTreeSet::new();
    for seed in 1..=3 {
        let demo = generate(&checklists, &small(seed)).unwrap();
        assert!(demo.visits.len() > 100, "{}", demo.visits.len());
        for (n, v) in demo.visits.iter().enumerate() {
            assert_eq!(v.id, format!("v-{:06}", n + 1));
            let line = serde_json::to_string(&v.to_json()).unwrap();
            let mut written = Vec::new();
            write_visit_line(v, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), format!("{line}\n"));
            let back = parse_line(&line, n + 1).unwrap_or_else(|e| panic!("{line}: {e:?}"));
            assert_eq!(&back, v);
            let checker = &checkers[&(v.checklist.as_str(), v.checklist_version)];
            if let Err(problems) =
                checker.check(&v.answers, v.evidence.as_ref(), Completeness::Submission)
            {
                panic!("{line}\n{problems:?}");
            }
            assert!(v.region.is_some() && v.scenario.is_some());
            let d = v.duration_s.unwrap();
            assert!((600.0..=2400.0).contains(&d));
            used.insert(v.checklist.as_str().to_owned());
        }
        // Time order.
        assert!(
            demo.visits
                .windows(2)
                .all(|w| w[0].visited_at <= w[1].visited_at)
        );
    }
    assert_eq!(used.len(), 3, "{used:?}");
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let checklists = examples();
    let a = generate(&checklists, &small(7)).unwrap();
    let b = generate(&checklists, &small(7)).unwrap();
    assert_eq!(jsonl(&a), jsonl(&b));
    assert_eq!(
        serde_json::to_string(&a.organisation).unwrap(),
        serde_json::to_string(&b.organisation).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&a.truth).unwrap(),
        serde_json::to_string(&b.truth).unwrap()
    );
    // The order the checklists are given in does not matter.
    let reversed: Vec<Checklist> = checklists.iter().rev().cloned().collect();
    let c = generate(&reversed, &small(7)).unwrap();
    assert_eq!(jsonl(&a), jsonl(&c));
    // Streaming gives the same visits.
    let streamed = stream(&checklists, &small(7)).unwrap();
    assert_eq!(streamed.len(), a.visits.len());
    assert_eq!(streamed.truth(), &a.truth);
    assert!(streamed.eq(a.visits.iter().cloned()));
    let d = generate(&checklists, &small(8)).unwrap();
    assert_ne!(jsonl(&a), jsonl(&d));
}

#[test]
fn truths_are_centred() {
    let demo = generate(&examples(), &small(3)).unwrap();
    let truth = &demo.truth;
    assert_eq!(truth.shoppers.len(), 12);
    let mean = truth.shoppers.values().sum::<f64>() / truth.shoppers.len() as f64;
    assert!(mean.abs() < 1e-12, "{mean}");
    assert!(truth.shoppers.values().any(|s| s.abs() > 0.005));
    for branch in &demo.organisation.branches {
        let q = truth.branches[&branch.code];
        assert!((0.40..=0.88).contains(&q), "{q}");
        assert!((1..=3).contains(&branch.teams.len()));
        let sum: f64 = branch
            .teams
            .iter()
            .map(|t| truth.teams[&format!("{}/{t}", branch.code)] - q)
            .sum();
        assert!(sum.abs() < 1e-12, "{}: {sum}", branch.code);
        assert!(branch.code.starts_with(&format!("{}-", branch.region)));
        assert!(branch.name_ar.starts_with("فرع "), "{}", branch.name_ar);
    }
    assert_eq!(
        truth.teams.len(),
        demo.organisation
            .branches
            .iter()
            .map(|b| b.teams.len())
            .sum::<usize>()
    );
    // Condition effects have a mean of 0 under their sampling probabilities (scenarios:
    // 0.5/0.3/0.2; hour bands: hours 08–21 uniform).
    for effects in truth.conditions.scenarios.values() {
        let e: Vec<f64> = effects.values().copied().collect();
        assert_eq!(e.len(), 3);
    }
    let bank = &truth.conditions.scenarios["bank-branch-visit"];
    let m = 0.5 * bank["card-enquiry"] + 0.3 * bank["account-opening"] + 0.2 * bank["complaint"];
    assert!(m.abs() < 1e-12, "{m}");
    let h = &truth.conditions.hour_bands;
    let m = (4.0 * h["morning"]
        + 2.0 * h["midday-peak"]
        + 3.0 * h["afternoon"]
        + 5.0 * h["evening-peak"])
        / 14.0;
    assert!(m.abs() < 1e-12, "{m}");
}

#[test]
fn calibration_groups_are_rated_by_distinct_shoppers_of_one_branch() {
    let demo = generate(&examples(), &small(5)).unwrap();
    let mut groups: BTreeMap<&str, Vec<&sirr_scoring::visit::Visit>> = BTreeMap::new();
    for v in &demo.visits {
        if let Some(c) = &v.calibration {
            groups.entry(c.as_str()).or_default().push(v);
        }
    }
    assert!(groups.len() >= 5, "{}", groups.len());
    assert!(groups.contains_key("cal-0001"));
    let mut agree = (0, 0);
    for (id, visits) in &groups {
        assert!((2..=3).contains(&visits.len()), "{id}");
        let shoppers: BTreeSet<&str> = visits.iter().map(|v| v.shopper.as_str()).collect();
        assert_eq!(shoppers.len(), visits.len(), "{id}");
        let first = visits[0];
        for v in visits {
            assert_eq!(v.branch, first.branch);
            assert_eq!(v.scenario, first.scenario);
            assert_eq!(v.checklist, first.checklist);
            assert_eq!(v.team, first.team);
            assert_eq!(v.visited_at[..10], first.visited_at[..10], "{id}");
            let minutes = |t: &str| {
                t[11..13].parse::<i32>().unwrap() * 60 + t[14..16].parse::<i32>().unwrap()
            };
            let gap = minutes(&v.visited_at) - minutes(&first.visited_at);
            assert!((0..=20).contains(&gap), "{id}: {gap} minutes");
            for (k, a) in &first.answers {
                if let Some(b) = v.answers.get(k) {
                    agree.1 += 1;
                    agree.0 += usize::from(a == b);
                }
            }
        }
    }
    // Raters share most draws: they agree on most answers.
    assert!(agree.0 as f64 > 0.6 * agree.1 as f64, "{agree:?}");
}

/// 10 yes_no, 3 scale, a choice and a banded number: no critical items, no show_if.
fn additive() -> Checklist {
    let mut items = Vec::new();
    for i in 0..10 {
        items.push(serde_json::json!({"key": format!("q{i}"), "type": "yes_no", "required": true, "text": {"en": "q"}}));
    }
    for i in 0..3 {
        items.push(serde_json::json!({"key": format!("s{i}"), "type": "scale", "min": 1, "max": 5, "weight": 2, "text": {"en": "s"}}));
    }
    items.push(serde_json::json!({"key": "greeting", "type": "choice", "required": true, "text": {"en": "g"},
        "options": [{"key": "warm", "score": 1}, {"key": "partial", "score": 0.5}, {"key": "none", "score": 0}, {"key": "skip"}]}));
    items.push(serde_json::json!({"key": "wait", "type": "number", "required": true, "min": 0, "max": 90, "text": {"en": "w"},
        "bands": [{"max": 5, "score": 1}, {"max": 10, "score": 0.75}, {"max": 20, "score": 0.25}, {"score": 0}]}));
    let doc = serde_json::json!({
        "key": "plain-visit", "version": 1, "languages": ["en"], "title": {"en": "Plain"},
        "sections": [{"key": "a", "title": {"en": "A"}, "items": items}]
    });
    sirr_checklist::from_value(&doc).into_result().unwrap().0
}

#[test]
fn mean_score_recovers_branch_truth_on_an_additive_checklist() {
    let checklist = additive();
    let options = DemoOptions {
        seed: 11,
        regions: 2,
        branches: 4,
        shoppers: 30,
        visits_per_branch: (1500, 1500),
        calibration_share: 0.0,
        ..DemoOptions::default()
    };
    let demo = generate(std::slice::from_ref(&checklist), &options).unwrap();
    let checker = AnswerChecker::new(&checklist);
    let mut sums: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for v in &demo.visits {
        let checked = checker
            .check(&v.answers, v.evidence.as_ref(), Completeness::Submission)
            .unwrap();
        let score = score_visit(&checklist, &checked).score.unwrap();
        // Remove the (known) shopper severity; conditions and teams average out.
        let s = demo.truth.shoppers[&v.shopper];
        let e = sums.entry(v.branch.as_str()).or_default();
        e.0 += score - s;
        e.1 += score;
        e.2 += 1;
    }
    assert_eq!(sums.len(), 4);
    for (branch, (adjusted, _raw, n)) in sums {
        let mean = adjusted / n as f64;
        let truth = demo.truth.branches[branch];
        assert!(
            (mean - truth).abs() < 0.015,
            "{branch}: mean {mean} vs truth {truth} over {n}"
        );
    }
}

#[test]
fn odd_options_give_errors_naming_the_option() {
    let checklists = examples();
    let err = |o: DemoOptions| generate(&checklists, &o).unwrap_err().option;
    assert_eq!(
        err(DemoOptions {
            branches: 0,
            ..DemoOptions::default()
        }),
        "branches"
    );
    assert_eq!(
        err(DemoOptions {
            shoppers: 0,
            ..DemoOptions::default()
        }),
        "shoppers"
    );
    assert_eq!(
        err(DemoOptions {
            regions: 11,
            ..DemoOptions::default()
        }),
        "regions"
    );
    assert_eq!(
        err(DemoOptions {
            visits_per_branch: (5, 2),
            ..DemoOptions::default()
        }),
        "visits_per_branch"
    );
    assert_eq!(
        err(DemoOptions {
            months: 0,
            ..DemoOptions::default()
        }),
        "months"
    );
    assert_eq!(
        err(DemoOptions {
            end_month: (2026, 13),
            ..DemoOptions::default()
        }),
        "end_month"
    );
    assert_eq!(
        err(DemoOptions {
            home_region_share: f64::NAN,
            ..DemoOptions::default()
        }),
        "home_region_share"
    );
    assert_eq!(
        err(DemoOptions {
            severity_sd: -1.0,
            ..DemoOptions::default()
        }),
        "severity_sd"
    );
    assert_eq!(
        generate(&[], &DemoOptions::default()).unwrap_err().option,
        "checklists"
    );
    // Tiny but valid: one shopper (no calibration possible), one branch, one visit.
    let demo = generate(
        &checklists,
        &DemoOptions {
            branches: 1,
            shoppers: 1,
            regions: 10,
            visits_per_branch: (1, 1),
            calibration_share: 1.0,
            months: 1,
            ..DemoOptions::default()
        },
    )
    .unwrap();
    assert_eq!(demo.visits.len(), 1);
    assert_eq!(demo.truth.shoppers["S-0001"], 0.0);
    assert!(demo.visits[0].visited_at.starts_with("2026-10-"));
}

#[test]
fn several_versions_are_used_oldest_first() {
    let v1 = example("bank-branch-visit");
    let mut v2 = v1.clone();
    v2.version = 2;
    let demo = generate(
        &[v2, v1],
        &DemoOptions {
            branches: 10,
            calibration_share: 0.0,
            ..DemoOptions::default()
        },
    )
    .unwrap();
    let last_v1 = demo
        .visits
        .iter()
        .filter(|v| v.checklist_version == 1)
        .map(|v| &v.visited_at)
        .max()
        .unwrap();
    let first_v2 = demo
        .visits
        .iter()
        .filter(|v| v.checklist_version == 2)
        .map(|v| &v.visited_at)
        .min()
        .unwrap();
    assert!(last_v1 < first_v2, "{last_v1} {first_v2}");
    let versions = &demo.truth.conditions.versions["bank-branch-visit"];
    assert!(versions[&1] > versions[&2]);
}
