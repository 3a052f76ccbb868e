//! Inter-rater agreement: Krippendorff's alpha for calibration encounters.
//!
//! Several shoppers rate the same service encounter (a calibration group, SPEC §4). Each
//! encounter is a *unit*; its values are the ratings the shoppers gave (one per shopper who rated
//! it, missing ratings simply absent). Alpha compares the disagreement observed within units with
//! the disagreement expected by chance from all pairable values:
//!
//! ```text
//! α = 1 − D_o / D_e
//! D_o = (1/n) · Σ_u  1/(m_u − 1) · Σ_{i≠j in u} δ(v_i, v_j)
//! D_e = 1/(n(n − 1)) · Σ_{i≠j over all pairable values} δ(v_i, v_j)
//! ```
//!
//! where `m_u` is the number of values in unit `u` and `n = Σ m_u` counts only units with at least
//! two values (the coincidence-matrix formulation of Krippendorff, "Computing Krippendorff's
//! Alpha-Reliability", 2011). α = 1 is perfect agreement, α = 0 agreement at chance level, and
//! α < 0 systematic disagreement.
//!
//! ```
//! use sirr_scoring::agreement::{krippendorff_alpha, Metric};
//! let units = vec![vec![1.0, 1.0], vec![0.0, 0.0, 0.0], vec![1.0, 1.0]];
//! assert_eq!(krippendorff_alpha(&units, Metric::Nominal), Some(1.0));
//! assert_eq!(krippendorff_alpha(&[vec![1.0, 1.0]], Metric::Nominal), None); // no variation
//! ```

use serde::{Deserialize, Serialize};

/// How unequal two ratings are (the difference function δ of alpha).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Category codes: δ = 0 when the values are equal (compared exactly), else 1. For yes/no
    /// and choice items.
    Nominal,
    /// Numbers on an interval scale: δ = (a − b)². For scores and scales.
    Interval,
}

/// Krippendorff's alpha for `units`, each holding the values several raters gave one encounter.
///
/// Units with fewer than two values are not pairable and are ignored; non-finite values (NaN,
/// ±∞) are treated as missing. The result does not depend on the order of units or of values
/// within a unit (up to floating-point rounding in the interval metric).
///
/// Returns `None` — never NaN — when no unit is pairable, when the pairable values show no
/// variation at all (`D_e = 0`, where alpha is undefined), or when the values are so large that
/// the squared differences overflow.
#[must_use]
pub fn krippendorff_alpha(units: &[Vec<f64>], metric: Metric) -> Option<f64> {
    let units: Vec<Vec<f64>> = units
        .iter()
        .map(|unit| {
            let mut values: Vec<f64> = unit.iter().copied().filter(|v| v.is_finite()).collect();
            // A canonical order makes the result independent of the raters' order.
            values.sort_by(f64::total_cmp);
            values
        })
        .filter(|values| values.len() >= 2)
        .collect();
    let mut all: Vec<f64> = units.iter().flatten().copied().collect();
    if all.is_empty() {
        return None;
    }
    if all.iter().all(|&v| v == all[0]) {
        return None;
    }
    // Only the nominal metric needs the values grouped (runs of equal values).
    if metric == Metric::Nominal {
        all.sort_by(f64::total_cmp);
    }
    let n = all.len() as f64;
    let alpha = match metric {
        Metric::Nominal => {
            // Σ_{i≠j} δ over a set of values = m² − Σ_c m_c² (pairs in different categories).
            let disagreeing_pairs = |values: &[f64]| -> f64 {
                let m = values.len() as f64;
                let same: f64 = run_lengths(values).map(|c| (c as f64) * (c as f64)).sum();
                m * m - same
            };
            let observed: f64 = units
                .iter()
                .map(|u| disagreeing_pairs(u) / (u.len() as f64 - 1.0))
                .sum();
            let expected = disagreeing_pairs(&all);
            // α = 1 − D_o/D_e = 1 − (n − 1)·Σ_u(…)/Σ_all(…).
            1.0 - (n - 1.0) * observed / expected
        }
        Metric::Interval => {
            // Σ_{i≠j} (v_i − v_j)² over a set of m values = 2m·Σ(v − mean)².
            let pair_sum = |values: &[f64]| -> f64 {
                let m = values.len() as f64;
                2.0 * m * sum_of_squares(values)
            };
            let observed: f64 = units
                .iter()
                .map(|u| pair_sum(u) / (u.len() as f64 - 1.0))
                .sum();
            let expected = pair_sum(&all);
            1.0 - (n - 1.0) * observed / expected
        }
    };
    alpha.is_finite().then_some(alpha)
}

/// Lengths of the runs of equal values in sorted `values`.
fn run_lengths(values: &[f64]) -> impl Iterator<Item = usize> + '_ {
    values.chunk_by(|a, b| a == b).map(<[f64]>::len)
}

/// Σ(v − mean)², exactly 0 when all values are equal.
fn sum_of_squares(values: &[f64]) -> f64 {
    let Some(&first) = values.first() else {
        return 0.0;
    };
    if values.iter().all(|&v| v == first) {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.iter().map(|&v| (v - mean) * (v - mean)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const M: f64 = f64::NAN;

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    /// observers (rows) × twelve units (columns), missing values marked `M`.
    fn reliability_data() -> Vec<Vec<f64>> {
        let observers = [
            [1.0, 2.0, 3.0, 3.0, 2.0, 1.0, 4.0, 1.0, 2.0, M, M, M],
            [1.0, 2.0, 3.0, 3.0, 2.0, 2.0, 4.0, 1.0, 2.0, 5.0, M, 3.0],
            [M, 3.0, 3.0, 3.0, 2.0, 3.0, 4.0, 2.0, 2.0, 5.0, 1.0, M],
            [1.0, 2.0, 3.0, 3.0, 2.0, 4.0, 4.0, 1.0, 2.0, 5.0, 1.0, M],
        ];
        (0..12)
            .map(|u| {
                observers
                    .iter()
                    .map(|row| row[u])
                    .filter(|v| !v.is_nan())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn krippendorff_2011_worked_example() {
        let units = reliability_data();
        let nominal = krippendorff_alpha(&units, Metric::Nominal).unwrap();
        let interval = krippendorff_alpha(&units, Metric::Interval).unwrap();
        assert!((nominal - 0.743).abs() < 5e-4, "nominal {nominal}");
        assert!((interval - 0.849).abs() < 5e-4, "interval {interval}");
        // Nominal by hand: n = 40 pairable values with category counts 9, 13, 10, 5, 3
        // (Σ n_c² = 384); the disagreeing ordered pairs within units 2, 6 and 8 are 6, 12 and 6,
        // each divided by m_u − 1 = 3, so α = 1 − 39·8/(1600 − 384) = 0.74342…
        let exact = 1.0 - 39.0 * 8.0 / (1600.0 - 384.0);
        assert!((nominal - exact).abs() < 1e-14, "{nominal} vs {exact}");
    }

    #[test]
    fn krippendorff_2011_missing_marked_as_nan_is_the_same() {
        let observers = [
            [1.0, 2.0, 3.0, 3.0, 2.0, 1.0, 4.0, 1.0, 2.0, M, M, M],
            [1.0, 2.0, 3.0, 3.0, 2.0, 2.0, 4.0, 1.0, 2.0, 5.0, M, 3.0],
            [M, 3.0, 3.0, 3.0, 2.0, 3.0, 4.0, 2.0, 2.0, 5.0, 1.0, M],
            [1.0, 2.0, 3.0, 3.0, 2.0, 4.0, 4.0, 1.0, 2.0, 5.0, 1.0, M],
        ];
        let with_nan: Vec<Vec<f64>> = (0..12)
            .map(|u| observers.iter().map(|row| row[u]).collect())
            .collect();
        for metric in [Metric::Nominal, Metric::Interval] {
            assert_eq!(
                krippendorff_alpha(&with_nan, metric),
                krippendorff_alpha(&reliability_data(), metric)
            );
        }
    }

    #[test]
    fn krippendorff_binary_two_observer_example() {
        // Krippendorff (2011), section A: two observers, ten units, binary data; α = 0.095.
        let a = [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0];
        let b = [1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        let units: Vec<Vec<f64>> = a.iter().zip(&b).map(|(&x, &y)| vec![x, y]).collect();
        let alpha = krippendorff_alpha(&units, Metric::Nominal).unwrap();
        assert!((alpha - 0.095).abs() < 5e-4, "{alpha}");
        // With binary values δ_interval = δ_nominal, so both metrics agree.
        let interval = krippendorff_alpha(&units, Metric::Interval).unwrap();
        assert!((alpha - interval).abs() < 1e-12);
    }

    #[test]
    fn perfect_agreement_is_one() {
        let units = vec![
            vec![1.0, 1.0, 1.0],
            vec![0.5, 0.5],
            vec![0.0, 0.0, 0.0, 0.0],
            vec![0.75],
        ];
        assert_eq!(krippendorff_alpha(&units, Metric::Nominal), Some(1.0));
        assert_eq!(krippendorff_alpha(&units, Metric::Interval), Some(1.0));
    }

    #[test]
    fn undefined_cases_are_none() {
        assert_eq!(krippendorff_alpha(&[], Metric::Nominal), None);
        // No pairable unit.
        let singles = vec![vec![1.0], vec![0.0], vec![]];
        assert_eq!(krippendorff_alpha(&singles, Metric::Interval), None);
        // No variation at all.
        let same = vec![vec![1.0, 1.0], vec![1.0, 1.0, 1.0]];
        assert_eq!(krippendorff_alpha(&same, Metric::Nominal), None);
        assert_eq!(krippendorff_alpha(&same, Metric::Interval), None);
        // Variation only in an unpairable unit does not count.
        let only_single_differs = vec![vec![1.0, 1.0], vec![0.0]];
        assert_eq!(
            krippendorff_alpha(&only_single_differs, Metric::Nominal),
            None
        );
        // Overflowing squares give None, not NaN.
        let huge = vec![vec![1e300, -1e300], vec![1e300, 1e300]];
        assert_eq!(krippendorff_alpha(&huge, Metric::Interval), None);
        assert!(krippendorff_alpha(&huge, Metric::Nominal).is_some());
    }

    #[test]
    fn total_disagreement_is_negative() {
        // Every pair within a unit disagrees: worse than chance.
        let units = vec![vec![0.0, 1.0], vec![1.0, 0.0], vec![0.0, 1.0]];
        let alpha = krippendorff_alpha(&units, Metric::Nominal).unwrap();
        // D_o = 1, D_e = 2·3·3/(6·5) = 0.6 → α = 1 − 1/0.6.
        assert!((alpha - (1.0 - 1.0 / 0.6)).abs() < 1e-14);
    }

    #[test]
    fn nominal_compares_codes_exactly() {
        // 0.1 + 0.2 != 0.3: different codes for a nominal metric.
        let units = vec![vec![0.3, 0.1 + 0.2], vec![0.3, 0.3], vec![1.0, 1.0]];
        let alpha = krippendorff_alpha(&units, Metric::Nominal).unwrap();
        assert!(alpha < 1.0);
        // Negative and positive zero are the same code.
        let zeros = vec![vec![0.0, -0.0], vec![1.0, 1.0]];
        assert_eq!(krippendorff_alpha(&zeros, Metric::Nominal), Some(1.0));
    }

    #[test]
    fn interval_uses_squared_differences() {
        // Two units: {0, 1} and {0, 3}. n = 4, values 0, 0, 1, 3.
        // Observed: (2·1² + 2·3²)/1 = 20; expected pairs: Σ_{i≠j}(v_i − v_j)² = 2·4·Σ(v − 1)² = 48.
        // α = 1 − (n − 1)·20/48 = 1 − 60/48 = −0.25.
        let units = vec![vec![0.0, 1.0], vec![0.0, 3.0]];
        let alpha = krippendorff_alpha(&units, Metric::Interval).unwrap();
        assert!((alpha + 0.25).abs() < 1e-14, "{alpha}");
    }

    fn close(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * x.abs().max(1.0),
            _ => false,
        }
    }

    fn units_strategy() -> impl Strategy<Value = Vec<Vec<f64>>> {
        prop::collection::vec(
            prop::collection::vec((0u8..5).prop_map(f64::from), 0..6),
            0..15,
        )
    }

    proptest! {
        #[test]
        fn permuting_units_changes_nothing(
            (units, shuffled) in units_strategy()
                .prop_flat_map(|u| (Just(u.clone()), Just(u).prop_shuffle()))
        ) {
            for metric in [Metric::Nominal, Metric::Interval] {
                prop_assert!(close(
                    krippendorff_alpha(&units, metric),
                    krippendorff_alpha(&shuffled, metric)
                ));
            }
        }

        #[test]
        fn permuting_values_within_units_changes_nothing(
            (units, shuffled) in units_strategy().prop_flat_map(|u| {
                let shuffled: Vec<_> = u.iter().map(|v| Just(v.clone()).prop_shuffle()).collect();
                (Just(u), shuffled)
            })
        ) {
            for metric in [Metric::Nominal, Metric::Interval] {
                prop_assert!(close(
                    krippendorff_alpha(&units, metric),
                    krippendorff_alpha(&shuffled, metric)
                ));
            }
        }

        #[test]
        fn alpha_is_at_most_one_and_never_nan(units in units_strategy()) {
            for metric in [Metric::Nominal, Metric::Interval] {
                if let Some(alpha) = krippendorff_alpha(&units, metric) {
                    prop_assert!(alpha.is_finite() && alpha <= 1.0 + 1e-12);
                }
            }
        }

        #[test]
        fn interval_alpha_is_invariant_under_affine_rescaling(
            units in units_strategy(), scale in 0.1f64..10.0, shift in -5.0f64..5.0
        ) {
            let rescaled: Vec<Vec<f64>> = units
                .iter()
                .map(|u| u.iter().map(|v| v * scale + shift).collect())
                .collect();
            let (a, b) = (
                krippendorff_alpha(&units, Metric::Interval),
                krippendorff_alpha(&rescaled, Metric::Interval),
            );
            prop_assert_eq!(a.is_some(), b.is_some());
            if let (Some(a), Some(b)) = (a, b) {
                prop_assert!((a - b).abs() < 1e-9, "{} vs {}", a, b);
            }
        }

        #[test]
        fn nominal_alpha_ignores_category_names(units in units_strategy()) {
            // Any one-to-one relabelling of the categories.
            let relabelled: Vec<Vec<f64>> = units
                .iter()
                .map(|u| u.iter().map(|v| [7.0, -1.0, 0.5, 42.0, 3.0][*v as usize]).collect())
                .collect();
            prop_assert!(close(
                krippendorff_alpha(&units, Metric::Nominal),
                krippendorff_alpha(&relabelled, Metric::Nominal)
            ));
        }
    }
}
