//! Truth recovery: on generated data where shoppers differ in severity and are unevenly spread
//! over regions, fair scores are closer to the true branch quality than raw means, and their
//! 90% intervals cover the truth about 90% of the time (SPEC §5, §9.17). The figures printed
//! here are quoted in docs/scoring.md.

use serde_json::json;
use sirr_checklist::Checklist;
use sirr_demo::{Demo, DemoOptions, generate};
use sirr_scoring::catalog::{Catalog, score};
use sirr_scoring::report::{Report, ReportBuilder, ReportOptions};

fn example(name: &str) -> Checklist {
    let path = format!(
        "{}/../../examples/checklists/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    sirr_checklist::from_json_str(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .0
}

/// A checklist whose expected visit score is exactly linear in the generator's latent quality:
/// no critical items and no `show_if` on scored items (see the generator's documentation).
fn additive_checklist() -> Checklist {
    let mut items: Vec<serde_json::Value> = (0..10)
        .map(|i| json!({"key": format!("check_{i}"), "type": "yes_no", "text": {"en": "Check", "ar": "فحص"}}))
        .collect();
    items.push(
        json!({"key": "courtesy", "type": "scale", "min": 1, "max": 5, "weight": 2,
                      "text": {"en": "Courtesy", "ar": "اللباقة"}}),
    );
    items.push(json!({"key": "wait_minutes", "type": "number",
                      "bands": [{"max": 5, "score": 1}, {"max": 10, "score": 0.5}, {"score": 0}],
                      "text": {"en": "Minutes waited", "ar": "دقائق الانتظار"}}));
    let doc = json!({"key": "additive-visit", "version": 1, "languages": ["en", "ar"],
                     "title": {"en": "Additive visit", "ar": "زيارة"},
                     "sections": [{"key": "service", "title": {"en": "Service", "ar": "الخدمة"}, "items": items}]});
    sirr_checklist::from_value(&doc).into_result().unwrap().0
}

fn score_demo(checklists: &[Checklist], demo: &Demo) -> Report {
    let catalog = Catalog::new(checklists).unwrap();
    let mut builder = ReportBuilder::new(&catalog, ReportOptions::default());
    for (i, visit) in demo.visits.iter().enumerate() {
        let scored = score(&catalog, visit.clone(), i + 1).unwrap();
        builder.push(scored, i + 1).unwrap();
    }
    builder.finish()
}

struct Recovery {
    rmse_raw: f64,
    rmse_fair: f64,
    coverage: f64,
    branches: usize,
    severity_rmse: f64,
}

fn recovery(report: &Report, demo: &Demo) -> Recovery {
    let (mut se_raw, mut se_fair, mut covered, mut n) = (0.0, 0.0, 0usize, 0usize);
    for b in &report.branches {
        let truth = demo.truth.branches[&b.key];
        let (Some(raw), Some(fair), Some([lo, hi])) = (b.raw_score, b.fair_score, b.fair_ci) else {
            continue;
        };
        se_raw += (raw - truth).powi(2);
        se_fair += (fair - truth).powi(2);
        covered += usize::from(lo <= truth && truth <= hi);
        n += 1;
    }
    let (mut se_sev, mut m) = (0.0, 0usize);
    for s in &report.shoppers {
        if let Some(sev) = s.severity {
            se_sev += (sev - demo.truth.shoppers[&s.key]).powi(2);
            m += 1;
        }
    }
    Recovery {
        rmse_raw: (se_raw / n as f64).sqrt(),
        rmse_fair: (se_fair / n as f64).sqrt(),
        coverage: covered as f64 / n as f64,
        branches: n,
        severity_rmse: (se_sev / m.max(1) as f64).sqrt(),
    }
}

fn options(seed: u64) -> DemoOptions {
    DemoOptions {
        seed,
        regions: 10,
        branches: 1200,
        shoppers: 120,
        visits_per_branch: (3, 14),
        ..DemoOptions::default()
    }
}

#[test]
fn fair_scores_beat_raw_means_and_intervals_cover_the_truth() {
    let checklists = vec![additive_checklist()];
    let demo = generate(&checklists, &options(2026)).unwrap();
    let report = score_demo(&checklists, &demo);
    assert!(report.model.converged, "{:?}", report.model.notes);
    let r = recovery(&report, &demo);
    eprintln!(
        "additive checklist, {} branches: RMSE raw {:.4}, fair {:.4} (ratio {:.2}); 90% coverage {:.3}; severity RMSE {:.4}",
        r.branches,
        r.rmse_raw,
        r.rmse_fair,
        r.rmse_fair / r.rmse_raw,
        r.coverage,
        r.severity_rmse
    );
    assert!(r.branches >= 1000);
    assert!(
        r.rmse_fair < 0.8 * r.rmse_raw,
        "fair {} vs raw {}",
        r.rmse_fair,
        r.rmse_raw
    );
    assert!(
        (0.85..=0.95).contains(&r.coverage),
        "coverage {}",
        r.coverage
    );
    assert!(r.severity_rmse < 0.03, "severity RMSE {}", r.severity_rmse);
}

#[test]
fn fair_scores_beat_raw_means_on_a_realistic_checklist() {
    // The bank example has critical items and conditional questions, so the expected score is
    // only approximately additive; fair scores must still be clearly closer to the truth.
    let checklists = vec![example("bank-branch-visit")];
    let demo = generate(&checklists, &options(7)).unwrap();
    let report = score_demo(&checklists, &demo);
    let r = recovery(&report, &demo);
    eprintln!(
        "bank example, {} branches: RMSE raw {:.4}, fair {:.4} (ratio {:.2}); 90% coverage {:.3}; severity RMSE {:.4}",
        r.branches,
        r.rmse_raw,
        r.rmse_fair,
        r.rmse_fair / r.rmse_raw,
        r.coverage,
        r.severity_rmse
    );
    assert!(
        r.rmse_fair < 0.85 * r.rmse_raw,
        "fair {} vs raw {}",
        r.rmse_fair,
        r.rmse_raw
    );
    assert!(r.coverage >= 0.8, "coverage {}", r.coverage);
}
