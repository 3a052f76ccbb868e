//! Validation speed: loading a 1,000-item checklist, and checking 100,000 visits' answers.
//!
//! Run with `cargo bench -p sirr-checklist --bench validation`; figures go in docs/benchmarks.md.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Map, Value, json};
use sirr_checklist::{AnswerChecker, Completeness};

const ITEMS: usize = 1_000;
const SECTIONS: usize = 20;

/// A deterministic generator, so every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Item `i`'s type; every tenth item is shown only when the yes/no item before it is "yes".
fn kind_of(i: usize) -> &'static str {
    match i % 10 {
        0 | 1 | 8 => "yes_no",
        2 => "scale",
        3 => "choice",
        4 => "number",
        5 => "multi_choice",
        6 => "duration",
        7 => "text",
        _ => "scale",
    }
}

fn checklist_document() -> Value {
    let per = ITEMS / SECTIONS;
    let sections: Vec<Value> = (0..SECTIONS)
        .map(|s| {
            let items: Vec<Value> = (s * per..(s + 1) * per)
                .map(|i| {
                    let mut item = json!({
                        "key": format!("q{i}"), "type": kind_of(i), "weight": 1 + i % 3,
                        "text": {"en": format!("Observable behaviour {i}"), "ar": format!("سلوك ملحوظ رقم {i}")},
                        "owner": "operations", "na_allowed": i % 7 == 0,
                    });
                    match kind_of(i) {
                        "scale" => { item["min"] = json!(1); item["max"] = json!(5); }
                        "choice" | "multi_choice" => {
                            item["options"] = json!([{"key": "full", "score": 1}, {"key": "partial", "score": 0.5}, {"key": "none", "score": 0}, {"key": "unsure"}]);
                        }
                        "number" | "duration" => {
                            item["bands"] = json!([{"max": 5, "score": 1}, {"max": 10, "score": 0.5}, {"score": 0}]);
                        }
                        _ => {}
                    }
                    if i % 10 == 9 {
                        item["show_if"] = json!(format!("q{} == 'yes'", i - 1));
                    }
                    item
                })
                .collect();
            json!({"key": format!("s{s}"), "title": {"en": format!("Section {s}"), "ar": format!("القسم {s}")}, "items": items})
        })
        .collect();
    json!({"key": "bench", "version": 1, "languages": ["en", "ar"], "title": {"en": "Benchmark", "ar": "قياس"}, "sections": sections})
}

fn visit(rng: &mut Lcg) -> Map<String, Value> {
    let mut answers = Map::new();
    for i in 0..ITEMS {
        if i % 10 == 9 && answers.get(&format!("q{}", i - 1)) != Some(&json!("yes")) {
            continue; // hidden
        }
        if i % 7 == 0 && rng.below(10) == 0 {
            answers.insert(format!("q{i}"), json!("na"));
            continue;
        }
        let v = match kind_of(i) {
            "yes_no" => json!(if rng.below(4) == 0 { "no" } else { "yes" }),
            "scale" => json!(1 + rng.below(5)),
            "choice" => json!(["full", "partial", "none", "unsure"][rng.below(4) as usize]),
            "multi_choice" => json!(["full", "none"]),
            "number" | "duration" => json!(rng.below(15)),
            _ => json!("الموظف رحّب بي بابتسامة"),
        };
        answers.insert(format!("q{i}"), v);
    }
    answers
}

fn bench(c: &mut Criterion) {
    let doc = checklist_document();
    let text = serde_json::to_string(&doc).unwrap_or_default();
    let mut group = c.benchmark_group("checklist");
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.bench_function("load_and_validate_1000_items", |b| {
        b.iter(|| {
            let (c, _) =
                sirr_checklist::from_json_str(black_box(&text)).unwrap_or_else(|e| panic!("{e}"));
            black_box(c)
        })
    });
    group.finish();

    let (checklist, _) = sirr_checklist::from_json_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let checker = AnswerChecker::new(&checklist);
    let mut rng = Lcg(42);
    // 1,000 distinct visits, cycled: 100,000 visits of 1,000 items each would need ~10 GB as JSON values.
    let pool: Vec<Map<String, Value>> = (0..1_000).map(|_| visit(&mut rng)).collect();
    for v in &pool {
        if let Err(problems) = checker.check(v, None, Completeness::Submission) {
            panic!(
                "generated visit is invalid: {:?}",
                &problems[..problems.len().min(3)]
            );
        }
    }

    let mut group = c.benchmark_group("answers");
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.bench_function("check_one_visit_1000_items", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % pool.len();
            black_box(
                checker
                    .check(black_box(&pool[i]), None, Completeness::Submission)
                    .is_ok(),
            )
        })
    });
    group.sample_size(10);
    let visits = 100_000u64;
    group.throughput(Throughput::Elements(visits * ITEMS as u64));
    group.bench_with_input(
        BenchmarkId::new("check_visits_1000_items", visits),
        &visits,
        |b, &n| {
            b.iter(|| {
                let mut ok = 0u64;
                for i in 0..n as usize {
                    ok += u64::from(
                        checker
                            .check(&pool[i % pool.len()], None, Completeness::Submission)
                            .is_ok(),
                    );
                }
                assert_eq!(ok, n);
                ok
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
