//! The SPEC §4 report on small hand-made inputs: golden values, calibration, periods, problems.

use serde_json::{Value, json};
use sirr_checklist::Checklist;
use sirr_scoring::catalog::{Catalog, score_line};
use sirr_scoring::period::PeriodKind;
use sirr_scoring::report::{Report, ReportBuilder, ReportOptions};
use sirr_scoring::visit::VisitProblem;

fn spec_checklist() -> Checklist {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/checklists/spec-example.json"
    );
    sirr_checklist::from_json_str(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .0
}

const GOLDEN: &str = r#"{"id": "v-000123", "checklist": "bank-branch-visit", "checklist_version": 3,
 "branch": "RUH-017", "team": "tellers", "shopper": "S-0041", "scenario": "card-enquiry",
 "visited_at": "2026-10-03T14:12:00+03:00", "duration_s": 1260,
 "answers": {"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes", "offered_card": "asked", "card_benefits": 4},
 "comments": {"wait_minutes": "Two counters closed at noon"}}"#;

/// A visit line with the golden answers changed by `patch` (fields at the top level).
fn visit(patch: Value) -> String {
    let mut v: Value = serde_json::from_str(GOLDEN).unwrap();
    for (k, val) in patch.as_object().unwrap() {
        v[k] = val.clone();
    }
    v.to_string()
}

fn run(lines: &[String], options: ReportOptions) -> (Report, Vec<VisitProblem>) {
    let checklists = vec![spec_checklist()];
    let catalog = Catalog::new(&checklists).unwrap();
    let mut builder = ReportBuilder::new(&catalog, options);
    let mut problems = Vec::new();
    for (i, text) in lines.iter().enumerate() {
        let pushed = score_line(&catalog, text, i + 1).and_then(|s| builder.push(s, i + 1));
        if let Err(p) = pushed {
            problems.extend(p);
        }
    }
    (builder.finish(), problems)
}

fn json_of(report: &Report) -> Value {
    serde_json::to_value(report).unwrap()
}

#[test]
fn golden_visit_and_single_visit_aggregates() {
    let (report, problems) = run(&[GOLDEN.replace('\n', "")], ReportOptions::default());
    assert!(problems.is_empty());
    let j = json_of(&report);
    assert_eq!(
        j["visits"],
        json!([{"id": "v-000123", "score": 0.7916666666666666, "critical_failed": false,
                "sections": {"welcome": 0.7916666666666666}}])
    );
    let branch = &j["branches"][0];
    assert_eq!(branch["key"], "RUH-017");
    assert_eq!(branch["visits"], 1);
    assert_eq!(branch["raw_score"], 0.7916666666666666);
    assert_eq!(branch["raw_ci"], Value::Null, "fewer than 2 visits");
    assert_eq!(branch["rank"], 1);
    assert_eq!(j["teams"][0]["key"], "RUH-017/tellers");
    assert_eq!(j["agreement"], Value::Null, "no calibration data");
    assert_eq!(j["periods"][0]["period"], "2026-10");
    assert_eq!(j["shoppers"][0]["key"], "S-0041");
    assert_eq!(j["shoppers"][0]["flag"], Value::Null);
    // One visit: nothing to separate; the model says so and stays finite.
    assert!(
        !j["model"]["notes"].as_array().unwrap().is_empty(),
        "{}",
        j["model"]
    );
    assert!(!j.to_string().contains("NaN"));
    // Items carry checklist and key, sorted by key; the pass rate counts scores of exactly 1.
    let keys: Vec<&str> = j["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "card_benefits",
            "greeted_30s",
            "id_checked",
            "offered_card",
            "wait_minutes"
        ]
    );
    let greeted = &j["items"][1];
    assert_eq!(greeted["checklist"], "bank-branch-visit");
    assert_eq!(greeted["owner"], "training");
    assert_eq!(greeted["pass_rate"], 1.0);
    assert_eq!(
        j["items"][4]["pass_rate"], 0.0,
        "wait 7 min scores 0.5, not a pass"
    );
}

/// The fair interval of every branch, team and the organisation in `j`.
fn fair_intervals(j: &Value) -> Vec<(String, f64, f64)> {
    let mut out = Vec::new();
    for group in ["branches", "teams"] {
        for g in j[group].as_array().unwrap() {
            let ci = &g["fair_ci"];
            out.push((
                format!("{group} {}", g["key"]),
                ci[0].as_f64().unwrap(),
                ci[1].as_f64().unwrap(),
            ));
        }
    }
    out
}

#[test]
fn no_variation_in_the_data_gives_wide_intervals_not_certain_ones() {
    // One visit: nothing says how much visits vary, so the interval spans what a score can be.
    let (report, _) = run(&[GOLDEN.replace('\n', "")], ReportOptions::default());
    let j = json_of(&report);
    for (what, lo, hi) in fair_intervals(&j) {
        assert!(lo <= 0.05 && hi >= 0.95, "{what}: [{lo}, {hi}]");
    }
    let notes = j["model"]["notes"].to_string();
    assert!(notes.contains("only one scored visit"), "{notes}");

    // Twelve identical visits at three branches: intervals narrow with the visits but never
    // collapse to a point (the largest variance a score can have, 1/4, over 12 visits).
    let lines: Vec<String> = (0..12)
        .map(|i| {
            let branch = ["RUH-001", "RUH-002", "JED-001"][i % 3];
            let shopper = ["S-1", "S-2"][i % 2];
            visit(json!({"id": format!("v-{i}"), "branch": branch, "shopper": shopper}))
        })
        .collect();
    let (report, problems) = run(&lines, ReportOptions::default());
    assert!(problems.is_empty(), "{problems:?}");
    let j = json_of(&report);
    let half = 1.644_853_626_951_472 * 0.5 / 12f64.sqrt();
    let score = 0.791_666_666_666_666_6;
    for (what, lo, hi) in fair_intervals(&j) {
        assert!(
            (lo - (score - half)).abs() < 1e-9 && (hi - (score + half).min(1.0)).abs() < 1e-9,
            "{what}: [{lo}, {hi}], expected {score} ± {half}"
        );
    }
    for b in j["branches"].as_array().unwrap() {
        assert_eq!(b["fair_score"], b["raw_score"], "{b}");
    }
    let notes = j["model"]["notes"].to_string();
    assert!(notes.contains("all visit scores are equal"), "{notes}");
}

#[test]
fn all_na_visit_scores_null_and_is_left_out_of_aggregates() {
    let lines = vec![
        visit(json!({"id": "a", "answers": {"offered_card": "na"}})),
        visit(json!({"id": "b"})),
        visit(json!({"id": "c", "answers": {"greeted_30s": "no", "id_checked": "no"}})),
    ];
    let (report, problems) = run(&lines, ReportOptions::default());
    assert!(problems.is_empty(), "{problems:?}");
    let j = json_of(&report);
    assert_eq!(j["visits"][0]["score"], Value::Null);
    assert_eq!(j["visits"][0]["sections"]["welcome"], Value::Null);
    // Visit c fails a critical item: 0 under the zero rule; its section is reported before it.
    assert_eq!(j["visits"][2]["score"], 0.0);
    assert_eq!(j["visits"][2]["critical_failed"], true);
    assert_eq!(j["visits"][2]["sections"]["welcome"], 0.0);
    let branch = &j["branches"][0];
    assert_eq!(branch["visits"], 2);
    assert_eq!(branch["raw_score"], 0.7916666666666666 / 2.0);
    let ci = branch["raw_ci"].as_array().unwrap();
    assert_eq!(ci[0], 0.0, "clipped to [0, 1]");
    assert_eq!(ci[1], 1.0);
}

#[test]
fn calibration_encounter_counts_once_and_feeds_agreement() {
    let lines = vec![
        visit(json!({"id": "c1", "shopper": "S-1", "calibration": "cal-1"})),
        visit(json!({"id": "c2", "shopper": "S-2", "calibration": "cal-1",
                     "answers": {"greeted_30s": "no", "wait_minutes": 7, "id_checked": "yes", "offered_card": "asked", "card_benefits": 4}})),
        visit(json!({"id": "c3", "shopper": "S-1", "calibration": "cal-2", "branch": "JED-002"})),
        visit(json!({"id": "c4", "shopper": "S-2", "calibration": "cal-2", "branch": "JED-002"})),
        visit(json!({"id": "v5", "shopper": "S-3"})),
    ];
    let (report, problems) = run(&lines, ReportOptions::default());
    assert!(problems.is_empty(), "{problems:?}");
    let j = json_of(&report);
    let ruh = j["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == "RUH-017")
        .unwrap();
    assert_eq!(ruh["visits"], 2, "the encounter counts once, plus v5");
    let s1 = 0.7916666666666666;
    let s2 = (0.0 * 2.0 + 0.5 + 1.0 + 0.5 + 0.75) / 6.0;
    assert_eq!(ruh["raw_score"], ((s1 + s2) / 2.0 + s1) / 2.0);
    let agreement = &j["agreement"];
    assert_eq!(agreement["encounters"], 2);
    let greeted = agreement["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "greeted_30s")
        .unwrap();
    assert_eq!(greeted["metric"], "nominal");
    assert_eq!(greeted["encounters"], 2);
    let benefits = agreement["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "card_benefits")
        .unwrap();
    assert_eq!(benefits["metric"], "interval");
    assert_eq!(
        benefits["alpha"],
        Value::Null,
        "all raters gave 4: no variation"
    );
    assert_eq!(
        j["visits"].as_array().unwrap().len(),
        5,
        "every rating is a visit"
    );
}

#[test]
fn problems_across_lines_refuse_the_visit_whole() {
    let lines = vec![
        visit(json!({"id": "x", "region": "RUH"})),
        visit(json!({"id": "x", "region": "JED"})),
        visit(json!({"id": "y", "calibration": "cal-9"})),
        visit(json!({"id": "z", "calibration": "cal-9", "branch": "DMM-001"})),
        visit(json!({"id": "w", "calibration": "cal-9"})),
        visit(json!({"id": "u", "checklist": "nope"})),
        visit(json!({"id": "t", "checklist_version": 2})),
        visit(
            json!({"id": "s", "answers": {"greeted_30s": "yes", "id_checked": "yes", "offered_card": "no", "card_benefits": 4}}),
        ),
    ];
    let (report, problems) = run(&lines, ReportOptions::default());
    let found: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.key.as_str())).collect();
    assert_eq!(
        found,
        [
            (2, "id"),
            (2, "region"),
            (4, "calibration"),
            (5, "calibration"),
            (6, "checklist"),
            (7, "checklist_version"),
            (8, "answers/card_benefits"),
        ]
    );
    assert!(problems[1].problem.contains("line 1"), "{}", problems[1]);
    assert!(problems[6].problem.contains("hidden"), "{}", problems[6]);
    assert_eq!(report.visits.len(), 2, "only lines 1 and 3 were stored");
}

#[test]
fn periods_follow_the_local_date_and_the_chosen_length() {
    let lines = vec![
        // 23:30 local on 30 September is still September (and ISO week 40), whatever UTC says.
        visit(json!({"id": "a", "visited_at": "2026-09-30T23:30:00+03:00"})),
        visit(json!({"id": "b", "visited_at": "2026-10-01T00:10:00+03:00"})),
    ];
    let labels = |kind| {
        let options = ReportOptions {
            period: kind,
            ..ReportOptions::default()
        };
        let (report, problems) = run(&lines, options);
        assert!(problems.is_empty());
        report
            .periods
            .iter()
            .map(|p| p.period.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(PeriodKind::Month), ["2026-09", "2026-10"]);
    assert_eq!(labels(PeriodKind::Quarter), ["2026-Q3", "2026-Q4"]);
    assert_eq!(labels(PeriodKind::Week), ["2026-W40"]);
}

#[test]
fn breakdowns_give_section_and_item_results_per_group() {
    let lines = [
        visit(json!({"id": "a1", "branch": "A", "region": "R1", "team": "t1"})),
        visit(
            json!({"id": "a2", "branch": "A", "region": "R1", "team": "t1",
                     "answers": {"greeted_30s": "no", "wait_minutes": 3, "id_checked": "yes", "offered_card": "no"}}),
        ),
        visit(json!({"id": "b1", "branch": "B", "region": "R1",
                     "answers": {"greeted_30s": "no", "wait_minutes": 12, "id_checked": "yes", "offered_card": "na"}})),
    ];
    let checklists = vec![spec_checklist()];
    let catalog = Catalog::new(&checklists).unwrap();
    let mut builder = ReportBuilder::with_breakdowns(&catalog, ReportOptions::default());
    for (i, text) in lines.iter().enumerate() {
        builder
            .push(score_line(&catalog, text, i + 1).unwrap(), i + 1)
            .unwrap();
    }
    let (report, breakdowns) = builder.finish_with_breakdowns();
    let visit_sections: Vec<f64> = report
        .visits
        .iter()
        .map(|v| v.sections.scores[0].unwrap())
        .collect();

    let a = &breakdowns.branches[0];
    assert_eq!(a.key.as_deref(), Some("A"));
    assert_eq!(a.sections.len(), 1);
    assert_eq!(a.sections[0].key, "welcome");
    assert_eq!(a.sections[0].visits, 2);
    assert_eq!(
        a.sections[0].score,
        Some((visit_sections[0] + visit_sections[1]) / 2.0)
    );
    let item = |g: &sirr_scoring::report::GroupBreakdown, key: &str| {
        g.items.iter().find(|i| i.key == key).unwrap().clone()
    };
    let greeted = item(a, "greeted_30s");
    assert_eq!((greeted.answers, greeted.pass_rate), (2, Some(0.5)));
    assert!(!greeted.failing, "a mean of 0.5 is not below the line");
    let b = &breakdowns.branches[1];
    assert!(
        !item(b, "greeted_30s").failing,
        "one answer is not enough to judge"
    );
    assert_eq!(item(b, "offered_card").answers, 0);
    assert_eq!(item(b, "offered_card").pass_rate, None);

    let org = &breakdowns.organisation;
    assert_eq!(org.key, None);
    assert_eq!(item(org, "greeted_30s").answers, 3);
    assert_eq!(item(org, "greeted_30s").pass_rate, Some(1.0 / 3.0));
    assert_eq!(
        org.sections[0].score,
        Some(visit_sections.iter().sum::<f64>() / 3.0)
    );
    assert_eq!(breakdowns.regions[0].key.as_deref(), Some("R1"));
    assert_eq!(item(&breakdowns.regions[0], "greeted_30s").answers, 3);
    assert_eq!(breakdowns.teams.len(), 2);
    assert_eq!(breakdowns.teams[0].key.as_deref(), Some("A/t1"));
    assert_eq!(breakdowns.teams[1].key.as_deref(), Some("B/tellers"));
    assert_eq!(
        item(&breakdowns.teams[0], "wait_minutes").mean_score,
        Some(0.75)
    );
    // The report itself is what `finish` gives.
    assert_eq!(report.branches.len(), 2);
}

#[test]
fn items_forced_to_na_change_the_visit_and_everything_after_it() {
    use sirr_scoring::catalog::{ScoreOptions, score_with};
    use sirr_scoring::visit::parse_line;
    let checklists = vec![spec_checklist()];
    let catalog = Catalog::new(&checklists).unwrap();
    let line = visit(
        json!({"answers": {"greeted_30s": "no", "wait_minutes": 7, "id_checked": "yes", "offered_card": "asked", "card_benefits": 4}}),
    );
    let plain = score_with(
        &catalog,
        parse_line(&line, 1).unwrap(),
        1,
        ScoreOptions::default(),
    )
    .unwrap();
    assert_eq!(plain.score.score, Some(2.75 / 6.0));
    let na = vec!["greeted_30s".to_owned()];
    let overturned = score_with(
        &catalog,
        parse_line(&line, 1).unwrap(),
        1,
        ScoreOptions {
            na_items: &na,
            ..ScoreOptions::default()
        },
    )
    .unwrap();
    assert_eq!(overturned.score.score, Some(2.75 / 4.0));
    assert_eq!(overturned.score.items[0], None);
}
