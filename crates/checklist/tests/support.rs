//! Paths to the repository's test data.

use std::path::PathBuf;

use sirr_checklist::Checklist;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// The SPEC §3 example checklist.
pub fn spec_example() -> Checklist {
    let text = std::fs::read_to_string(fixture("checklists/spec-example.json")).unwrap();
    sirr_checklist::from_json_str(&text).unwrap().0
}

/// Loads `json` and returns `(path, severity, message)` of every problem; panics if it loads.
pub fn problems_of(json: &serde_json::Value) -> Vec<(String, String)> {
    let outcome = sirr_checklist::from_value(json);
    assert!(
        outcome.checklist.is_none(),
        "expected the document to be refused"
    );
    outcome
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| (p.path.clone(), p.problem.clone()))
        .collect()
}

/// The SPEC example as a JSON value, for tests that break one thing in it.
pub fn spec_value() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("checklists/spec-example.json")).unwrap())
        .unwrap()
}
