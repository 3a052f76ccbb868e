//! Hostile visit lines (issue 16): whatever a line of the JSON Lines input holds — random text,
//! random JSON, a real line with random damage — parsing and scoring it never panics and takes
//! time bounded by its size; it is scored or refused with its problems.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::Value;
use sirr_checklist::Checklist;
use sirr_demo::{DemoOptions, generate};
use sirr_scoring::catalog::{Catalog, score_line};

const BOUND: Duration = Duration::from_secs(5);

/// The bank example checklist and a few real lines made from it.
fn fixtures() -> &'static (Vec<Checklist>, Vec<String>) {
    static F: OnceLock<(Vec<Checklist>, Vec<String>)> = OnceLock::new();
    F.get_or_init(|| {
        let path = format!(
            "{}/../../examples/checklists/bank-branch-visit.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let checklist = sirr_checklist::from_json_str(&std::fs::read_to_string(path).unwrap())
            .unwrap()
            .0;
        let checklists = vec![checklist];
        let options = DemoOptions {
            seed: 16,
            branches: 4,
            shoppers: 3,
            ..DemoOptions::default()
        };
        let demo = generate(&checklists, &options).unwrap();
        let lines = demo
            .visits
            .iter()
            .take(8)
            .map(|v| v.to_json().to_string())
            .collect();
        (checklists, lines)
    })
}

fn check(text: &str) {
    let (checklists, _) = fixtures();
    let catalog = Catalog::new(checklists).unwrap();
    let started = Instant::now();
    let _ = score_line(&catalog, text, 1);
    assert!(started.elapsed() < BOUND, "{:?}", started.elapsed());
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        Just(Value::String("na".into())),
        Just(Value::String("yes".into())),
        Just(Value::String("2026-10-03T14:12:00+03:00".into())),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_text_as_a_line_never_panics(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn any_json_as_a_line_never_panics(value in json_value()) {
        check(&value.to_string());
    }

    #[test]
    fn a_real_line_with_one_field_replaced_never_panics(
        line in any::<prop::sample::Index>(),
        field in any::<prop::sample::Index>(),
        with in json_value(),
    ) {
        let (_, lines) = fixtures();
        let mut visit: serde_json::Map<String, Value> =
            serde_json::from_str(line.get::<String>(lines)).unwrap();
        let keys: Vec<String> = visit.keys().cloned().collect();
        let key = field.get(&keys).clone();
        // Replace the field itself, or one answer in it.
        match visit.get_mut(&key) {
            Some(Value::Object(inner)) if !inner.is_empty() => {
                let k = inner.keys().next().unwrap().clone();
                inner.insert(k, with);
            }
            _ => {
                visit.insert(key, with);
            }
        }
        check(&Value::Object(visit).to_string());
    }

    #[test]
    fn a_real_line_with_damaged_bytes_never_panics(
        line in any::<prop::sample::Index>(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), "\\PC{0,3}"), 1..5),
    ) {
        let (_, lines) = fixtures();
        let mut text = line.get::<String>(lines).clone();
        for (at, with) in cuts {
            let mut at = at.index(text.len().max(1));
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, &with);
        }
        check(&text);
    }
}

#[test]
fn real_lines_score() {
    let (checklists, lines) = fixtures();
    let catalog = Catalog::new(checklists).unwrap();
    for (i, line) in lines.iter().enumerate() {
        score_line(&catalog, line, i + 1).unwrap();
    }
}
