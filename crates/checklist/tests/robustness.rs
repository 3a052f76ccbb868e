//! Hostile input (issue 16): the condition language, checklist JSON and YAML and XLSForm
//! workbooks never panic, whatever the bytes, and take time bounded by their size. Random text,
//! random JSON trees, and real documents with random damage.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::Value;
use sirr_checklist::condition::{MAX_NESTING, MAX_OPERATORS, parse};

use crate::support::{fixture, repo, spec_value};

/// Generous: every case here takes milliseconds; only super-linear work gets near it.
const BOUND: Duration = Duration::from_secs(5);

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    assert!(took < BOUND, "{what} took {took:?}");
    out
}

/// Condition text from the language's own tokens, so that the parser goes deep, not just
/// refuses the first character.
fn condition_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just(" and ".to_owned()),
        Just(" or ".to_owned()),
        Just("not ".to_owned()),
        Just(" == ".to_owned()),
        Just(" != ".to_owned()),
        Just(" <= ".to_owned()),
        Just(" in [".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just("answered(".to_owned()),
        Just("selected(".to_owned()),
        Just("'".to_owned()),
        "[a-z_]{1,6}",
        "-?[0-9]{1,4}(\\.[0-9]{1,3})?",
        "'[^']{0,8}'",
        "\\PC{0,3}",
    ];
    prop::collection::vec(token, 0..80).prop_map(|t| t.concat())
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        "[a-z][a-z0-9_-]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-z_]{1,10}",
                    Just("key".to_owned()),
                    Just("type".to_owned()),
                    Just("items".to_owned()),
                    Just("sections".to_owned()),
                    Just("show_if".to_owned()),
                    Just("options".to_owned()),
                    Just("bands".to_owned()),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer-ish location of a document, to damage one.
fn locations(value: &Value, here: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(here.clone());
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                let mut next = here.clone();
                next.push(k.clone());
                locations(v, next, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let mut next = here.clone();
                next.push(i.to_string());
                locations(v, next, out);
            }
        }
        _ => {}
    }
}

fn replace_at(doc: &mut Value, at: &[String], with: Value) {
    let mut node = doc;
    for step in at {
        node = match node {
            Value::Object(m) => m.get_mut(step).unwrap(),
            Value::Array(items) => &mut items[step.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *node = with;
}

fn xlsx_files() -> Vec<Vec<u8>> {
    let mut files =
        vec![std::fs::read(repo().join("examples/checklists/retail-store-visit.xlsx")).unwrap()];
    let shared = repo().join("../shared/fixtures/xlsform-pyxform");
    if let Ok(dir) = std::fs::read_dir(shared) {
        let mut paths: Vec<_> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .collect();
        paths.sort();
        files.extend(
            paths
                .into_iter()
                .take(8)
                .filter_map(|p| std::fs::read(p).ok()),
        );
    }
    files
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn conditions_made_of_tokens_never_panic(text in condition_text()) {
        timed(&text, || { let _ = parse(&text); });
    }

    #[test]
    fn conditions_of_any_text_never_panic(text in "\\PC{0,400}") {
        timed(&text, || { let _ = parse(&text); });
    }

    #[test]
    fn checklist_json_of_any_shape_never_panics(doc in json_value()) {
        timed("from_value", || { let _ = sirr_checklist::from_value(&doc); });
        let text = doc.to_string();
        timed("from_json_str", || { let _ = sirr_checklist::from_json_str(&text); });
    }

    #[test]
    fn a_damaged_real_checklist_never_panics(pick in any::<prop::sample::Index>(), with in json_value()) {
        let mut doc = spec_value();
        let mut all = Vec::new();
        locations(&doc, Vec::new(), &mut all);
        let at = pick.get(&all).clone();
        replace_at(&mut doc, &at, with);
        timed("from_value", || { let _ = sirr_checklist::from_value(&doc); });
    }

    #[test]
    fn yaml_of_any_text_never_panics(text in "\\PC{0,300}") {
        timed("from_yaml_str", || { let _ = sirr_checklist::from_yaml_str(&text); });
    }

    #[test]
    fn damaged_yaml_never_panics(cuts in prop::collection::vec((any::<prop::sample::Index>(), "\\PC{0,4}"), 1..6)) {
        let mut text = std::fs::read_to_string(fixture("checklists/spec-example.yaml")).unwrap();
        for (at, with) in cuts {
            let mut at = at.index(text.len().max(1));
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, &with);
        }
        timed("from_yaml_str", || { let _ = sirr_checklist::from_yaml_str(&text); });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn xlsform_of_random_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        timed("import", || { let _ = sirr_checklist::xlsform::import(&bytes, "fuzz"); });
    }

    #[test]
    fn damaged_real_xlsx_never_panics(
        file in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let files = xlsx_files();
        let mut bytes = file.get(&files).clone();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        timed("import", || { let _ = sirr_checklist::xlsform::import(&bytes, "fuzz"); });
    }
}

#[test]
fn nesting_and_chains_are_bounded_not_stack_overflows() {
    // Far deeper than allowed: refused with a column, quickly, on the test thread's stack.
    for text in [
        format!("{}a == 1{}", "(".repeat(100_000), ")".repeat(100_000)),
        format!("{}a == 1", "not ".repeat(100_000)),
        vec!["a == 1"; 50_000].join(" and "),
        vec!["a == 1"; 50_000].join(" or "),
    ] {
        let e = timed("deep", || parse(&text)).unwrap_err();
        assert!(e.message.contains("more than"), "{e}");
    }
    // At the limits: accepted, printed and parsed back.
    let deep = format!(
        "{}a == 1{}",
        "(".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING)
    );
    assert_eq!(parse(&deep).unwrap().to_string(), "a == 1");
    let chain = vec!["a == 1"; MAX_OPERATORS + 1].join(" and ");
    assert_eq!(parse(&chain).unwrap().to_string(), chain);
}

#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    let mut text = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (n, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        text.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    timed("bomb", || {
        let _ = sirr_checklist::from_yaml_str(&text);
    });
}
