//! `sirr checklist …`: validate, import from and export to XLSForm, canonical form.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;
use sirr_checklist::xlsform::{self, SheetProblem};
use sirr_checklist::{Checklist, Error, Problem, Severity};

use crate::cli::Format;

/// Exit status when every input is valid.
const OK: u8 = 0;
/// Exit status when some input has errors.
const INVALID: u8 = 1;
/// Exit status when a file cannot be read or the command is misused.
const UNUSABLE: u8 = 2;

/// A loaded checklist with its warnings, or every problem that keeps it from loading.
pub type Loaded = Result<(Checklist, Vec<Problem>), Vec<Problem>>;

/// Reads and parses a checklist file; JSON or YAML by extension. The outer `Err` means the file
/// could not be read at all.
pub fn load_file(path: &Path) -> Result<Loaded, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let is_yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let value = if is_yaml {
        sirr_checklist::load::parse_yaml(&text)
    } else {
        sirr_checklist::load::parse_json(&text)
    };
    let outcome = match value {
        Ok(v) => sirr_checklist::from_value(&v),
        Err(e) => return Ok(Err(vec![unreadable(&e)])),
    };
    Ok(outcome.into_result().map_err(|e| match e {
        Error::Invalid(problems) => problems,
        other => vec![unreadable(&other)],
    }))
}

fn unreadable(e: &Error) -> Problem {
    Problem::error(
        "",
        sirr_checklist::ProblemReason::Unreadable {
            message: e.to_string(),
        },
    )
}

#[derive(Serialize)]
struct FileProblem<'a> {
    #[serde(flatten)]
    problem: &'a Problem,
    file: String,
}

#[derive(Serialize)]
struct ValidationReport<'a> {
    valid: bool,
    problems: Vec<FileProblem<'a>>,
}

/// `sirr checklist validate FILE... [--format json]`.
pub fn validate(files: &[std::path::PathBuf], format: Format) -> ExitCode {
    let mut all: Vec<(String, Vec<Problem>)> = Vec::new();
    let mut unreadable = false;
    for path in files {
        match load_file(path) {
            Ok(Ok((_, warnings))) => all.push((path.display().to_string(), warnings)),
            Ok(Err(problems)) => all.push((path.display().to_string(), problems)),
            Err(message) => {
                // Report the other files anyway; the exit status says some input was unusable.
                eprintln!("sirr: {message}");
                unreadable = true;
            }
        }
    }
    let valid = all
        .iter()
        .all(|(_, problems)| !problems.iter().any(Problem::is_error));
    match format {
        Format::Json => {
            let report = ValidationReport {
                valid,
                problems: all
                    .iter()
                    .flat_map(|(file, problems)| {
                        problems.iter().map(|problem| FileProblem {
                            problem,
                            file: file.clone(),
                        })
                    })
                    .collect(),
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        Format::Text => {
            for (file, problems) in &all {
                for p in problems {
                    println!("{file}: {p}");
                }
                let errors = problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .count();
                let warnings = problems.len() - errors;
                if errors == 0 {
                    println!("{file}: valid ({warnings} warning{})", plural(warnings));
                } else {
                    println!(
                        "{file}: INVALID, {errors} error{} and {warnings} warning{}",
                        plural(errors),
                        plural(warnings)
                    );
                }
            }
        }
    }
    ExitCode::from(if unreadable {
        UNUSABLE
    } else if valid {
        OK
    } else {
        INVALID
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn print_sheet_problems(problems: &[SheetProblem], format: Format) {
    match format {
        Format::Json => {
            let valid = !problems.iter().any(SheetProblem::is_error);
            let body = serde_json::json!({"valid": valid, "problems": problems});
            eprintln!(
                "{}",
                serde_json::to_string_pretty(&body).unwrap_or_default()
            );
        }
        Format::Text => {
            for p in problems {
                eprintln!("{p}");
            }
        }
    }
}

/// `sirr checklist import-xlsform FORM.xlsx [-o FILE]`.
pub fn import_xlsform(form: &Path, output: Option<&Path>, format: Format) -> ExitCode {
    let bytes = match std::fs::read(form) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("sirr: cannot read {}: {e}", form.display());
            return ExitCode::from(UNUSABLE);
        }
    };
    let stem = form
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match xlsform::import(&bytes, &stem) {
        Ok((checklist, warnings)) => {
            print_sheet_problems(&warnings, format);
            let json = checklist.to_pretty_json() + "\n";
            match output {
                Some(path) => {
                    if let Err(e) = std::fs::write(path, json) {
                        eprintln!("sirr: cannot write {}: {e}", path.display());
                        return ExitCode::from(UNUSABLE);
                    }
                    eprintln!(
                        "{}: imported checklist '{}' version {} ({} sections, {} items) into {}",
                        form.display(),
                        checklist.key,
                        checklist.version,
                        checklist.sections.len(),
                        checklist.items().count(),
                        path.display()
                    );
                }
                None => print!("{json}"),
            }
            ExitCode::from(OK)
        }
        Err(Error::Xlsform(problems)) => {
            print_sheet_problems(&problems, format);
            eprintln!("{}: not imported", form.display());
            // A file that is no spreadsheet at all is unusable input, not an invalid form.
            let unreadable = problems.iter().all(|p| p.sheet.is_empty());
            ExitCode::from(if unreadable { UNUSABLE } else { INVALID })
        }
        Err(other) => {
            eprintln!("sirr: {}: {other}", form.display());
            ExitCode::from(INVALID)
        }
    }
}

/// `sirr checklist export-xlsform FILE --out FILE.xlsx`.
pub fn export_xlsform(file: &Path, out: &Path) -> ExitCode {
    let checklist = match load_file(file) {
        Ok(Ok((checklist, _))) => checklist,
        Ok(Err(problems)) => {
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            eprintln!("{}: not exported", file.display());
            return ExitCode::from(INVALID);
        }
        Err(message) => {
            eprintln!("sirr: {message}");
            return ExitCode::from(UNUSABLE);
        }
    };
    let bytes = match xlsform::export(&checklist) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("sirr: {}: {e}", file.display());
            return ExitCode::from(INVALID);
        }
    };
    if let Err(e) = std::fs::write(out, bytes) {
        eprintln!("sirr: cannot write {}: {e}", out.display());
        return ExitCode::from(UNUSABLE);
    }
    eprintln!(
        "{}: exported checklist '{}' version {} ({} sections, {} items) to {}",
        file.display(),
        checklist.key,
        checklist.version,
        checklist.sections.len(),
        checklist.items().count(),
        out.display()
    );
    ExitCode::from(OK)
}

/// `sirr checklist canonical FILE [--hash]`.
pub fn canonical(file: &Path, hash: bool) -> ExitCode {
    match load_file(file) {
        Ok(Ok((checklist, _))) => {
            if hash {
                println!("{}", checklist.content_hash());
            } else {
                println!("{}", checklist.to_canonical_json());
            }
            ExitCode::from(OK)
        }
        Ok(Err(problems)) => {
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            ExitCode::from(INVALID)
        }
        Err(message) => {
            eprintln!("sirr: {message}");
            ExitCode::from(UNUSABLE)
        }
    }
}
