//! `sirr score` and `sirr demo-data`, run as real processes on files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sirr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sirr"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const SPEC_CHECKLIST: &str = "tests/fixtures/checklists/spec-example.json";

const GOLDEN: &str = r#"{"id": "v-000123", "checklist": "bank-branch-visit", "checklist_version": 3, "branch": "RUH-017", "team": "tellers", "shopper": "S-0041", "scenario": "card-enquiry", "visited_at": "2026-10-03T14:12:00+03:00", "duration_s": 1260, "answers": {"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes", "offered_card": "asked", "card_benefits": 4}, "comments": {"wait_minutes": "Two counters closed at noon"}}"#;

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn scores_the_golden_visit_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let visits = write(dir.path(), "visits.jsonl", &format!("{GOLDEN}\n"));
    let out_path = dir.path().join("report.json");
    let out = sirr(&[
        "score",
        "--checklist",
        SPEC_CHECKLIST,
        "--visits",
        &visits,
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert_eq!(report["visits"][0]["score"], 0.7916666666666666);
    assert_eq!(
        report["visits"][0]["sections"]["welcome"],
        0.7916666666666666
    );
    for key in [
        "visits",
        "branches",
        "teams",
        "shoppers",
        "items",
        "agreement",
        "periods",
        "model",
    ] {
        assert!(report.get(key).is_some(), "missing {key}");
    }
    assert!(!dir.path().join("report.partial").exists());
}

#[test]
fn every_bad_line_is_reported_and_nothing_is_scored() {
    let dir = tempfile::tempdir().unwrap();
    let bad_answer = GOLDEN.replace(r#""wait_minutes": 7"#, r#""wait_minutes": "seven""#);
    let unknown = GOLDEN
        .replace("bank-branch-visit", "no-such-checklist")
        .replace("v-000123", "v-2");
    let content = format!(
        "{GOLDEN}\nnot json\n{bad_answer}\n\n{unknown}\n{}\n",
        GOLDEN.replace("v-000123", "v-3")
    );
    let visits = write(dir.path(), "visits.jsonl", &content);
    let out_path = dir.path().join("report.json");
    let out = sirr(&[
        "score",
        "--checklist",
        SPEC_CHECKLIST,
        "--visits",
        &visits,
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("visits.jsonl:2: not valid JSON"), "{err}");
    // Line 3 has a bad answer: the line and the answer key are named.
    assert!(
        err.contains("visits.jsonl:3: answers/wait_minutes:"),
        "{err}"
    );
    assert!(
        err.contains("visits.jsonl:5: checklist: unknown checklist"),
        "{err}"
    );
    assert!(err.contains("3 of 6 lines are invalid"), "{err}");
    assert!(
        !out_path.exists(),
        "nothing is written when lines are invalid"
    );

    let out = sirr(&[
        "score",
        "--checklist",
        SPEC_CHECKLIST,
        "--visits",
        &visits,
        "--out",
        out_path.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("visits.jsonl:5:"));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert_eq!(report["visits"].as_array().unwrap().len(), 2);
    let rejected: Vec<u64> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(rejected, [2, 3, 5]);
}

#[test]
fn unreadable_files_and_invalid_checklists_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let visits = write(dir.path(), "visits.jsonl", GOLDEN);
    let out = sirr(&[
        "score",
        "--checklist",
        SPEC_CHECKLIST,
        "--visits",
        "/no/such/file.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/no/such/file.jsonl"));
    let broken = write(dir.path(), "broken.json", r#"{"key": "x", "version": 0}"#);
    let out = sirr(&["score", "--checklist", &broken, "--visits", &visits]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("/version"),
        "{}",
        text(&out.stderr)
    );
    let out = sirr(&[
        "score",
        "--checklist",
        SPEC_CHECKLIST,
        "--checklist",
        SPEC_CHECKLIST,
        "--visits",
        &visits,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("given twice"));
}

#[test]
fn demo_data_is_deterministic_and_scores_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let generate = |out: &str, truth: &str, seed: &str| {
        let o = sirr(&[
            "demo-data",
            "--branches",
            "12",
            "--shoppers",
            "6",
            "--seed",
            seed,
            "--out",
            out,
            "--truth",
            truth,
            "--organisation",
            &path("org.json"),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    };
    generate(&path("a.jsonl"), &path("a.json"), "3");
    generate(&path("b.jsonl"), &path("b.json"), "3");
    generate(&path("c.jsonl"), &path("c.json"), "4");
    let read = |name: &str| std::fs::read(path(name)).unwrap();
    assert_eq!(read("a.jsonl"), read("b.jsonl"));
    assert_eq!(read("a.json"), read("b.json"));
    assert_ne!(read("a.jsonl"), read("c.jsonl"));

    let truth: Value = serde_json::from_slice(&read("a.json")).unwrap();
    assert_eq!(truth["branches"].as_object().unwrap().len(), 12);
    let org: Value = serde_json::from_slice(&read("org.json")).unwrap();
    assert!(
        org["regions"][0]["name_ar"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('\u{600}'..='\u{6ff}').contains(&c))
    );

    let out = sirr(&[
        "score",
        "--checklist",
        "examples/checklists/bank-branch-visit.json",
        "--checklist",
        "examples/checklists/retail-store-visit.json",
        "--checklist",
        "examples/checklists/government-service-centre-visit.json",
        "--visits",
        &path("a.jsonl"),
        "--period",
        "quarter",
        "--out",
        &path("report.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&read("report.json")).unwrap();
    assert_eq!(report["branches"].as_array().unwrap().len(), 12);
    assert!(
        report["periods"][0]["period"]
            .as_str()
            .unwrap()
            .contains("-Q")
    );

    let out = sirr(&["demo-data", "--branches", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--branches"),
        "{}",
        text(&out.stderr)
    );
}
