//! `sirr import branches|users FILE [--dry-run]`: the bulk onboarding of the API
//! (`POST /api/v1/imports/…`) on the configured database, with the same rules
//! ([`crate::import`]). Problems are listed as `SHEET:ROW: COLUMN: PROBLEM` on standard error.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Overrides;
use crate::import::{self, ImportError, Mode, Outcome, table};

/// What to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Branches (and new regions and teams).
    Branches,
    /// User accounts with roles and scopes.
    Users,
}

/// Runs an import. Exit status: 0 when applied (or a clean dry run), 1 when rows have problems
/// (nothing applied), 2 when the file or database cannot be used.
pub fn run(overrides: &Overrides, kind: Kind, file: &Path, dry_run: bool) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("sirr: cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let sheets = match table::read(&bytes, &name) {
        Ok(sheets) => sheets,
        Err(e) => {
            eprintln!("sirr: {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let mut conn = match crate::commands::user::connect(overrides) {
        Ok(conn) => conn,
        Err(e) => {
            eprintln!("sirr: {e}");
            return ExitCode::from(2);
        }
    };
    let mode = if dry_run { Mode::DryRun } else { Mode::Apply };
    let result = match kind {
        Kind::Branches => import::branches::import(&mut conn, &sheets, None, mode),
        Kind::Users => import::users::import(&mut conn, &sheets, None, mode, None),
    };
    match result {
        Ok(outcome) => {
            print_problems(&outcome);
            print_counts(&outcome, dry_run);
            if outcome.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(ImportError::Refused(outcome)) => {
            print_problems(&outcome);
            eprintln!(
                "sirr: {} problems; nothing was imported",
                outcome.problems.len()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("sirr: {e}");
            ExitCode::from(2)
        }
    }
}

fn print_problems(outcome: &Outcome) {
    for p in &outcome.problems {
        let row = p.row.map(|r| r.to_string()).unwrap_or_default();
        let column = p.column.as_deref().unwrap_or_default();
        eprintln!("{}:{row}: {column}: {}", p.sheet, p.kind.english());
    }
}

fn print_counts(outcome: &Outcome, dry_run: bool) {
    let verb = if dry_run { "would create" } else { "created" };
    println!(
        "{verb} {}, {} {}, unchanged {}",
        outcome.create,
        if dry_run { "would update" } else { "updated" },
        outcome.update,
        outcome.unchanged
    );
    if !outcome.new_regions.is_empty() {
        println!("new regions: {}", outcome.new_regions.join(", "));
    }
}
