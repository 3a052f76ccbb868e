//! A small deterministic PRNG: SplitMix64 seeding a xoshiro256**, with portable floating point.
//!
//! Everything here uses only IEEE-754 `+ − × ÷` and `sqrt` (which are correctly rounded on
//! every platform), never the platform's `ln`/`sin`/`cos`, so the same seed gives bit-identical
//! numbers on every machine.

/// SplitMix64: a tiny generator used to seed xoshiro and as a cheap per-item stream.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in [0, 1), 53 bits.
    pub(crate) fn f64(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// Uniform integer in `0..n` (`0` when `n == 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        below(self.next_u64(), n)
    }
}

/// The SplitMix64 output function: a good 64-bit mixer.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Derives an independent seed from a seed and a stream number.
pub(crate) fn derive(seed: u64, stream: u64) -> u64 {
    mix(seed ^ mix(stream.wrapping_add(0x5851_F42D_4C95_7F2D)))
}

fn unit(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn below(x: u64, n: usize) -> usize {
    // Multiply-shift: unbiased enough for simulation, and portable.
    ((u128::from(x) * n as u128) >> 64) as usize
}

/// xoshiro256**, seeded by SplitMix64.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        let mut sm = SplitMix64::new(seed);
        let s = [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()];
        Rng { s }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub(crate) fn f64(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// Uniform in [lo, hi).
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// Uniform integer in `0..n` (`0` when `n == 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        below(self.next_u64(), n)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal by the polar form of the Box–Muller transform (Marsaglia).
    pub(crate) fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.f64() - 1.0;
            let v = 2.0 * self.f64() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// Normal with mean `mean` and standard deviation `sd`.
    pub(crate) fn gauss(&mut self, mean: f64, sd: f64) -> f64 {
        mean + sd * self.normal()
    }

    /// Index drawn with probability proportional to the cumulative weights `cum` (ascending,
    /// last = total). Empty input gives 0.
    pub(crate) fn weighted(&mut self, cum: &[f64]) -> usize {
        let Some(&total) = cum.last() else { return 0 };
        let x = self.f64() * total;
        cum.partition_point(|&c| c <= x).min(cum.len() - 1)
    }

    /// Fisher–Yates shuffle.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Natural logarithm of a positive finite `x`, from basic arithmetic only (portable to the bit).
pub(crate) fn ln(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::NEG_INFINITY;
    }
    // fdlibm's split of ln 2: the high part has trailing zero bits, so e·LN2_HI is exact.
    let ln2_hi = f64::from_bits(0x3FE6_2E42_FEE0_0000);
    let ln2_lo = f64::from_bits(0x3DEA_39EF_3579_3C76);
    let mut x = x;
    let mut e: i64 = 0;
    if x < f64::MIN_POSITIVE {
        x *= 18_014_398_509_481_984.0; // 2^54
        e -= 54;
    }
    let bits = x.to_bits();
    e += ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln m = 2·atanh(t), t = (m − 1)/(m + 1), |t| ≤ 0.1716.
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let mut term = t;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..14 {
        sum += term / k;
        term *= t2;
        k += 2.0;
    }
    let e = e as f64;
    e * ln2_hi + (2.0 * sum + e * ln2_lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_matches_std() {
        for &x in &[
            1e-300, 1e-10, 0.001, 0.3, 0.5, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300,
        ] {
            let (a, b) = (ln(x), x.ln());
            assert!((a - b).abs() <= 1e-14 * b.abs().max(1.0), "{x}: {a} vs {b}");
        }
    }

    #[test]
    fn normal_moments() {
        let mut r = Rng::new(7);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
    }

    #[test]
    fn weighted_picks_by_weight() {
        let mut r = Rng::new(1);
        let cum = [1.0, 1.0, 4.0];
        let mut counts = [0; 3];
        for _ in 0..4000 {
            counts[r.weighted(&cum)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > 2 * counts[0]);
    }
}
