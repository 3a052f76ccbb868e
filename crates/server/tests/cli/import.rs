//! `sirr import branches|users FILE [--dry-run]`: the API's bulk onboarding on the configured
//! database, from the shell.

use std::process::{Command, Output};

fn sirr(args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sirr"));
    for var in ["SIRR_ADMIN_EMAIL", "SIRR_ADMIN_PASSWORD", "SIRR_CONFIG"] {
        c.env_remove(var);
    }
    c.args(args).output().unwrap()
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../../tests/fixtures/imports/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn branches_then_users_from_the_shell_and_again_without_change() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let branches = fixture("branches.xlsx");
    let users = fixture("users.xlsx");

    let out = sirr(&[
        "import",
        "branches",
        &branches,
        "--dry-run",
        "--data-dir",
        data,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("would create 300, would update 0, unchanged 0"));

    let out = sirr(&["import", "branches", &branches, "--data-dir", data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created 300, updated 0, unchanged 0"));
    assert!(text(&out.stdout).contains("new regions: DMM, JED, MED, RUH"));

    let out = sirr(&["import", "users", &users, "--data-dir", data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created 60, updated 0, unchanged 0"));

    for (kind, file, count) in [("branches", &branches, 300), ("users", &users, 60)] {
        let out = sirr(&["import", kind, file, "--data-dir", data]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let expected = format!("created 0, updated 0, unchanged {count}");
        assert!(
            text(&out.stdout).contains(&expected),
            "{}",
            text(&out.stdout)
        );
    }
}

#[test]
fn problems_are_listed_by_sheet_row_and_column_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let file = dir.path().join("march.csv");
    std::fs::write(
        &file,
        "code,name_en,region_code\nA-1,One,RUH\nA-1,Two,RUH\n",
    )
    .unwrap();
    let out = sirr(&[
        "import",
        "branches",
        file.to_str().unwrap(),
        "--data-dir",
        data,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("march.csv:3: code: repeats row 2"),
        "{}",
        text(&out.stderr)
    );
    let out = sirr(&["import", "users", "/no/such/file.csv", "--data-dir", data]);
    assert_eq!(out.status.code(), Some(2));
}
