//! XLSForm import: the example workbook and real-world forms from pyxform's test suite.

use std::path::PathBuf;

use sirr_checklist::xlsform::{SheetProblem, import};
use sirr_checklist::{Error, ItemKind};

use crate::support::repo;

/// The shared real-world forms; required under CI, optional on a newcomer's clone.
pub fn pyxform_dir() -> Option<PathBuf> {
    let dir = repo().join("../shared/fixtures/xlsform-pyxform");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {} is missing",
        dir.display()
    );
    eprintln!(
        "skipping: {} is not there (it is outside the repository)",
        dir.display()
    );
    None
}

fn import_file(
    path: &std::path::Path,
) -> Result<(sirr_checklist::Checklist, Vec<SheetProblem>), Error> {
    let bytes = std::fs::read(path).unwrap();
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    import(&bytes, &stem)
}

#[test]
fn real_world_forms_import_or_are_refused_with_sheet_row_and_column() {
    let Some(dir) = pyxform_dir() else { return };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected the pyxform fixtures in {}",
        dir.display()
    );
    let mut imported = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match std::panic::catch_unwind(|| import_file(path)) {
            Err(_) => panic!("{name}: the importer panicked"),
            Ok(Ok((checklist, _warnings))) => {
                // The result must pass validation on its own, as `sirr checklist validate` would.
                let outcome = sirr_checklist::from_value(&checklist.to_json_value());
                assert!(
                    outcome.checklist.is_some(),
                    "{name}: {:#?}",
                    outcome.problems
                );
                imported.push(name);
            }
            Ok(Err(Error::Xlsform(problems))) => {
                let errors: Vec<&SheetProblem> = problems.iter().filter(|p| p.is_error()).collect();
                assert!(!errors.is_empty(), "{name}: refused without an error");
                for p in errors {
                    assert!(
                        !p.sheet.is_empty() && p.row.is_some() && p.column.is_some(),
                        "{name}: {p} lacks sheet, row or column"
                    );
                }
            }
            Ok(Err(other)) => panic!("{name}: unexpected error {other}"),
        }
    }
    for expected in [
        "yes_or_no_question.xlsx",
        "text_and_integer.xlsx",
        "group.xlsx",
        "or_other.xlsx",
        "field-list.xlsx",
        "choice_filter_test.xlsx",
    ] {
        assert!(
            imported.iter().any(|n| n == expected),
            "{expected} should import; imported: {imported:?}"
        );
    }
}

#[test]
fn no_question_is_dropped_silently() {
    let Some(dir) = pyxform_dir() else { return };
    // group.xlsx: a question outside the group, a group with a phone number and an integer.
    let (c, warnings) = import_file(&dir.join("group.xlsx")).unwrap();
    let keys: Vec<&str> = c.items().map(|(_, i)| i.key.as_str()).collect();
    assert_eq!(keys, ["family_name", "phone_number", "age"]);
    assert_eq!(
        c.sections
            .iter()
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>(),
        ["general", "father"]
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.row == Some(4) && w.problem.contains("phone number"))
    );

    // or_other.xlsx: the "other" option and its free-text follow-up are kept.
    let (c, _) = import_file(&dir.join("or_other.xlsx")).unwrap();
    let keys: Vec<&str> = c.items().map(|(_, i)| i.key.as_str()).collect();
    assert_eq!(keys, ["fav_color", "fav_color_other", "fav_pastel"]);
    assert_eq!(
        c.item("fav_color_other")
            .unwrap()
            .show_if
            .as_ref()
            .unwrap()
            .to_string(),
        "fav_color == 'other'"
    );

    // yes_or_no_question.xlsx: the old `select one from` syntax and a yes/no list → yes_no.
    let (c, _) = import_file(&dir.join("yes_or_no_question.xlsx")).unwrap();
    assert!(matches!(c.item("good_day").unwrap().kind, ItemKind::YesNo));

    // loop.xlsx is refused at the loop's type cell.
    let Err(Error::Xlsform(problems)) = import_file(&dir.join("loop.xlsx")) else {
        panic!("loop.xlsx must be refused")
    };
    let loop_problem = problems.iter().find(|p| p.is_error()).unwrap();
    assert_eq!(
        (
            loop_problem.sheet.as_str(),
            loop_problem.row,
            loop_problem.cell.as_deref()
        ),
        ("survey", Some(3), Some("A3"))
    );
    assert!(loop_problem.problem.contains("loop"));

    // The big spec form is refused, and the refusal lists each unsupported row.
    let Err(Error::Xlsform(problems)) = import_file(&dir.join("xlsform_spec_test.xlsx")) else {
        panic!()
    };
    let rows: Vec<u32> = problems
        .iter()
        .filter(|p| p.is_error())
        .filter_map(|p| p.row)
        .collect();
    assert!(rows.len() >= 5, "{problems:#?}");
}

#[test]
fn the_example_workbook_imports_into_the_bilingual_checklist_it_was_made_from() {
    let xlsx = repo().join("examples/checklists/retail-store-visit.xlsx");
    let (imported, warnings) = import_file(&xlsx).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.iter().all(|w| !w.is_error()));
    let json = std::fs::read_to_string(repo().join("examples/checklists/retail-store-visit.json"))
        .unwrap();
    let (original, _) = sirr_checklist::from_json_str(&json).unwrap();

    assert_eq!(imported.key, original.key);
    assert_eq!(imported.version, original.version);
    assert_eq!(imported.languages, original.languages);
    assert_eq!(imported.critical_rule, original.critical_rule);
    assert_eq!(imported.title, original.title);
    assert_eq!(imported.sections.len(), original.sections.len());
    for (a, b) in imported.sections.iter().zip(&original.sections) {
        assert_eq!(a.key, b.key);
        assert_eq!(a.title, b.title);
        assert_eq!(a.weight, b.weight);
        assert_eq!(a.items.len(), b.items.len(), "section {}", a.key);
        for (x, y) in a.items.iter().zip(&b.items) {
            assert_eq!(x.key, y.key);
            assert_eq!(x.kind, y.kind, "{}", x.key);
            assert_eq!(x.text, y.text, "{}", x.key);
            assert_eq!(x.help, y.help, "{}", x.key);
            assert_eq!(
                (x.weight, x.critical, x.na_allowed, x.required),
                (y.weight, y.critical, y.na_allowed, y.required),
                "{}",
                x.key
            );
            assert_eq!(
                (&x.owner, &x.evidence, &x.tags),
                (&y.owner, &y.evidence, &y.tags),
                "{}",
                x.key
            );
            assert_eq!(x.show_if.is_some(), y.show_if.is_some(), "{}", x.key);
        }
    }
}

#[test]
fn broken_workbooks_are_refused_not_panicked_on() {
    for bytes in [&b""[..], b"PK\x03\x04 not really a zip", b"key,version\n"] {
        let Err(Error::Xlsform(problems)) = import(bytes, "x") else {
            panic!("must refuse")
        };
        assert!(problems[0].problem.contains("spreadsheet"), "{problems:?}");
    }
}
