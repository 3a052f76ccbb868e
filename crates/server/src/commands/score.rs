//! `sirr score`: score a JSON Lines file of visits offline and write the SPEC §4 report.
//!
//! Lines are parsed, checked and scored on every core (each worker takes batches of lines), and
//! fed to the report builder in input order, so the output does not depend on the number of
//! threads. Only the scores of a visit are kept, never its answers, so memory stays proportional
//! to the number of visits and sections.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use sirr_checklist::Checklist;
use sirr_scoring::catalog::{Catalog, ScoredVisit, score_line};
use sirr_scoring::period::PeriodKind;
use sirr_scoring::report::{ReportBuilder, ReportOptions};
use sirr_scoring::visit::VisitProblem;

use super::checklist::load_file;

const INVALID: u8 = 1;
const UNUSABLE: u8 = 2;
/// Lines per batch handed to a worker.
const BATCH: usize = 1024;

/// What `sirr score` was asked to do.
#[derive(Debug, Clone)]
pub struct ScoreArgs {
    /// Checklist documents (every version the visits use).
    pub checklists: Vec<PathBuf>,
    /// The visits, one JSON object per line.
    pub visits: PathBuf,
    /// Period length of the `periods` section.
    pub period: PeriodKind,
    /// Output file; standard output when `None`.
    pub out: Option<PathBuf>,
    /// Score the valid lines even when some are invalid (they are still all listed).
    pub skip_invalid: bool,
}

/// Runs `sirr score`. Exit status: 0 on success, 1 when some line is invalid (without
/// `--skip-invalid`), 2 when a file cannot be read or a checklist is invalid.
pub fn run(args: &ScoreArgs) -> ExitCode {
    let checklists = match load_checklists(&args.checklists) {
        Ok(c) => c,
        Err(()) => return ExitCode::from(UNUSABLE),
    };
    let catalog = match Catalog::new(&checklists) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sirr: {e}");
            return ExitCode::from(UNUSABLE);
        }
    };
    let file = match File::open(&args.visits) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("sirr: cannot read {}: {e}", args.visits.display());
            return ExitCode::from(UNUSABLE);
        }
    };
    let options = ReportOptions {
        period: args.period,
        ..ReportOptions::default()
    };
    let mut builder = ReportBuilder::new(&catalog, options);
    let (lines, problems) = match read_visits(
        BufReader::with_capacity(1 << 20, file),
        &catalog,
        &mut builder,
    ) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sirr: cannot read {}: {e}", args.visits.display());
            return ExitCode::from(UNUSABLE);
        }
    };
    let visits_path = args.visits.display();
    for p in &problems {
        if p.key.is_empty() {
            eprintln!("{visits_path}:{}: {}", p.line, p.problem);
        } else {
            eprintln!("{visits_path}:{}: {}: {}", p.line, p.key, p.problem);
        }
    }
    if !problems.is_empty() {
        let bad = count_lines(&problems);
        if !args.skip_invalid {
            eprintln!(
                "sirr: {bad} of {lines} lines are invalid; nothing was scored (use --skip-invalid \
                 to score the valid lines)"
            );
            return ExitCode::from(INVALID);
        }
        eprintln!("sirr: {bad} of {lines} lines are invalid and were skipped");
        builder.record_rejected(problems);
    }
    let report = builder.finish();
    if let Err(e) = write_report(&report, args.out.as_deref()) {
        eprintln!("sirr: {e}");
        return ExitCode::from(UNUSABLE);
    }
    ExitCode::SUCCESS
}

fn count_lines(problems: &[VisitProblem]) -> usize {
    let mut lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    lines.dedup();
    lines.len()
}

/// Loads every checklist, printing all problems; `Err` when any is unusable.
pub(crate) fn load_checklists(paths: &[PathBuf]) -> Result<Vec<Checklist>, ()> {
    let mut checklists = Vec::with_capacity(paths.len());
    let mut failed = false;
    for path in paths {
        match load_file(path) {
            Ok(Ok((checklist, _warnings))) => checklists.push(checklist),
            Ok(Err(problems)) => {
                failed = true;
                for p in problems.iter().filter(|p| p.is_error()) {
                    eprintln!("{}:{}: {}", path.display(), p.path, p.problem);
                }
                eprintln!("sirr: {} is not a valid checklist", path.display());
            }
            Err(message) => {
                failed = true;
                eprintln!("sirr: {message}");
            }
        }
    }
    if failed { Err(()) } else { Ok(checklists) }
}

type Outcome = Vec<(usize, Result<ScoredVisit, Vec<VisitProblem>>)>;

/// Lines read together: one buffer, with each line's number and byte range in it (one
/// allocation per batch rather than per line keeps the allocator out of the way).
struct Batch {
    seq: usize,
    text: String,
    lines: Vec<(usize, std::ops::Range<usize>)>,
}

/// Reads, checks and scores every line on all cores; valid visits go to `builder` in line
/// order. Returns the number of lines and every problem, in line order.
pub fn read_visits(
    mut reader: impl BufRead + Send,
    catalog: &Catalog<'_>,
    builder: &mut ReportBuilder<'_>,
) -> std::io::Result<(usize, Vec<VisitProblem>)> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (batch_tx, batch_rx) = sync_channel::<Batch>(workers * 2);
    let batch_rx = Arc::new(Mutex::new(batch_rx));
    let (done_tx, done_rx) = sync_channel::<(usize, Outcome)>(workers * 2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let batch_rx = Arc::clone(&batch_rx);
            let done_tx = done_tx.clone();
            scope.spawn(move || work(&batch_rx, catalog, &done_tx));
        }
        drop(done_tx);
        let reader = scope.spawn(move || -> std::io::Result<usize> {
            let mut line_no = 0;
            let mut seq = 0;
            let new_batch = |seq| Batch {
                seq,
                text: String::with_capacity(BATCH * 1536),
                lines: Vec::with_capacity(BATCH),
            };
            let mut batch = new_batch(seq);
            loop {
                let start = batch.text.len();
                if reader.read_line(&mut batch.text)? == 0 {
                    break;
                }
                line_no += 1;
                if batch.text[start..].trim().is_empty() {
                    batch.text.truncate(start);
                    continue;
                }
                batch.lines.push((line_no, start..batch.text.len()));
                if batch.lines.len() == BATCH {
                    seq += 1;
                    let full = std::mem::replace(&mut batch, new_batch(seq));
                    if batch_tx.send(full).is_err() {
                        break;
                    }
                }
            }
            if !batch.lines.is_empty() {
                let _ = batch_tx.send(batch);
            }
            Ok(line_no)
        });
        // Collect in order: batches can finish out of order.
        let mut problems = Vec::new();
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut next = 0;
        for (seq, outcome) in done_rx {
            pending.insert(seq, outcome);
            while let Some(outcome) = pending.remove(&next) {
                next += 1;
                for (line, result) in outcome {
                    let pushed = result.and_then(|scored| builder.push(scored, line));
                    if let Err(found) = pushed {
                        problems.extend(found);
                    }
                }
            }
        }
        let lines = reader
            .join()
            .map_err(|_| std::io::Error::other("the reading thread failed"))??;
        Ok((lines, problems))
    })
}

fn work(
    batches: &Mutex<Receiver<Batch>>,
    catalog: &Catalog<'_>,
    done: &std::sync::mpsc::SyncSender<(usize, Outcome)>,
) {
    loop {
        let next = match batches.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(batch) = next else { return };
        let outcome = batch
            .lines
            .into_iter()
            .map(|(line, range)| (line, score_line(catalog, &batch.text[range], line)))
            .collect();
        if done.send((batch.seq, outcome)).is_err() {
            return;
        }
    }
}

fn write_report(report: &sirr_scoring::report::Report, out: Option<&Path>) -> Result<(), String> {
    match out {
        Some(path) => {
            // Write next to the target and rename, so a failed run never leaves half a report.
            let tmp = path.with_extension("partial");
            let file =
                File::create(&tmp).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
            let mut w = BufWriter::with_capacity(1 << 20, file);
            serde_json::to_writer(&mut w, report)
                .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
            w.write_all(b"\n")
                .and_then(|()| w.flush())
                .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
            drop(w);
            std::fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
            serde_json::to_writer(&mut w, report)
                .map_err(|e| format!("cannot write the report: {e}"))?;
            w.write_all(b"\n")
                .and_then(|()| w.flush())
                .map_err(|e| format!("cannot write the report: {e}"))
        }
    }
}
