//! Bulk onboarding from spreadsheets (SPEC §10.38, §10.47): branches and users from CSV or XLSX.
//!
//! One service, two callers: `POST /api/v1/imports/{branches|users}` and `sirr import`. Each
//! import reads the table ([`table`]), checks every row against the organisation as it is now and
//! works out what each row would create, update or leave unchanged (a *plan*), all inside one
//! transaction holding the write lock. A dry run stops there; an import applies the plan in that
//! same transaction, or applies nothing when any row has a problem. Rows are matched by branch
//! code and by e-mail, so uploading the same file twice changes nothing the second time.
//!
//! Nothing here knows HTTP: problems are [`Problem`] values located by sheet, row and column, and
//! the caller words them.

pub mod branches;
mod problem;
pub mod table;
pub mod template;
pub mod users;

use serde::Serialize;

pub use problem::{Problem, ProblemKind};

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Rows that create a branch or user.
    pub create: usize,
    /// Rows that change an existing one.
    pub update: usize,
    /// Rows that match what is stored.
    pub unchanged: usize,
    /// Regions a branch import creates (new region codes), by code.
    pub new_regions: Vec<String>,
    /// Every problem; when there is any, nothing is applied.
    pub problems: Vec<Problem>,
    /// Invitation links issued to the accounts a user import created (only when asked); their
    /// tokens are never written out.
    #[serde(skip)]
    pub invitations: Vec<users::Invitation>,
}

/// Why an import failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not a table at all.
    #[error(transparent)]
    Table(#[from] table::TableError),
    /// Rows have problems: nothing was applied.
    #[error("{} rows have problems; nothing was imported", .0.problems.len())]
    Refused(Outcome),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// No randomness for invitation links.
    #[error("{0}")]
    Randomness(String),
}

/// Dry run or apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Check and count; change nothing.
    DryRun,
    /// Check, then apply everything or nothing.
    Apply,
}

/// The first sheet that has the key column `key` (a workbook may carry an instructions sheet
/// first), or a problem naming the column.
fn pick_sheet<'a>(
    sheets: &'a [sirr_checklist::xlsform::sheet::Sheet],
    key: &'static str,
) -> Result<&'a sirr_checklist::xlsform::sheet::Sheet, Problem> {
    sheets.iter().find(|s| s.has(key)).ok_or_else(|| Problem {
        sheet: sheets.first().map(|s| s.name.clone()).unwrap_or_default(),
        row: Some(1),
        column: Some(key.to_owned()),
        kind: ProblemKind::MissingColumn,
    })
}

/// A problem for each header that is not one of `known` (a misspelt column would otherwise be
/// ignored without a word).
fn unknown_columns(sheet: &sirr_checklist::xlsform::sheet::Sheet, known: &[&str]) -> Vec<Problem> {
    sheet
        .headers
        .iter()
        .filter(|h| !known.contains(&h.norm.as_str()))
        .map(|h| Problem {
            sheet: sheet.name.clone(),
            row: Some(1),
            column: Some(h.text.clone()),
            kind: ProblemKind::UnknownColumn {
                known: known.join(", "),
            },
        })
        .collect()
}
