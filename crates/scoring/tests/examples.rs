//! The SPEC §4 report for each example checklist on generated data: every section present and
//! sane, and the same report whatever the order of the visits.

use serde_json::Value;
use sirr_checklist::Checklist;
use sirr_demo::{DemoOptions, generate};
use sirr_scoring::catalog::{Catalog, score};
use sirr_scoring::report::{Report, ReportBuilder, ReportOptions};
use sirr_scoring::visit::Visit;

fn example(name: &str) -> Checklist {
    let path = format!(
        "{}/../../examples/checklists/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    sirr_checklist::from_json_str(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .0
}

fn report(checklists: &[Checklist], visits: &[Visit]) -> Report {
    let catalog = Catalog::new(checklists).unwrap();
    let mut builder = ReportBuilder::new(&catalog, ReportOptions::default());
    for (i, visit) in visits.iter().enumerate() {
        let scored = score(&catalog, visit.clone(), i + 1).unwrap();
        builder.push(scored, i + 1).unwrap();
    }
    builder.finish()
}

fn in_unit(v: &Value) -> bool {
    v.as_f64().is_some_and(|x| (0.0..=1.0).contains(&x))
}

fn interval_ok(ci: &Value, point: &Value) -> bool {
    match (ci.as_array(), point.as_f64()) {
        (Some(ci), Some(p)) => {
            let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
            lo <= p && p <= hi
        }
        _ => ci.is_null(),
    }
}

fn sorted_by_key(array: &Value) -> bool {
    let keys: Vec<&str> = array
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    keys.windows(2).all(|w| w[0] <= w[1])
}

#[test]
fn every_example_checklist_gives_a_complete_report() {
    for name in [
        "bank-branch-visit",
        "retail-store-visit",
        "government-service-centre-visit",
    ] {
        let checklists = vec![example(name)];
        let options = DemoOptions {
            seed: 11,
            branches: 40,
            shoppers: 16,
            calibration_share: 0.08,
            ..DemoOptions::default()
        };
        let demo = generate(&checklists, &options).unwrap();
        let r = report(&checklists, &demo.visits);
        let j = serde_json::to_value(&r).unwrap();
        assert!(!j.to_string().contains("NaN"), "{name}");
        assert_eq!(
            j["visits"].as_array().unwrap().len(),
            demo.visits.len(),
            "{name}"
        );
        for (v, input) in j["visits"].as_array().unwrap().iter().zip(&demo.visits) {
            assert_eq!(v["id"], input.id.as_str(), "visits keep input order");
            assert_eq!(
                v["sections"].as_object().unwrap().len(),
                checklists[0].sections.len()
            );
        }
        let branches = j["branches"].as_array().unwrap();
        assert_eq!(branches.len(), 40, "{name}");
        let mut ranks: Vec<u64> = branches
            .iter()
            .map(|b| b["rank"].as_u64().unwrap())
            .collect();
        ranks.sort_unstable();
        assert_eq!(ranks, (1..=40).collect::<Vec<u64>>(), "{name}");
        for b in branches {
            assert!(in_unit(&b["raw_score"]) && in_unit(&b["fair_score"]), "{b}");
            assert!(interval_ok(&b["raw_ci"], &b["raw_score"]), "{b}");
            assert!(interval_ok(&b["fair_ci"], &b["fair_score"]), "{b}");
        }
        for key in ["branches", "teams", "shoppers", "items", "regions"] {
            assert!(sorted_by_key(&j[key]), "{name}: {key} sorted by key");
            assert!(!j[key].as_array().unwrap().is_empty(), "{name}: {key}");
        }
        for s in j["shoppers"].as_array().unwrap() {
            assert!(interval_ok(&s["severity_ci"], &s["severity"]), "{s}");
            assert!(
                matches!(s["flag"].as_str(), None | Some("harsh" | "lenient")),
                "{s}"
            );
        }
        for item in j["items"].as_array().unwrap() {
            assert_eq!(item["checklist"], name);
            assert!(item["pass_rate"].is_null() || in_unit(&item["pass_rate"]));
        }
        let agreement = &j["agreement"];
        assert!(agreement["encounters"].as_u64().unwrap() > 0, "{name}");
        assert!(!agreement["items"].as_array().unwrap().is_empty());
        assert!(j["periods"].as_array().unwrap().len() >= 6, "{name}");
        assert_eq!(j["model"]["converged"], true, "{name}: {}", j["model"]);
        // One score model: what `sirr score` writes reads back as the same report, exactly.
        let text = serde_json::to_string(&r).unwrap();
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r, "{name}: the report reads back unchanged");
        assert_eq!(serde_json::to_string(&back).unwrap(), text, "{name}");
    }
}

#[test]
fn permuting_visits_changes_nothing_but_their_order() {
    let checklists = vec![example("bank-branch-visit")];
    let options = DemoOptions {
        seed: 5,
        branches: 30,
        shoppers: 12,
        ..DemoOptions::default()
    };
    let demo = generate(&checklists, &options).unwrap();
    let forward = report(&checklists, &demo.visits);
    // A fixed shuffle: reverse, then interleave halves.
    let mut visits = demo.visits.clone();
    visits.reverse();
    let (a, b) = visits.split_at(visits.len() / 2);
    let shuffled: Vec<Visit> = b
        .iter()
        .zip(a)
        .flat_map(|(x, y)| [x.clone(), y.clone()])
        .chain(b.iter().skip(a.len()).cloned())
        .collect();
    assert_eq!(shuffled.len(), demo.visits.len());
    let other = report(&checklists, &shuffled);
    let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9,
        (x, y) => x == y,
    };
    for (x, y) in forward.branches.iter().zip(&other.branches) {
        assert_eq!(x.key, y.key);
        assert_eq!(x.visits, y.visits);
        assert!(close(x.raw_score, y.raw_score), "{} raw", x.key);
        assert!(
            close(x.fair_score, y.fair_score),
            "{} fair {:?} {:?}",
            x.key,
            x.fair_score,
            y.fair_score
        );
        assert_eq!(x.rank, y.rank, "{}", x.key);
    }
    for (x, y) in forward.shoppers.iter().zip(&other.shoppers) {
        assert!(close(x.severity, y.severity), "{}", x.key);
    }
    for (x, y) in forward.items.iter().zip(&other.items) {
        assert_eq!(
            (&x.key, x.answers, x.pass_rate),
            (&y.key, y.answers, y.pass_rate)
        );
        assert_eq!(
            (x.failing_branches, x.systemic),
            (y.failing_branches, y.systemic)
        );
        assert!(close(x.mean_score, y.mean_score));
    }
    assert!(close(
        forward.agreement.as_ref().and_then(|a| a.alpha),
        other.agreement.as_ref().and_then(|a| a.alpha)
    ));
}
