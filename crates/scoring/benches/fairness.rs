//! Fairness fit at the target scale: 1,000,000 visits, 5,000 branches, 800 shoppers, with
//! scenario, weekday, hour band, checklist version and month factors (docs/benchmarks.md); and
//! the same with the fixed region and shopper home-region factors the report adds where
//! shoppers work mostly in one region (docs/scoring.md §3.1), as on the study's large design.

use criterion::{Criterion, criterion_group, criterion_main};
use sirr_scoring::fair::{Design, FitOptions, fit};

/// SplitMix64, enough for synthetic data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> u32 {
        ((self.next() * n as f64) as usize).min(n - 1) as u32
    }
    fn normal(&mut self) -> f64 {
        let (a, b) = (self.next().max(1e-300), self.next());
        (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
    }
}

/// Shoppers work mostly in their home region (10 regions), and severity differs by region.
pub fn design(visits: usize, branches: usize, shoppers: usize) -> Design {
    build(visits, branches, shoppers, false)
}

/// The same visits with two more fixed factors: the branch's region and the shopper's home
/// region (the region of shopper s is s mod 10, which 80% of their visits are in).
pub fn design_with_regions(visits: usize, branches: usize, shoppers: usize) -> Design {
    build(visits, branches, shoppers, true)
}

fn build(visits: usize, branches: usize, shoppers: usize, with_regions: bool) -> Design {
    let mut rng = Rng(2026);
    let regions = 10;
    let quality: Vec<f64> = (0..branches).map(|_| 0.7 + 0.08 * rng.normal()).collect();
    let severity: Vec<f64> = (0..shoppers)
        .map(|s| 0.03 * ((s % regions) as f64 - 4.5) / 4.5 + 0.04 * rng.normal())
        .collect();
    let mut factors = vec![
        ("branch", branches),
        ("shopper", shoppers),
        ("scenario", 3),
        ("weekday", 7),
        ("hour band", 4),
        ("checklist version", 2),
        ("period", 6),
    ];
    if with_regions {
        factors.extend([("region", regions), ("shopper home region", regions)]);
    }
    let mut d = Design::new(&factors);
    if with_regions {
        for f in [7, 8] {
            d.optional(f);
            d.fixed(f);
        }
    }
    d.reserve(visits);
    let per_region = shoppers / regions;
    for _ in 0..visits {
        let b = rng.below(branches);
        let s = if rng.next() < 0.8 {
            (rng.below(per_region) as usize * regions + b as usize % regions).min(shoppers - 1)
                as u32
        } else {
            rng.below(shoppers)
        };
        let mut levels = vec![
            b,
            s,
            rng.below(3),
            rng.below(7),
            rng.below(4),
            rng.below(2),
            rng.below(6),
        ];
        if with_regions {
            levels.extend([b % regions as u32, s % regions as u32]);
        }
        let y = quality[b as usize] + severity[s as usize] + 0.02 * f64::from(levels[2])
            - 0.03 * f64::from(u32::from(levels[4] == 1))
            + 0.15 * rng.normal();
        d.push(y.clamp(0.0, 1.0), 1.0, &levels);
    }
    d
}

fn fairness(c: &mut Criterion) {
    let d = design(1_000_000, 5_000, 800);
    let mut group = c.benchmark_group("fairness");
    group.sample_size(10);
    group.bench_function("fit 1M visits, 5000 branches, 800 shoppers", |b| {
        b.iter(|| fit(&d, FitOptions::default()))
    });
    let with_regions = design_with_regions(1_000_000, 5_000, 800);
    group.bench_function(
        "fit 1M visits, 5000 branches, 800 shoppers, regions and home regions",
        |b| b.iter(|| fit(&with_regions, FitOptions::default())),
    );
    group.finish();
    for d in [&d, &with_regions] {
        let f = fit(d, FitOptions::default());
        eprintln!(
            "converged {} after {} variance updates, {} passes over the data; sd {:?}",
            f.converged,
            f.iterations,
            f.passes,
            f.factors
                .iter()
                .map(|f| (f.name.as_str(), f.sd))
                .collect::<Vec<_>>()
        );
    }
}

criterion_group!(benches, fairness);
criterion_main!(benches);
