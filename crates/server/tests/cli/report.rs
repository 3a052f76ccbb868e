//! `sirr report`: the offline PDF coaching report from `sirr score` output, checklists and
//! visits, checked with poppler's `pdftotext` and `pdfinfo` when they are installed (under
//! `CI=true` they must be).

use std::path::PathBuf;
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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const CHECKLISTS: [&str; 3] = [
    "examples/checklists/bank-branch-visit.json",
    "examples/checklists/retail-store-visit.json",
    "examples/checklists/government-service-centre-visit.json",
];

#[test]
fn renders_an_arabic_branch_report_offline() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let o = sirr(&[
        "demo-data",
        "--branches",
        "8",
        "--regions",
        "2",
        "--shoppers",
        "6",
        "--months",
        "3",
        "--seed",
        "7",
        "--out",
        &path("visits.jsonl"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut score = vec!["score"];
    for c in CHECKLISTS {
        score.extend(["--checklist", c]);
    }
    let (visits, scores) = (path("visits.jsonl"), path("scores.json"));
    score.extend(["--visits", &visits, "--out", &scores]);
    let o = sirr(&score);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&scores).unwrap()).unwrap();
    let branch = report["branches"][0]["key"].as_str().unwrap().to_owned();
    let last = report["periods"].as_array().unwrap().last().unwrap()["period"]
        .as_str()
        .unwrap()
        .to_owned();

    let out = path("report.pdf");
    let mut args = vec!["report", "--scores", &scores, "--visits", &visits];
    for c in CHECKLISTS {
        args.extend(["--checklist", c]);
    }
    args.extend([
        "--branch", &branch, "--period", &last, "--lang", "ar", "--out", &out,
    ]);
    let o = sirr(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() < 250 * 1024, "{} bytes", bytes.len());

    // An unknown branch is refused, naming it.
    let mut bad = args.clone();
    let at = bad.iter().position(|a| *a == branch.as_str()).unwrap();
    bad[at] = "NOPE-1";
    let o = sirr(&bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("NOPE-1"), "{}", stderr(&o));

    if Command::new("pdftotext").arg("-v").output().is_err() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "poppler-utils is required under CI"
        );
        eprintln!("notice: poppler-utils is not installed; the PDF text checks are skipped");
        return;
    }
    let text = Command::new("pdftotext")
        .args([&out, "-"])
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    for phrase in [
        "تقرير التوجيه",
        "الدرجة العادلة",
        "خطة العمل",
        branch.as_str(),
        last.as_str(),
    ] {
        assert!(text.contains(phrase), "{phrase:?} not in:\n{text}");
    }
    let info = Command::new("pdfinfo").arg(&out).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(info.contains("(A4)"), "{info}");
}
