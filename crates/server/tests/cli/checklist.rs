//! `sirr checklist validate`, `import-xlsform` and `export-xlsform`.

use std::path::PathBuf;
use std::process::{Command, Output};

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

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn help_explains_every_command() {
    let out = sirr(&["--help"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("checklist"));
    let out = sirr(&["checklist", "--help"]);
    let text = stdout(&out);
    for cmd in ["validate", "import-xlsform", "export-xlsform", "canonical"] {
        assert!(text.contains(cmd), "{text}");
    }
    let out = sirr(&["checklist", "validate", "--help"]);
    assert!(stdout(&out).contains("Exit status"));
}

#[test]
fn valid_files_exit_0_and_invalid_ones_exit_1_with_every_problem() {
    let out = sirr(&[
        "checklist",
        "validate",
        "tests/fixtures/checklists/spec-example.json",
        "tests/fixtures/checklists/spec-example.yaml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("spec-example.yaml: valid (0 warnings)"));

    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    let mut doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/checklists/spec-example.json"))
            .unwrap(),
    )
    .unwrap();
    doc["sections"][0]["items"][4]["show_if"] = serde_json::json!("offered_card == 'maybe'");
    doc["sections"][0]["items"][1]["key"] = serde_json::json!("greeted_30s");
    std::fs::write(&broken, doc.to_string()).unwrap();
    let path = broken.to_str().unwrap();

    let out = sirr(&["checklist", "validate", path]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("error: /sections/0/items/1/key: duplicate item key 'greeted_30s'"),
        "{text}"
    );
    assert!(
        text.contains("error: /sections/0/items/4/show_if:"),
        "{text}"
    );

    let out = sirr(&[
        "checklist",
        "validate",
        "--format",
        "json",
        path,
        "tests/fixtures/checklists/spec-example.json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], false);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2);
    for p in problems {
        assert_eq!(p["severity"], "error");
        assert!(
            p["path"]
                .as_str()
                .unwrap()
                .starts_with("/sections/0/items/")
        );
        assert!(p["problem"].is_string());
        assert_eq!(p["file"], path);
    }
}

#[test]
fn unreadable_files_and_misuse_exit_2() {
    assert_eq!(
        sirr(&["checklist", "validate", "no/such/file.json"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(sirr(&["checklist", "validate"]).status.code(), Some(2));
    assert_eq!(sirr(&["checklist", "frobnicate"]).status.code(), Some(2));
}

#[test]
fn imported_xlsform_validates_and_hash_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("retail.json");
    let out = sirr(&[
        "checklist",
        "import-xlsform",
        "examples/checklists/retail-store-visit.xlsx",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sirr(&["checklist", "validate", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let a = sirr(&[
        "checklist",
        "canonical",
        "--hash",
        "tests/fixtures/checklists/spec-example.json",
    ]);
    let b = sirr(&[
        "checklist",
        "canonical",
        "--hash",
        "tests/fixtures/checklists/spec-example.yaml",
    ]);
    assert_eq!(stdout(&a), stdout(&b));
    assert_eq!(stdout(&a).trim().len(), 64);
}

#[test]
fn a_refused_xlsform_exits_1_naming_sheet_row_and_column() {
    let dir = repo().join("../shared/fixtures/xlsform-pyxform");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {} is missing",
            dir.display()
        );
        return;
    }
    let out = sirr(&[
        "checklist",
        "import-xlsform",
        dir.join("loop.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sheet 'survey', row 3, column 'type' (A3)"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_no_spreadsheet_exits_2_and_other_files_are_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("form.xlsx");
    std::fs::write(&fake, "not a workbook").unwrap();
    assert_eq!(
        sirr(&["checklist", "import-xlsform", fake.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );

    let out = sirr(&[
        "checklist",
        "validate",
        "no/such.json",
        "tests/fixtures/checklists/spec-example.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("spec-example.json: valid"));
}

#[test]
fn exported_xlsform_imports_back_to_the_same_hash() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "examples/checklists/bank-branch-visit.json",
        "tests/fixtures/checklists/spec-example.yaml",
    ] {
        let xlsx = dir.path().join("form.xlsx");
        let json = dir.path().join("back.json");
        let out = sirr(&[
            "checklist",
            "export-xlsform",
            file,
            "--out",
            xlsx.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("exported checklist"));
        let out = sirr(&[
            "checklist",
            "import-xlsform",
            xlsx.to_str().unwrap(),
            "-o",
            json.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let hash = |path: &str| {
            let out = sirr(&["checklist", "canonical", "--hash", path]);
            assert_eq!(out.status.code(), Some(0));
            stdout(&out).trim().to_owned()
        };
        assert_eq!(hash(json.to_str().unwrap()), hash(file), "{file}");
    }
    // An invalid checklist is not exported (1); a missing file is unusable input (2).
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, r#"{"key": "x", "version": 1}"#).unwrap();
    let xlsx = dir.path().join("never.xlsx");
    let out = sirr(&[
        "checklist",
        "export-xlsform",
        broken.to_str().unwrap(),
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!xlsx.exists());
    let out = sirr(&[
        "checklist",
        "export-xlsform",
        "no/such/file.json",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = sirr(&[
        "checklist",
        "export-xlsform",
        "examples/checklists/bank-branch-visit.json",
    ]);
    assert_eq!(out.status.code(), Some(2), "--out is required");
}
