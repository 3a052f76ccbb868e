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

/// Where the configuration comes from (shared by the server commands).
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    /// A configuration file layered over the defaults (else SIRR_CONFIG).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory for the SQLite file and stored attachments.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A postgres://user:password@host/db URL (default: SQLite in the data directory).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

impl ConfigArgs {
    fn overrides(self, bind: Option<String>) -> crate::config::Overrides {
        crate::config::Overrides {
            config_file: self.config,
            bind,
            data_dir: self.data_dir,
            database_url: self.database_url,
        }
    }
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: API, web app and reports, on SQLite (default) or PostgreSQL.
    ///
    /// Applies migrations at start. On first start it creates an admin and prints a one-time
    /// password (or uses SIRR_ADMIN_EMAIL and SIRR_ADMIN_PASSWORD; with smtp.host set,
    /// SIRR_ADMIN_EMAIL alone invites that admin by e-mail instead). Prints
    /// `listening on http://HOST:PORT` once ready; stops gracefully on Ctrl-C or SIGTERM.
    Serve {
        /// Listen address; port 0 picks a free port.
        #[arg(long, value_name = "HOST:PORT")]
        bind: Option<String>,
        /// On an empty database, create a bilingual demo organisation with the example
        /// checklists and demo accounts (password `demo-password`), printed at start.
        #[arg(long)]
        demo: bool,
        /// Configuration sources.
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print the OpenAPI 3 document of the HTTP API (also served at /api/v1/openapi.json).
    Openapi,
    /// Show the effective configuration (every layer applied, secrets masked).
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Manage user accounts from the shell.
    #[command(subcommand)]
    User(UserCommand),
    /// Create and update branches or users from a CSV or XLSX file, as `POST
    /// /api/v1/imports/{branches|users}` does: matched by branch code and e-mail, everything in
    /// one transaction or nothing. Problems are listed as SHEET:ROW: COLUMN: PROBLEM. Exit
    /// status: 0 done, 1 rows have problems (nothing applied), 2 the file or database failed.
    Import {
        /// What the file holds.
        #[arg(value_enum)]
        kind: crate::commands::import::Kind,
        /// The CSV (UTF-8) or XLSX file.
        file: PathBuf,
        /// Check and count only; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Configuration sources.
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Work with checklist definitions: validate, import from XLSForm, print canonical form.
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// Score a JSON Lines file of visits and write the report (SPEC §4) as JSON.
    ///
    /// Every line is checked against its exact checklist version. Invalid lines are all listed
    /// on standard error as FILE:LINE: KEY: PROBLEM, and nothing is scored unless
    /// --skip-invalid is given (then the valid lines are scored and the rejected ones are also
    /// listed under "rejected" in the report). Exit status: 0 on success, 1 when lines are
    /// invalid, 2 when a file cannot be read or a checklist is invalid.
    Score {
        /// Checklist documents: every checklist version the visits use.
        #[arg(long = "checklist", required = true, num_args = 1.., value_name = "FILE")]
        checklists: Vec<PathBuf>,
        /// The visits, one JSON object per line.
        #[arg(long, value_name = "FILE.jsonl")]
        visits: PathBuf,
        /// Period length for the per-period results.
        #[arg(long, value_enum, default_value_t = Period::Month)]
        period: Period,
        /// Where to write the report (standard output when left out).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Score the valid lines even when some lines are invalid.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Render one branch's PDF coaching report offline, from `sirr score` output, the
    /// checklists and the visits (for section and item results and the shoppers' comments).
    ///
    /// Exit status: 0 on success, 2 when an input cannot be read or does not fit.
    Report {
        /// `sirr score` output (JSON).
        #[arg(long, value_name = "FILE.json")]
        scores: PathBuf,
        /// Checklist documents: every checklist version the visits use.
        #[arg(long = "checklist", required = true, num_args = 1.., value_name = "FILE")]
        checklists: Vec<PathBuf>,
        /// The visits the scores were computed from, one JSON object per line.
        #[arg(long, value_name = "FILE.jsonl")]
        visits: PathBuf,
        /// Branch code.
        #[arg(long, value_name = "KEY")]
        branch: String,
        /// `YYYY-MM`, `YYYY-Qn` or `YYYY-Www` (score with the same --period length); every
        /// visit of the file when left out.
        #[arg(long, value_name = "LABEL")]
        period: Option<String>,
        /// Report language: `en`, or `ar` (right to left).
        #[arg(long, default_value = "en", value_parser = ["en", "ar"])]
        lang: String,
        /// Organisation name for the header.
        #[arg(long, default_value = "sirr")]
        organisation: String,
        /// Where to write the PDF.
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Also write the report model (what the PDF shows) as JSON.
        #[arg(long, value_name = "FILE.json")]
        model: Option<PathBuf>,
    },
    /// Export visits, answers or scores from the configured database (as the API's
    /// `/api/v1/exports/…` does for an admin): CSV (UTF-8 with a byte-order mark), XLSX or JSON
    /// Lines (SPEC §4 visit lines, readable by `sirr score`).
    ///
    /// Exit status: 0 on success, 2 when the configuration, database or output file fails or
    /// the dataset does not come in the format.
    Export {
        /// visits, answers or scores.
        #[arg(value_enum)]
        dataset: ExportDataset,
        /// csv, xlsx or jsonl (visits: all three; answers: csv; scores: csv or xlsx).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// `YYYY-MM`, `YYYY-Qn` or `YYYY-Www` (by each visit's local date); every approved
        /// visit when left out (scores: every month).
        #[arg(long, value_name = "LABEL")]
        period: Option<String>,
        /// XLSX: sheets right to left (Arabic readers).
        #[arg(long)]
        arabic: bool,
        /// The file to write (written beside it first, renamed when complete).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Configuration sources.
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Generate a realistic synthetic organisation and its visits, with the truths behind them.
    ///
    /// Branch quality, team quality and shopper severity are drawn first, then visits whose
    /// answers follow them (shoppers mostly work in their home region, and regions' shoppers
    /// differ in severity). The same options give the same files on every machine. Without
    /// --checklist the three built-in example checklists are used.
    DemoData {
        /// Checklist documents the visits are filled against (default: the built-in examples).
        #[arg(long = "checklist", value_name = "FILE")]
        checklists: Vec<PathBuf>,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of regions.
        #[arg(long, default_value_t = 6)]
        regions: usize,
        /// Number of branches.
        #[arg(long, default_value_t = 60)]
        branches: usize,
        /// Number of shoppers.
        #[arg(long, default_value_t = 25)]
        shoppers: usize,
        /// Fewest encounters per branch.
        #[arg(long, default_value_t = 3)]
        min_visits: u32,
        /// Most encounters per branch.
        #[arg(long, default_value_t = 24)]
        max_visits: u32,
        /// Months the visits are spread over, ending with October 2026.
        #[arg(long, default_value_t = 6)]
        months: u32,
        /// Share of encounters rated by several shoppers (calibration).
        #[arg(long, default_value_t = 0.03)]
        calibration_share: f64,
        /// Where to write the visits (JSON Lines; standard output when left out).
        #[arg(long, value_name = "FILE.jsonl")]
        out: Option<PathBuf>,
        /// Where to write the truths: branch and team quality, shopper severity, conditions.
        #[arg(long, value_name = "FILE.json")]
        truth: Option<PathBuf>,
        /// Where to write the organisation: regions, branches (names in English and Arabic,
        /// city, coordinates, teams) and shoppers.
        #[arg(long, value_name = "FILE.json")]
        organisation: Option<PathBuf>,
    },
}

/// What `sirr export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportDataset {
    /// One row (or line) per approved visit.
    Visits,
    /// One row per answer.
    Answers,
    /// Scores per period of the organisation, regions, branches and teams.
    Scores,
    /// One row per dispute.
    Disputes,
    /// One row per action of the branches' action plans.
    #[value(name = "action-plans")]
    ActionPlans,
}

/// File formats of `sirr export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV, UTF-8 with a byte-order mark.
    Csv,
    /// Excel workbook.
    Xlsx,
    /// JSON Lines.
    Jsonl,
}

/// `sirr config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the settings in effect as TOML, with secrets masked.
    Show {
        /// Configuration sources.
        #[command(flatten)]
        config: ConfigArgs,
        /// Listen address, as `serve` would take it.
        #[arg(long, value_name = "HOST:PORT")]
        bind: Option<String>,
    },
}

/// `sirr user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. Prints a generated one-time password unless --password-stdin is given.
    Add {
        /// Email address (the login).
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// admin, qa, manager or shopper.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Configuration sources.
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Set a new password (generated, or from standard input) and end every session.
    ResetPassword {
        /// Email address.
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Configuration sources.
        #[command(flatten)]
        config: ConfigArgs,
    },
}

/// Period lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Period {
    /// ISO weeks (`2026-W40`).
    Week,
    /// Calendar months (`2026-10`).
    Month,
    /// Calendar quarters (`2026-Q4`).
    Quarter,
}

impl From<Period> for sirr_scoring::period::PeriodKind {
    fn from(p: Period) -> Self {
        match p {
            Period::Week => Self::Week,
            Period::Month => Self::Month,
            Period::Quarter => Self::Quarter,
        }
    }
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
    /// Export a checklist (JSON or YAML) as an XLSForm spreadsheet (.xlsx) to edit in a
    /// spreadsheet program; `import-xlsform` reads it back into the same checklist.
    ///
    /// Exit status: 0 when written, 1 when the checklist has errors, 2 when a file cannot be read
    /// or written.
    ExportXlsform {
        /// The checklist file (.json, .yaml or .yml).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Where to write the workbook.
        #[arg(short, long, visible_alias = "output", value_name = "FILE.xlsx")]
        out: PathBuf,
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
        Command::Serve { bind, demo, config } => {
            commands::serve::run(&config.overrides(bind), demo)
        }
        Command::Openapi => match crate::api::openapi::document_value().to_pretty_json() {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("sirr: {e}");
                ExitCode::from(2)
            }
        },
        Command::Config(ConfigCommand::Show { config, bind }) => {
            commands::config::show(&config.overrides(bind))
        }
        Command::User(UserCommand::Add {
            email,
            name,
            role,
            password_stdin,
            config,
        }) => commands::user::add(
            &config.overrides(None),
            &email,
            &name,
            &role,
            password_stdin,
        ),
        Command::Import {
            kind,
            file,
            dry_run,
            config,
        } => commands::import::run(&config.overrides(None), kind, &file, dry_run),
        Command::User(UserCommand::ResetPassword {
            email,
            password_stdin,
            config,
        }) => commands::user::reset_password(&config.overrides(None), &email, password_stdin),
        Command::Checklist(ChecklistCommand::Validate { files, format }) => {
            commands::checklist::validate(&files, format)
        }
        Command::Checklist(ChecklistCommand::ImportXlsform {
            form,
            output,
            format,
        }) => commands::checklist::import_xlsform(&form, output.as_deref(), format),
        Command::Checklist(ChecklistCommand::ExportXlsform { file, out }) => {
            commands::checklist::export_xlsform(&file, &out)
        }
        Command::Checklist(ChecklistCommand::Canonical { file, hash }) => {
            commands::checklist::canonical(&file, hash)
        }
        Command::Score {
            checklists,
            visits,
            period,
            out,
            skip_invalid,
        } => commands::score::run(&commands::score::ScoreArgs {
            checklists,
            visits,
            period: period.into(),
            out,
            skip_invalid,
        }),
        Command::Report {
            scores,
            checklists,
            visits,
            branch,
            period,
            lang,
            organisation,
            out,
            model,
        } => match sirr_report::Lang::parse(&lang) {
            Ok(lang) => commands::report::run(&commands::report::ReportArgs {
                scores,
                checklists,
                visits,
                branch,
                period,
                lang,
                organisation,
                out,
                model,
            }),
            Err(e) => {
                eprintln!("sirr: --lang: {e}");
                ExitCode::from(2)
            }
        },
        Command::Export {
            dataset,
            format,
            period,
            arabic,
            out,
            config,
        } => commands::export::run(
            &config.overrides(None),
            &commands::export::ExportArgs {
                dataset: match dataset {
                    ExportDataset::Visits => crate::export::Dataset::Visits,
                    ExportDataset::Answers => crate::export::Dataset::Answers,
                    ExportDataset::Scores => crate::export::Dataset::Scores,
                    ExportDataset::Disputes => crate::export::Dataset::Disputes,
                    ExportDataset::ActionPlans => crate::export::Dataset::ActionPlans,
                },
                format: match format {
                    ExportFormat::Csv => crate::export::Format::Csv,
                    ExportFormat::Xlsx => crate::export::Format::Xlsx,
                    ExportFormat::Jsonl => crate::export::Format::Jsonl,
                },
                period,
                arabic,
                out,
            },
        ),
        Command::DemoData {
            checklists,
            seed,
            regions,
            branches,
            shoppers,
            min_visits,
            max_visits,
            months,
            calibration_share,
            out,
            truth,
            organisation,
        } => commands::demo::run(&commands::demo::DemoArgs {
            checklists,
            options: sirr_demo::DemoOptions {
                seed,
                regions,
                branches,
                shoppers,
                visits_per_branch: (min_visits, max_visits),
                months,
                calibration_share,
                ..sirr_demo::DemoOptions::default()
            },
            out,
            truth,
            organisation,
        }),
    }
}
