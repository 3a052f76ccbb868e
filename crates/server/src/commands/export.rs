//! `sirr export visits|answers|scores|disputes|action-plans --format csv|xlsx|jsonl [--period P] --out FILE`: the
//! API's exports (SPEC §10.33) from the configured database, with every unit and shopper
//! identities (whoever holds the database holds them; see `crate::export`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::config::{Overrides, Settings};
use crate::export::{self, Dataset, Filter, Format};
use sirr_store as db;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportArgs {
    /// Visits, answers or scores.
    pub dataset: Dataset,
    /// CSV, XLSX or JSON Lines.
    pub format: Format,
    /// `YYYY-MM`, `YYYY-Qn`, `YYYY-Www`, or every visit.
    pub period: Option<String>,
    /// XLSX sheets right to left.
    pub arabic: bool,
    /// The file to write.
    pub out: std::path::PathBuf,
}

/// Runs the export; exit status 0, 2 when the configuration, database or file fails.
pub fn run(overrides: &Overrides, args: &ExportArgs) -> ExitCode {
    match export_to(overrides, args) {
        Ok(rows) => {
            eprintln!(
                "wrote {rows} {} to {}",
                match args.dataset {
                    Dataset::Visits | Dataset::Answers => "visits",
                    _ => "rows",
                },
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("sirr export: {e}");
            ExitCode::from(2)
        }
    }
}

fn export_to(overrides: &Overrides, args: &ExportArgs) -> Result<u64, String> {
    let filter = Filter {
        period: Filter::period(args.period.as_deref()).map_err(|e| e.to_string())?,
        ..Filter::default()
    };
    let mut plan =
        export::plan_all(args.dataset, args.format, filter).map_err(|e| e.to_string())?;
    plan.rtl = args.arabic;
    let settings = Settings::load(overrides).map_err(|e| e.to_string())?;
    let url = settings.database_url();
    if db::Backend::of(&url) == db::Backend::Sqlite {
        crate::config::ensure_dir(&settings.server.data_dir).map_err(|e| e.to_string())?;
    }
    let pool = db::connect(&url, 2, settings.busy_timeout()).map_err(|e| e.to_string())?;
    {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        db::migrate(&mut conn).map_err(|e| e.to_string())?;
    }
    let scores = match args.dataset {
        Dataset::Scores => {
            Some(export::scores_for(&pool, &plan.filter).map_err(|e| format!("{e:?}"))?)
        }
        _ => None,
    };
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let (tmp, file) = create_beside(&args.out)?;
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
    let rows = match &scores {
        Some(scores) => export::write_scores(&mut conn, &plan, scores, &mut out),
        None => export::write(&mut conn, &plan, &mut out),
    }
    .and_then(|n| Ok(out.flush().map(|()| n)?));
    match rows {
        Ok(n) => {
            drop(out);
            std::fs::rename(&tmp, &args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
            Ok(n)
        }
        Err(e) => {
            drop(out);
            let _ = std::fs::remove_file(&tmp);
            Err(e.to_string())
        }
    }
}

/// A temporary file next to `out`, renamed over it when complete (no half-written exports).
fn create_beside(out: &Path) -> Result<(std::path::PathBuf, std::fs::File), String> {
    let name = out
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", out.display()))?;
    let tmp = out.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    let file = std::fs::File::create(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    Ok((tmp, file))
}
