//! Property tests of visit scoring (SPEC §4, §9.11): order, weight scale, monotonicity, N/A.

use proptest::prelude::*;
use serde_json::{Value, json};
use sirr_checklist::{AnswerChecker, Checklist, Completeness};
use sirr_scoring::score::{VisitScore, score_visit};

/// One generated item: its type and the answer index it gets (0 = lowest).
#[derive(Debug, Clone)]
struct GenItem {
    kind: u8,
    weight: f64,
    critical: bool,
    answer: Option<u8>,
}

fn item_strategy() -> impl Strategy<Value = GenItem> {
    (
        0u8..4,
        prop::sample::select(vec![0.5, 1.0, 2.0, 3.0]),
        prop::bool::weighted(0.15),
        prop::option::weighted(0.85, 0u8..5),
    )
        .prop_map(|(kind, weight, critical, answer)| GenItem {
            kind,
            weight,
            critical,
            answer,
        })
}

fn sections_strategy() -> impl Strategy<Value = Vec<(f64, Vec<GenItem>)>> {
    prop::collection::vec(
        (
            prop::sample::select(vec![0.5, 1.0, 2.0]),
            prop::collection::vec(item_strategy(), 1..6),
        ),
        1..4,
    )
}

const CHOICES: [(&str, f64); 3] = [("none", 0.0), ("some", 0.5), ("all", 1.0)];
const BAND_VALUES: [f64; 3] = [3.0, 8.0, 30.0];

fn item_json(key: &str, item: &GenItem, weight_factor: f64) -> Value {
    let mut v = match item.kind {
        0 => json!({"type": "yes_no"}),
        1 => json!({"type": "scale", "min": 1, "max": 5}),
        2 => {
            json!({"type": "choice", "options": CHOICES.iter().map(|(k, s)| json!({"key": k, "score": s})).collect::<Vec<_>>()})
        }
        _ => {
            json!({"type": "number", "bands": [{"max": 5, "score": 1}, {"max": 10, "score": 0.5}, {"score": 0}]})
        }
    };
    let obj = v.as_object_mut().unwrap();
    obj.insert("key".into(), json!(key));
    obj.insert("text".into(), json!({"en": key, "ar": "بند"}));
    obj.insert("weight".into(), json!(item.weight * weight_factor));
    obj.insert("na_allowed".into(), json!(true));
    if item.critical && item.kind == 0 {
        obj.insert("critical".into(), json!(true));
    }
    v
}

/// The answer for index `a` (higher index = better answer).
fn answer_json(item: &GenItem, a: u8) -> Value {
    match item.kind {
        0 => json!(if a >= 2 { "yes" } else { "no" }),
        1 => json!(1 + i64::from(a.min(4))),
        2 => json!(CHOICES[usize::from(a.min(2))].0),
        // Higher index = fewer minutes = better band.
        _ => json!(BAND_VALUES[2 - usize::from(a.min(2))]),
    }
}

fn build(
    sections: &[(f64, Vec<GenItem>)],
    weight_factor: f64,
    order: Option<&[usize]>,
) -> (Checklist, serde_json::Map<String, Value>) {
    let mut answers = serde_json::Map::new();
    let mut section_docs: Vec<Value> = sections
        .iter()
        .enumerate()
        .map(|(s, (weight, items))| {
            let mut docs: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let key = format!("s{s}_i{i}");
                    if let Some(a) = item.answer {
                        answers.insert(key.clone(), answer_json(item, a));
                    }
                    item_json(&key, item, weight_factor)
                })
                .collect();
            if let Some(order) = order {
                let shift = order[s] % docs.len();
                docs.rotate_left(shift);
                docs.reverse();
            }
            json!({"key": format!("s{s}"), "title": {"en": "Section", "ar": "قسم"},
                   "weight": weight * weight_factor, "items": docs})
        })
        .collect();
    if order.is_some() {
        section_docs.reverse();
    }
    let doc = json!({"key": "prop", "version": 1, "languages": ["en", "ar"],
                     "title": {"en": "Property", "ar": "خاصية"}, "sections": section_docs});
    let (checklist, problems) = sirr_checklist::from_value(&doc).into_result().unwrap();
    assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");
    (checklist, answers)
}

fn score(checklist: &Checklist, answers: &serde_json::Map<String, Value>) -> VisitScore {
    let checked = AnswerChecker::new(checklist)
        .check(answers, None, Completeness::Draft)
        .unwrap();
    score_visit(checklist, &checked)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12,
        (None, None) => true,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn item_and_section_order_changes_nothing(sections in sections_strategy(), seed in prop::collection::vec(0usize..7, 3)) {
        let (a, answers) = build(&sections, 1.0, None);
        let (b, _) = build(&sections, 1.0, Some(&seed));
        let (sa, sb) = (score(&a, &answers), score(&b, &answers));
        prop_assert!(close(sa.score, sb.score), "{:?} vs {:?}", sa.score, sb.score);
        prop_assert_eq!(sa.critical_failed, sb.critical_failed);
    }

    #[test]
    fn scaling_every_weight_changes_nothing(sections in sections_strategy(), factor in prop::sample::select(vec![0.001, 0.3, 7.0, 1000.0])) {
        let (a, answers) = build(&sections, 1.0, None);
        let (b, _) = build(&sections, factor, None);
        let (sa, sb) = (score(&a, &answers), score(&b, &answers));
        prop_assert!(close(sa.score, sb.score), "{:?} vs {:?}", sa.score, sb.score);
        for (x, y) in sa.sections.iter().zip(&sb.sections) {
            prop_assert!(close(*x, *y));
        }
    }

    #[test]
    fn raising_one_answer_never_lowers_the_score(sections in sections_strategy(), pick in 0usize..100) {
        let (c, answers) = build(&sections, 1.0, None);
        let flat: Vec<(usize, usize)> = sections.iter().enumerate()
            .flat_map(|(s, (_, items))| (0..items.len()).map(move |i| (s, i))).collect();
        let (s, i) = flat[pick % flat.len()];
        let item = &sections[s].1[i];
        let Some(a) = item.answer else { return Ok(()) };
        let mut raised = answers.clone();
        raised.insert(format!("s{s}_i{i}"), answer_json(item, a.saturating_add(1).min(4)));
        let (before, after) = (score(&c, &answers).score, score(&c, &raised).score);
        if let (Some(before), Some(after)) = (before, after) {
            prop_assert!(after >= before - 1e-12, "{before} -> {after}");
        }
        prop_assert!(before.is_some() == after.is_some());
    }

    #[test]
    fn na_items_do_not_move_the_score(sections in sections_strategy(), pick in 0usize..100) {
        // An item answered "na" scores the same as a checklist without that item.
        let (c, mut answers) = build(&sections, 1.0, None);
        let flat: Vec<(usize, usize)> = sections.iter().enumerate()
            .flat_map(|(s, (_, items))| (0..items.len()).map(move |i| (s, i))).collect();
        let (s, i) = flat[pick % flat.len()];
        answers.insert(format!("s{s}_i{i}"), json!("na"));
        let with_na = score(&c, &answers);

        let mut without = sections.clone();
        without[s].1.remove(i);
        let mut answers_without = serde_json::Map::new();
        for (key, value) in &answers {
            // Keys after the removed item shift down by one.
            let (ks, ki) = parse_key(key);
            if (ks, ki) == (s, i) { continue; }
            let ki = if ks == s && ki > i { ki - 1 } else { ki };
            answers_without.insert(format!("s{ks}_i{ki}"), value.clone());
        }
        if without[s].1.is_empty() {
            // The section is all N/A now, which is what an empty section would be.
            without[s].1.push(GenItem { kind: 0, weight: 1.0, critical: false, answer: None });
        }
        let (c2, _) = build(&without, 1.0, None);
        let reference = score(&c2, &answers_without);
        prop_assert!(close(with_na.score, reference.score), "{:?} vs {:?}", with_na.score, reference.score);
    }
}

fn parse_key(key: &str) -> (usize, usize) {
    let (s, i) = key.trim_start_matches('s').split_once("_i").unwrap();
    (s.parse().unwrap(), i.parse().unwrap())
}
