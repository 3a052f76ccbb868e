//! Time per PDF coaching report: rendering one branch's report model (layout, bidi, shaping,
//! charts, font subsetting, serialisation) in English and in Arabic.
//!
//! Also shaping alone: one run without spaces of 10k and 100k characters (`shaping`).
//!
//! Self-contained: it generates the demo data `bench/report_load.sh` uses (seed 2026, 3
//! regions, 24 branches, 12 shoppers, 6 months), scores it, and builds the model of the first
//! branch for its last month, as `sirr report` does. Run with
//! `cargo bench -p sirr-server --bench report`; figures go in docs/benchmarks.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;
use sirr_report::text::{Dir, Fonts, Weight};
use sirr_report::{Lang, render};
use sirr_server::commands::demo::{self, DemoArgs};
use sirr_server::commands::report::{ReportArgs, build};
use sirr_server::commands::score::{self, ScoreArgs};

const CHECKLISTS: [&str; 3] = [
    "bank-branch-visit.json",
    "retail-store-visit.json",
    "government-service-centre-visit.json",
];

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/checklists");
    let checklists: Vec<PathBuf> = CHECKLISTS.iter().map(|c| examples.join(c)).collect();
    let (visits, scores) = (
        dir.path().join("visits.jsonl"),
        dir.path().join("scores.json"),
    );
    let generated = demo::run(&DemoArgs {
        checklists: checklists.clone(),
        options: sirr_demo::DemoOptions {
            seed: 2026,
            regions: 3,
            branches: 24,
            shoppers: 12,
            months: 6,
            ..sirr_demo::DemoOptions::default()
        },
        out: Some(visits.clone()),
        truth: None,
        organisation: None,
    });
    assert_eq!(generated, std::process::ExitCode::SUCCESS);
    let scored = score::run(&ScoreArgs {
        checklists: checklists.clone(),
        visits: visits.clone(),
        period: sirr_scoring::period::PeriodKind::Month,
        out: Some(scores.clone()),
        skip_invalid: false,
    });
    assert_eq!(scored, std::process::ExitCode::SUCCESS);
    let report: Value = serde_json::from_slice(&std::fs::read(&scores).unwrap()).unwrap();
    let branch = report["branches"][0]["key"].as_str().unwrap().to_owned();
    let period = report["periods"].as_array().unwrap().last().unwrap()["period"]
        .as_str()
        .unwrap()
        .to_owned();
    for lang in [Lang::En, Lang::Ar] {
        let model = build(&ReportArgs {
            scores: scores.clone(),
            checklists: checklists.clone(),
            visits: visits.clone(),
            branch: branch.clone(),
            period: Some(period.clone()),
            lang,
            organisation: "Sirr Demo Bank".into(),
            out: dir.path().join("unused.pdf"),
            model: None,
        })
        .unwrap();
        let bytes = render(&model).unwrap();
        eprintln!("{branch} {period} {}: {} bytes", lang.tag(), bytes.len());
        c.bench_function(&format!("render report {}", lang.tag()), |b| {
            b.iter(|| render(black_box(&model)).unwrap())
        });
    }
}

/// Shaping one run without spaces (issue 16, finding 1: quadratic before, 100k characters took
/// 14 s): 10k and 100k characters of Latin and of Arabic. Linear shaping takes ten times as long
/// for ten times the text.
fn shaping(c: &mut Criterion) {
    let mut doc = printpdf::PdfDocument::new("bench");
    let fonts = Fonts::embed(&mut doc).unwrap();
    let mut group = c.benchmark_group("shape run without spaces");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        for (script, text, dir) in [
            ("latin", "a".repeat(n), Dir::Ltr),
            (
                "arabic",
                "بحث".chars().cycle().take(n).collect::<String>(),
                Dir::Rtl,
            ),
        ] {
            group.bench_function(format!("{script} {n}"), |b| {
                b.iter(|| fonts.shape(black_box(&text), 10.0, Weight::Regular, dir))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench, shaping
}
criterion_main!(benches);
