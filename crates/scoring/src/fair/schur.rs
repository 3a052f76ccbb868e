//! Exact solutions and posterior covariances of Henderson's equations by eliminating one factor.
//!
//! Write θ = (θ_B, θ_O): the levels of the eliminated factor B (the branches; every observation
//! has exactly one, so its block of `C = X'WX + Λ` is diagonal, `D`) and everything else O (μ and
//! the levels of the other factors in the model). With `E` the B × O block,
//!
//! ```text
//! S = A − E' D⁻¹ E          (the Schur complement, dense, |O| × |O|)
//! θ_O = S⁻¹ (r_O − E' D⁻¹ r_B),      θ_B = D⁻¹ (r_B − E θ_O)
//! C⁻¹ = [ D⁻¹ + D⁻¹E S⁻¹ E'D⁻¹    −D⁻¹E S⁻¹ ]
//!       [ −S⁻¹E'D⁻¹               S⁻¹        ]
//! ```
//!
//! so for a linear combination `a = e_b + a_O` (one level b of B plus anything in O)
//! `a' C⁻¹ a = 1/D_b + (g_b − a_O)' S⁻¹ (g_b − a_O)` with `g_b = E'e_b / D_b`, a sparse vector.
//! The cost is one dense Cholesky factorisation and inverse of S (|O|³) plus a pass over the
//! sparse rows of E; the prediction error covariance of the fit is `σ² C⁻¹` (Henderson 1975).

/// The parts of `C` that do not depend on the variance components.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Schur {
    /// θ index of each O entry (entry 0 is μ).
    pub(super) o_theta: Vec<usize>,
    /// O index of each θ index (`usize::MAX` when not in O).
    pub(super) o_of: Vec<usize>,
    /// θ index of each B level used (weight > 0), in order.
    pub(super) b_theta: Vec<usize>,
    /// X_O' W X_O, dense |O| × |O| (row-major, both halves).
    a0: Vec<f64>,
    /// Per B level used: its weight and sparse row of E (O index, weight), sorted by O index.
    rows: Vec<(f64, Vec<(u32, f64)>)>,
}

/// `S⁻¹` and `D` at given variance components.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Factored {
    pub(super) sinv: Vec<f64>,
    /// D_b = W_b + λ_B per used B level.
    pub(super) d: Vec<f64>,
    pub(super) p: usize,
    /// log |C| = Σ log D_b + log |S| (used B levels only; `d` entries that are infinite, for a
    /// B factor out of the model, are skipped).
    pub(super) logdet: f64,
}

impl Schur {
    /// `global` holds each observation's θ indices (factor offset + level) row by row,
    /// `factors` per row; `in_o[g]` says whether θ index g belongs to O (μ always does);
    /// `b_range` is the θ range of the eliminated factor.
    pub(super) fn new(
        global: &[u32],
        w: &[f64],
        factors: usize,
        in_o: &[bool],
        b_range: std::ops::Range<usize>,
        b_weight: &[f64],
    ) -> Self {
        let mut o_of = vec![usize::MAX; in_o.len()];
        let mut o_theta = Vec::new();
        for (g, &inside) in in_o.iter().enumerate() {
            if inside {
                o_of[g] = o_theta.len();
                o_theta.push(g);
            }
        }
        let p = o_theta.len();
        let mut b_index = vec![usize::MAX; b_range.len()];
        let mut b_theta = Vec::new();
        for (k, &bw) in b_weight.iter().enumerate() {
            if bw > 0.0 {
                b_index[k] = b_theta.len();
                b_theta.push(b_range.start + k);
            }
        }
        let mut a0 = vec![0.0; p * p];
        let mut maps: Vec<std::collections::BTreeMap<u32, f64>> =
            vec![Default::default(); b_theta.len()];
        let mut bw_used = vec![0.0; b_theta.len()];
        let mut os: Vec<usize> = Vec::with_capacity(factors + 1);
        for (i, &wi) in w.iter().enumerate() {
            let row = &global[i * factors..(i + 1) * factors];
            os.clear();
            os.push(0);
            let mut b = usize::MAX;
            for &g in row {
                let g = g as usize;
                if b_range.contains(&g) {
                    b = b_index[g - b_range.start];
                } else if o_of[g] != usize::MAX {
                    os.push(o_of[g]);
                }
            }
            for &x in &os {
                for &y in &os {
                    a0[x * p + y] += wi;
                }
            }
            if b != usize::MAX {
                bw_used[b] += wi;
                let m = &mut maps[b];
                for &x in &os {
                    *m.entry(x as u32).or_default() += wi;
                }
            }
        }
        let rows = maps
            .into_iter()
            .zip(bw_used)
            .map(|(m, bw)| (bw, m.into_iter().collect()))
            .collect();
        Self {
            o_theta,
            o_of,
            b_theta,
            a0,
            rows,
        }
    }

    pub(super) fn size(&self) -> usize {
        self.o_theta.len()
    }

    /// Factors S at `lambda` (per θ index; μ has 0). None when S is not positive definite.
    pub(super) fn factor(&self, lambda: &[f64]) -> Option<Factored> {
        let p = self.size();
        let mut s = self.a0.clone();
        for (o, &g) in self.o_theta.iter().enumerate() {
            s[o * p + o] += lambda[g];
        }
        let d: Vec<f64> = self
            .rows
            .iter()
            .zip(&self.b_theta)
            .map(|((bw, _), &g)| bw + lambda[g])
            .collect();
        for ((_, row), &db) in self.rows.iter().zip(&d) {
            for &(x, ex) in row {
                let f = ex / db;
                let base = x as usize * p;
                for &(y, ey) in row {
                    s[base + y as usize] -= f * ey;
                }
            }
        }
        let (sinv, logdet_s) = spd_inverse(&mut s, p)?;
        let logdet = logdet_s
            + d.iter()
                .filter(|v| v.is_finite())
                .map(|v| v.ln())
                .sum::<f64>();
        Some(Factored { sinv, d, p, logdet })
    }

    /// The exact solution θ of `C θ = r` (entries outside O and B stay 0).
    pub(super) fn solve(&self, f: &Factored, rhs: &[f64], theta: &mut [f64]) {
        let p = f.p;
        let mut r_o: Vec<f64> = self.o_theta.iter().map(|&g| rhs[g]).collect();
        for (((_, row), &db), &g) in self.rows.iter().zip(&f.d).zip(&self.b_theta) {
            let rb = rhs[g] / db;
            for &(x, ex) in row {
                r_o[x as usize] -= ex * rb;
            }
        }
        let theta_o = mat_vec(&f.sinv, p, &r_o);
        theta.iter_mut().for_each(|t| *t = 0.0);
        for (o, &g) in self.o_theta.iter().enumerate() {
            theta[g] = theta_o[o];
        }
        for (((_, row), &db), &g) in self.rows.iter().zip(&f.d).zip(&self.b_theta) {
            let dot: f64 = row.iter().map(|&(x, ex)| ex * theta_o[x as usize]).sum();
            theta[g] = (rhs[g] - dot) / db;
        }
    }

    /// Diagonal of C⁻¹ for every θ index in O or B (0 elsewhere).
    pub(super) fn diagonal(&self, f: &Factored, len: usize) -> Vec<f64> {
        let p = f.p;
        let mut out = vec![0.0; len];
        for (o, &g) in self.o_theta.iter().enumerate() {
            out[g] = f.sinv[o * p + o];
        }
        for (k, &g) in self.b_theta.iter().enumerate() {
            out[g] = self.quad_b(f, k, None);
        }
        out
    }

    /// `a'C⁻¹a` for `a = e_b + a_O` where `b` is the k-th used B level and `prepared` holds
    /// `a_O` with `S⁻¹a_O` (None: `a_O = 0`).
    pub(super) fn quad_b(&self, f: &Factored, k: usize, prepared: Option<&Prepared>) -> f64 {
        let p = f.p;
        let (_, row) = &self.rows[k];
        let db = f.d[k];
        let mut gsg = 0.0;
        for &(x, ex) in row {
            let base = x as usize * p;
            let mut s = 0.0;
            for &(y, ey) in row {
                s += f.sinv[base + y as usize] * ey;
            }
            gsg += ex * s;
        }
        gsg /= db * db;
        let mut total = 1.0 / db + gsg;
        if let Some(pr) = prepared {
            let gh: f64 = row
                .iter()
                .map(|&(x, ex)| ex * pr.h[x as usize])
                .sum::<f64>()
                / db;
            total += pr.aha - 2.0 * gh;
        }
        total.max(0.0)
    }

    /// `a'C⁻¹a` for `a = e_g − a_O` with `g` in O and `prepared` holding `a_O`.
    pub(super) fn quad_o(&self, f: &Factored, g: usize, prepared: &Prepared) -> Option<f64> {
        let o = *self.o_of.get(g).filter(|o| **o != usize::MAX)?;
        Some((f.sinv[o * f.p + o] - 2.0 * prepared.h[o] + prepared.aha).max(0.0))
    }

    /// Position of θ index `g` among the used B levels.
    pub(super) fn b_position(&self, g: usize) -> Option<usize> {
        self.b_theta.binary_search(&g).ok()
    }

    /// Prepares a dense combination over O given as (θ index, coefficient) pairs.
    pub(super) fn prepare(&self, f: &Factored, a: &[(usize, f64)]) -> Prepared {
        let p = f.p;
        let mut dense = vec![0.0; p];
        for &(g, c) in a {
            if let Some(&o) = self.o_of.get(g)
                && o != usize::MAX
            {
                dense[o] += c;
            }
        }
        let h = mat_vec(&f.sinv, p, &dense);
        let aha = dense.iter().zip(&h).map(|(a, b)| a * b).sum::<f64>();
        Prepared { h, aha }
    }
}

/// A combination `a_O` over O, with `h = S⁻¹ a_O` and `a_O' S⁻¹ a_O`.
pub(super) struct Prepared {
    h: Vec<f64>,
    pub(super) aha: f64,
}

fn mat_vec(m: &[f64], p: usize, v: &[f64]) -> Vec<f64> {
    (0..p)
        .map(|i| {
            m[i * p..(i + 1) * p]
                .iter()
                .zip(v)
                .map(|(a, b)| a * b)
                .sum()
        })
        .collect()
}

/// Inverse and log-determinant of a symmetric positive definite matrix (row-major, destroyed) by
/// Cholesky; None when it is not numerically positive definite.
pub(super) fn spd_inverse(a: &mut [f64], n: usize) -> Option<(Vec<f64>, f64)> {
    // Cholesky, lower triangle: a = L L'.
    for j in 0..n {
        let row_j = &mut a[j * n..(j + 1) * n];
        let d = row_j[j] - row_j[..j].iter().map(|v| v * v).sum::<f64>();
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        row_j[j] = d;
        for i in j + 1..n {
            let (upper, lower) = a.split_at_mut(i * n);
            let row_j = &upper[j * n..j * n + n];
            let row_i = &mut lower[..n];
            let mut s = row_i[j];
            for k in 0..j {
                s -= row_i[k] * row_j[k];
            }
            row_i[j] = s / d;
        }
    }
    // M = L⁻¹ (lower), row by row.
    let mut m = vec![0.0; n * n];
    for i in 0..n {
        let lii = a[i * n + i];
        m[i * n + i] = 1.0 / lii;
        for j in 0..i {
            let mut s = 0.0;
            for k in j..i {
                s += a[i * n + k] * m[k * n + j];
            }
            m[i * n + j] = -s / lii;
        }
    }
    // A⁻¹ = M' M: entry (i, j) = Σ_{k ≥ max(i,j)} M[k,i] M[k,j].
    let mut inv = vec![0.0; n * n];
    for k in 0..n {
        let row = &m[k * n..k * n + k + 1];
        for i in 0..=k {
            let mi = row[i];
            if mi == 0.0 {
                continue;
            }
            let dst = &mut inv[i * n..i * n + k + 1];
            for (d, &mj) in dst.iter_mut().zip(row) {
                *d += mi * mj;
            }
        }
    }
    let logdet = 2.0 * (0..n).map(|i| a[i * n + i].ln()).sum::<f64>();
    (inv.iter().all(|v| v.is_finite()) && logdet.is_finite()).then_some((inv, logdet))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_small_spd_matrix() {
        let mut a = vec![4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let orig = a.clone();
        let (inv, logdet) = spd_inverse(&mut a, 3).unwrap();
        // det = 4(15 − 1) − 2(6 − 0.6) + 0.6(2 − 3) = 44.6
        assert!((logdet - 44.6_f64.ln()).abs() < 1e-12, "{logdet}");
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| orig[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!(
                    (v - f64::from(u8::from(i == j))).abs() < 1e-12,
                    "{i},{j}: {v}"
                );
            }
        }
        let mut bad = vec![1.0, 2.0, 2.0, 1.0];
        assert!(spd_inverse(&mut bad, 2).is_none());
    }
}
