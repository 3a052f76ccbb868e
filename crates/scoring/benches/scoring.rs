//! Visit scoring throughput: item answers scored per second on one core, over answers already
//! checked against their checklist (SPEC §4 rules), and the whole line path for reference
//! (JSON parsing, answer checking and scoring). Figures go to docs/benchmarks.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sirr_checklist::{AnswerChecker, Completeness};
use sirr_demo::{DemoOptions, generate};
use sirr_scoring::catalog::{Catalog, score_line};
use sirr_scoring::score::score_visit;

fn bank() -> sirr_checklist::Checklist {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/checklists/bank-branch-visit.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match sirr_checklist::from_json_str(&text) {
        Ok((c, _)) => c,
        Err(e) => panic!("{path}: {e}"),
    }
}

fn scoring(c: &mut Criterion) {
    let checklist = bank();
    let options = DemoOptions {
        branches: 200,
        calibration_share: 0.0,
        ..DemoOptions::default()
    };
    let demo = match generate(std::slice::from_ref(&checklist), &options) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let checker = AnswerChecker::new(&checklist);
    let checked: Vec<_> = demo
        .visits
        .iter()
        .filter_map(|v| {
            checker
                .check(&v.answers, v.evidence.as_ref(), Completeness::Submission)
                .ok()
        })
        .collect();
    let items = checklist.items().count();
    let mut group = c.benchmark_group("scoring");
    group.throughput(Throughput::Elements((checked.len() * items) as u64));
    group.bench_function(
        format!("score {} visits x {items} items", checked.len()),
        |b| {
            b.iter(|| {
                let mut total = 0.0;
                for answers in &checked {
                    total += score_visit(&checklist, answers).score.unwrap_or(0.0);
                }
                total
            })
        },
    );

    let lines: Vec<String> = demo
        .visits
        .iter()
        .map(|v| v.to_json().to_string())
        .collect();
    let checklists = vec![checklist.clone()];
    let catalog = match Catalog::new(&checklists) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    group.throughput(Throughput::Elements((lines.len() * items) as u64));
    group.bench_function(
        format!("parse, check and score {} lines", lines.len()),
        |b| {
            b.iter(|| {
                lines
                    .iter()
                    .enumerate()
                    .filter(|(i, text)| score_line(&catalog, text, *i + 1).is_ok())
                    .count()
            })
        },
    );
    group.bench_function(format!("parse {} lines", lines.len()), |b| {
        b.iter(|| {
            lines
                .iter()
                .enumerate()
                .filter(|(i, text)| sirr_scoring::visit::parse_line(text, *i + 1).is_ok())
                .count()
        })
    });
    group.bench_function(
        format!("check answers of {} visits", demo.visits.len()),
        |b| {
            b.iter(|| {
                demo.visits
                    .iter()
                    .filter(|v| {
                        checker
                            .check(&v.answers, v.evidence.as_ref(), Completeness::Submission)
                            .is_ok()
                    })
                    .count()
            })
        },
    );
    group.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
