//! `sirr demo-data`: a seeded synthetic organisation with visits and the truths behind them.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use sirr_checklist::Checklist;
use sirr_demo::{DemoOptions, stream, write_visit_line};

use super::checklist::load_file;

const UNUSABLE: u8 = 2;

/// The example checklists built into the binary, used when no checklist is given.
pub const EXAMPLE_CHECKLISTS: [(&str, &str); 3] = [
    (
        "bank-branch-visit.json",
        include_str!("../../../../examples/checklists/bank-branch-visit.json"),
    ),
    (
        "retail-store-visit.json",
        include_str!("../../../../examples/checklists/retail-store-visit.json"),
    ),
    (
        "government-service-centre-visit.json",
        include_str!("../../../../examples/checklists/government-service-centre-visit.json"),
    ),
];

/// The built-in example checklists, parsed.
///
/// # Errors
/// Only if a built-in example were invalid, which the test suite rules out.
pub fn example_checklists() -> Result<Vec<Checklist>, String> {
    EXAMPLE_CHECKLISTS
        .iter()
        .map(|(name, text)| {
            sirr_checklist::from_json_str(text)
                .map(|(c, _)| c)
                .map_err(|e| format!("built-in {name}: {e}"))
        })
        .collect()
}

/// What `sirr demo-data` was asked to do.
#[derive(Debug, Clone)]
pub struct DemoArgs {
    /// Checklist documents; the built-in examples when empty.
    pub checklists: Vec<PathBuf>,
    /// Generator options.
    pub options: DemoOptions,
    /// Visits JSON Lines; standard output when `None`.
    pub out: Option<PathBuf>,
    /// Where to write the truths (branch quality, team quality, shopper severity, conditions).
    pub truth: Option<PathBuf>,
    /// Where to write the organisation (regions, branches with names and places, shoppers).
    pub organisation: Option<PathBuf>,
}

/// Runs `sirr demo-data`. Exit status 0, or 2 when an input or option is unusable.
pub fn run(args: &DemoArgs) -> ExitCode {
    let checklists = if args.checklists.is_empty() {
        example_checklists()
    } else {
        args.checklists
            .iter()
            .map(|path| match load_file(path) {
                Ok(Ok((c, _))) => Ok(c),
                Ok(Err(problems)) => Err(problems
                    .iter()
                    .filter(|p| p.is_error())
                    .map(|p| format!("{}:{}: {}", path.display(), p.path, p.problem))
                    .collect::<Vec<_>>()
                    .join("\n")),
                Err(message) => Err(message),
            })
            .collect()
    };
    let checklists = match checklists {
        Ok(c) => c,
        Err(message) => {
            eprintln!("sirr: {message}");
            return ExitCode::from(UNUSABLE);
        }
    };
    // Visits are written as they are generated, so a million of them need little memory.
    let mut visits = match stream(&checklists, &args.options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sirr: demo-data --{}", e.to_string().replace('_', "-"));
            return ExitCode::from(UNUSABLE);
        }
    };
    let truth = visits.truth().clone();
    let organisation = visits.organisation().clone();
    let written = write_with(args.out.as_deref(), |w| {
        visits.try_for_each(|visit| write_visit_line(&visit, &mut *w))
    })
    .and_then(|()| write_json(args.truth.as_deref(), &truth))
    .and_then(|()| write_json(args.organisation.as_deref(), &organisation));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sirr: {message}");
            ExitCode::from(UNUSABLE)
        }
    }
}

fn write_json(path: Option<&Path>, value: &impl Serialize) -> Result<(), String> {
    match path {
        Some(path) => write_with(Some(path), |w| {
            serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        }),
        None => Ok(()),
    }
}

fn write_with(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let result = match path {
        Some(path) => File::create(path).and_then(|f| {
            let mut w = BufWriter::with_capacity(1 << 20, f);
            write(&mut w)?;
            w.flush()
        }),
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
            write(&mut w).and_then(|()| w.flush())
        }
    };
    result.map_err(|e| {
        format!(
            "cannot write {}: {e}",
            path.map_or("standard output".into(), |p| p.display().to_string())
        )
    })
}
