//! Command-line definitions (clap) and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands;

/// sirr — mystery-shopping evaluation: checklists, scoring, reports.
///
/// Quality teams design checklists, mystery shoppers fill them in, and the scoring engine turns
/// visits into fair branch and team scores. Run `sirr <command> --help` for details.
#[derive(Debug, Parser)]
#[command(name = "sirr", version, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with checklist definitions: validate, import from XLSForm, print canonical form.
    #[command(subcommand)]
    Checklist(ChecklistCommand),
}

/// Output format for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable lines, one problem per line.
    Text,
    /// One JSON document: {"valid": bool, "problems": [{"path", "problem", "severity", "file"}]}.
    Json,
}

/// Checklist commands.
#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// Validate checklist documents (JSON or YAML) and list every problem with its JSON path.
    ///
    /// Exit status: 0 when no file has an error (warnings allowed), 1 when some file has errors,
    /// 2 when a file cannot be read or the command is misused.
    Validate {
        /// Checklist files (.json, .yaml or .yml).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Import an XLSForm spreadsheet (.xlsx) as a checklist and write it as JSON.
    ///
    /// Understands the survey, choices and settings sheets, groups (→ sections), relevant
    /// (→ show_if), labels and hints per language, and sirr's extra columns (weight, critical,
    /// owner, na_allowed, evidence, bands, tags; score on choices). Problems name the sheet, row
    /// and column. Exit status as for `validate`.
    ImportXlsform {
        /// The XLSForm workbook.
        #[arg(value_name = "FORM.xlsx")]
        form: PathBuf,
        /// Where to write the checklist JSON (standard output when left out).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Output format for problems (json: {"valid", "problems": [{"sheet", "row", "column",
        /// "cell", "problem", "severity"}]} on standard error).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print a checklist's canonical JSON (RFC 8785) or its content hash (SHA-256 of it).
    Canonical {
        /// The checklist file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Print only the content hash.
        #[arg(long)]
        hash: bool,
    },
}

/// Runs a parsed command line and returns the process exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Checklist(ChecklistCommand::Validate { files, format }) => {
            commands::checklist::validate(&files, format)
        }
        Command::Checklist(ChecklistCommand::ImportXlsform {
            form,
            output,
            format,
        }) => commands::checklist::import_xlsform(&form, output.as_deref(), format),
        Command::Checklist(ChecklistCommand::Canonical { file, hash }) => {
            commands::checklist::canonical(&file, hash)
        }
    }
}
