//! `sirr report`: the PDF coaching report of one branch, offline, from the output of
//! `sirr score` (headline scores, rank, trend, the organisation's item verdicts), the checklist
//! files (texts in the report's language) and the visits file (section and item results of the
//! branch, its region and the organisation, and the shoppers' comments).
//!
//! Offline files carry codes, not names, so the branch and region are named by their codes;
//! there is no action plan, so the table holds empty rows for the session.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Map, Value};
use sirr_checklist::{AnswerChecker, Checklist};
use sirr_scoring::catalog::Catalog;
use sirr_scoring::period::{PeriodKind, parse_label, period_of};
use sirr_scoring::report::{
    Aggregate, Breakdowns, PeriodResult, Report as ScoreReport, ReportBuilder, ReportOptions,
    Summary,
};

use super::score::{load_checklists, read_visits};
use sirr_report::evidence::Evidence;
use sirr_report::model::{Facts, Kind, Point, Previous, Rank};
use sirr_report::{self as report, Lang};

const UNUSABLE: u8 = 2;

/// What `sirr report` was asked to do.
#[derive(Debug, Clone)]
pub struct ReportArgs {
    /// `sirr score` output.
    pub scores: PathBuf,
    /// Checklist documents.
    pub checklists: Vec<PathBuf>,
    /// The visits the scores were computed from.
    pub visits: PathBuf,
    /// Branch code.
    pub branch: String,
    /// `YYYY-MM`, `YYYY-Qn`, `YYYY-Www`; `None` for every visit in the file.
    pub period: Option<String>,
    /// Report language.
    pub lang: Lang,
    /// Organisation name printed in the header.
    pub organisation: String,
    /// Output file.
    pub out: PathBuf,
    /// Also write the report model as JSON here (what the PDF shows, for checks and for
    /// rendering the same report by other means, as bench/report_html.py does).
    pub model: Option<PathBuf>,
}

/// Runs `sirr report`. Exit status 0 on success, 2 when an input is unusable.
pub fn run(args: &ReportArgs) -> ExitCode {
    match make(args) {
        Ok(bytes) => match write(&args.out, &bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("sirr: {e}");
                ExitCode::from(UNUSABLE)
            }
        },
        Err(e) => {
            eprintln!("sirr: {e}");
            ExitCode::from(UNUSABLE)
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("partial");
    std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Ranks by fair score among `entries` (1 = best; ties by key), for the one with `key`.
fn rank_among<'a>(
    entries: impl Iterator<Item = (&'a str, Option<f64>)>,
    key: &str,
) -> Option<Rank> {
    let mut ranked: Vec<(f64, &str)> = entries.filter_map(|(k, fair)| Some((fair?, k))).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let rank = ranked.iter().position(|(_, k)| *k == key)? + 1;
    Some(Rank {
        rank,
        of: ranked.len(),
    })
}

/// The visit lines of the period (all when `None`), and their parsed JSON.
fn read_lines(
    path: &Path,
    period: Option<(PeriodKind, &str)>,
) -> Result<(String, Vec<Value>), String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (mut kept, mut values) = (String::new(), Vec::new());
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        if let Some((kind, label)) = period {
            let at = value["visited_at"].as_str().unwrap_or_default();
            if period_of(at, kind).ok().as_deref() != Some(label) {
                continue;
            }
        }
        kept.push_str(&line);
        kept.push('\n');
        values.push(value);
    }
    Ok((kept, values))
}

fn breakdowns(
    checklists: &[Checklist],
    lines: &str,
    kind: PeriodKind,
) -> Result<Breakdowns, String> {
    let catalog = Catalog::new(checklists)?;
    let options = ReportOptions {
        period: kind,
        ..ReportOptions::default()
    };
    let mut builder = ReportBuilder::with_breakdowns(&catalog, options);
    let (_, problems) = read_visits(lines.as_bytes(), &catalog, &mut builder)
        .map_err(|e| format!("cannot read the visits: {e}"))?;
    if let Some(p) = problems.first() {
        return Err(format!(
            "the visits file has invalid lines (line {}: {}); run `sirr score` on it first",
            p.line, p.problem
        ));
    }
    Ok(builder.finish_with_breakdowns().1)
}

fn evidence(checklists: &[Checklist], visits: &[Value], branch: &str) -> Evidence {
    let checkers: Vec<AnswerChecker<'_>> = checklists.iter().map(AnswerChecker::new).collect();
    let mut evidence = Evidence::default();
    for v in visits
        .iter()
        .filter(|v| v["branch"].as_str() == Some(branch))
    {
        let found = checklists.iter().position(|c| {
            Some(c.key.as_str()) == v["checklist"].as_str()
                && Some(u64::from(c.version)) == v["checklist_version"].as_u64()
        });
        let Some(i) = found else { continue };
        let empty = Map::new();
        let answers = v["answers"].as_object().unwrap_or(&empty);
        let comments: BTreeMap<String, String> = v["comments"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, t)| Some((k.clone(), t.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        evidence.add_visit(&checklists[i], &checkers[i], answers, &comments, &[]);
    }
    evidence
}

fn make(args: &ReportArgs) -> Result<Vec<u8>, String> {
    let model = build(args)?;
    if let Some(path) = &args.model {
        let json = serde_json::to_vec_pretty(&model).map_err(|e| e.to_string())?;
        write(path, &json)?;
    }
    report::render(&model).map_err(|e| e.to_string())
}

/// The report model of `args` (everything but rendering; the benchmark times the rest).
///
/// # Errors
/// A message naming the input that cannot be read or does not fit.
pub fn build(args: &ReportArgs) -> Result<report::Report, String> {
    let scores: ScoreReport = std::fs::read_to_string(&args.scores)
        .map_err(|e| format!("cannot read {}: {e}", args.scores.display()))
        .and_then(|t| {
            serde_json::from_str(&t).map_err(|e| {
                format!(
                    "{}: not the output of `sirr score`: {e}",
                    args.scores.display()
                )
            })
        })?;
    let checklists =
        load_checklists(&args.checklists).map_err(|()| "a checklist is unusable".to_owned())?;
    let period = match &args.period {
        Some(p) => Some(parse_label(p).map_err(|e| format!("--period: {e}"))?),
        None => None,
    };
    let (lines, visits) = read_lines(&args.visits, period.as_ref().map(|(k, l)| (*k, l.as_str())))?;
    let kind = period.as_ref().map_or(PeriodKind::Month, |(k, _)| *k);
    let groups = breakdowns(&checklists, &lines, kind)?;

    let key = args.branch.as_str();
    let entry = scores
        .branches
        .iter()
        .find(|b| b.key == key)
        .ok_or_else(|| format!("branch {key} is not in {}", args.scores.display()))?;
    let region = entry.region.clone();
    let label = period.as_ref().map(|(_, l)| l.clone());
    let in_period = |p: &'_ PeriodResult| -> Option<Summary> {
        p.branches
            .iter()
            .find(|b| b.key.as_deref() == Some(key))
            .map(Aggregate::summary)
    };

    // Headline and rank: over the whole file, or from the period's entry.
    let (summary, peers): (Summary, Vec<(&str, Option<f64>)>) = match &label {
        None => (
            entry.summary(),
            scores
                .branches
                .iter()
                .map(|b| (b.key.as_str(), b.fair_score))
                .collect(),
        ),
        Some(l) => {
            let p = scores
                .periods
                .iter()
                .find(|p| p.period == *l)
                .ok_or_else(|| {
                    format!(
                        "period {l} is not in {} (score with the same --period)",
                        args.scores.display()
                    )
                })?;
            (
                in_period(p).unwrap_or_default(),
                p.branches
                    .iter()
                    .filter_map(|b| Some((b.key.as_deref()?, b.fair_score)))
                    .collect(),
            )
        }
    };
    let region_of: BTreeMap<&str, &str> = scores
        .branches
        .iter()
        .filter_map(|b| Some((b.key.as_str(), b.region.as_deref()?)))
        .collect();
    let rank = rank_among(peers.iter().copied(), key);
    let region_rank = region.as_deref().and_then(|r| {
        rank_among(
            peers
                .iter()
                .copied()
                .filter(|(k, _)| region_of.get(k) == Some(&r)),
            key,
        )
    });
    let upto: Vec<&PeriodResult> = scores
        .periods
        .iter()
        .filter(|p| label.as_deref().is_none_or(|l| p.period.as_str() <= l))
        .collect();
    let trend = upto
        .iter()
        .filter_map(|p| {
            let b = in_period(p)?;
            Some(Point {
                period: p.period.clone(),
                fair: b.fair_score,
                raw: b.raw_score,
            })
        })
        .collect();
    let previous = label.as_ref().and_then(|_| {
        let earlier = upto.iter().rev().nth(1)?;
        Some(Previous {
            period: earlier.period.clone(),
            fair_score: in_period(earlier).and_then(|b| b.fair_score),
        })
    });
    let organisation_items = &scores.items;

    let find = |list: &[sirr_scoring::report::GroupBreakdown], k: Option<&str>| {
        list.iter().find(|g| g.key.as_deref() == k).cloned()
    };
    let own = find(&groups.branches, Some(key));
    let region_group = find(&groups.regions, region.as_deref());
    let own_sections = own.as_ref().map(|g| g.sections.clone()).unwrap_or_default();
    let own_items = own.as_ref().map(|g| g.items.clone()).unwrap_or_default();
    let region_sections = region_group
        .as_ref()
        .map(|g| g.sections.clone())
        .unwrap_or_default();
    let org_sections = &groups.organisation.sections;
    let evidence = evidence(&checklists, &visits, key);

    Ok(report::assemble(&Facts {
        lang: args.lang,
        kind: Kind::Branch,
        organisation: args.organisation.clone(),
        name: key.to_owned(),
        code: key.to_owned(),
        parent: region,
        period: label,
        summary,
        previous,
        rank,
        region_rank,
        trend,
        sections: &own_sections,
        group_sections: &region_sections,
        organisation_sections: org_sections,
        items: &own_items,
        organisation_items,
        checklists: &checklists,
        evidence: &evidence,
        actions: &[],
    }))
}
