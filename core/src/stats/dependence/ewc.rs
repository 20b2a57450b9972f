//! Equal-weighted cosine (orthonormal series) long-run variance.

use serde::Serialize;

use super::centered;
use crate::stats::check;
use crate::{Error, Result};

/// An equal-weighted cosine long-run variance estimate (see [`ewc_long_run_variance`]).
#[derive(Debug, Clone, Serialize)]
pub struct Ewc {
    /// `ω̂ = (1/ν) Σ_{j=1}^{ν} Λ_j²`, an estimate of `n · Var(x̄)`.
    pub value: f64,
    /// Number of cosine basis functions `ν` (the degrees of freedom of the t reference).
    pub nu: usize,
    /// Number of observations.
    pub n: usize,
}

/// Equal-weighted cosine (EWC) estimator of the long-run variance with `nu` basis functions.
///
/// ```text
/// Λ_j = sqrt(2/n) Σ_{t=1}^{n} cos(π j (t − ½) / n) (x_t − x̄),   j = 1 … ν
/// ω̂   = (1/ν) Σ_{j=1}^{ν} Λ_j²
/// ```
///
/// Under a Gaussian stationary series whose spectral density is flat over the frequencies
/// `[0, πν/n]`, the `Λ_j` are (nearly) independent `N(0, σ²_LR)`, so `ω̂ ~ σ²_LR χ²_ν / ν` and
/// `√n (x̄ − μ) / √ω̂ ~ t_ν` *exactly* in that limit — the "fixed-b" small-sample reference that
/// keeps tests calibrated where a normal reference over-rejects. The `Λ_j` are the DCT-II
/// coefficients of the series; with `ν = n − 1` the estimator is the sample variance.
///
/// Reference: Müller (2007), "The impact of inaccurate variance estimation…", and Lazarus, Lewis,
/// Stock & Watson (2018), "HAR inference: recommendations for practice", JBES 36(4) (who suggest
/// `ν ≈ 0.4 n^{2/3}`; [`crate::stats::compare`] picks `ν` from the data instead). Cost about
/// `n ν / 2` multiply-adds: the series is folded at its middle (`cos(jθ)` is symmetric or
/// antisymmetric about `θ = π/2`), so the sums run over half the points; the first cosines
/// come by angle addition (one `sin_cos` per 16 points), the other frequencies by the Chebyshev
/// recurrence.
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 values, [`Error::NonFinite`], [`Error::Constant`],
/// [`Error::InvalidArgument`] unless `1 ≤ nu ≤ n − 1`.
pub fn ewc_long_run_variance(x: &[f64], nu: usize) -> Result<Ewc> {
    check::sample("x", x, 2)?;
    let n = x.len();
    if nu == 0 || nu >= n {
        return Err(Error::invalid(
            "nu",
            format!("must lie in 1..={} (n − 1), got {nu}", n - 1),
        ));
    }
    let (c, _) = centered("x", x, "the long-run variance is undefined")?;
    Ok(Ewc {
        value: ewc_centered(&c, nu),
        nu,
        n,
    })
}

/// EWC of an already centered series; `1 ≤ nu < c.len()` is the caller's duty.
///
/// The sums run over the series folded at its middle (see [`ewc_with_cosines`]), four folded
/// points at a time so that the four cosine recurrences (each a dependent chain of `nu` steps)
/// run in parallel in the CPU pipeline. The first cosines `cos(π (t − ½) / n)` of the first half
/// come from [`first_cosines`] (one table per length, reused).
pub(crate) fn ewc_centered(c: &[f64], nu: usize) -> f64 {
    let [value] = first_cosines(c.len(), |cos1| ewc_with_cosines([c], nu, cos1));
    value
}

/// [`ewc_centered`] of two centered series of the same length with the same `nu`, in one pass:
/// the cosines `cos(π j (t − ½) / n)` are computed once for both, and each sum adds the very
/// terms of [`ewc_centered`] in its order, so the results are those of two calls, bit for bit.
pub(crate) fn ewc_centered_pair(a: &[f64], b: &[f64], nu: usize) -> (f64, f64) {
    debug_assert_eq!(a.len(), b.len());
    let [va, vb] = first_cosines(a.len(), |cos1| ewc_with_cosines([a, b], nu, cos1));
    (va, vb)
}

/// [`ewc_centered`] of `K` series of one length `n` with `cos1[t] = cos(π (t + ½) / n)` for the
/// first half, `t < ⌊n/2⌋` (0-based t); the cosine recurrence is shared, the sums kept apart.
///
/// Folding. With `θ_t = π (t + ½) / n`, the mirror point has `θ_{n−1−t} = π − θ_t`, so
/// `cos(j θ_{n−1−t}) = (−1)^j cos(j θ_t)` and, with `h = ⌊n/2⌋`,
///
/// ```text
/// Λ_j ∝ Σ_{t<h} cos(j θ_t) (x_t + (−1)^j x_{n−1−t})  [+ cos(jπ/2) x_h if n is odd]
/// ```
///
/// even `j` sum the folded sums `x_t + x_{n−1−t}`, odd `j` the differences, over half the
/// points: half the multiplications and recurrence steps, half the first cosines. The middle
/// point of an odd length has `cos(jπ/2)`: 0 for odd `j`, `(−1)^{j/2}` for even `j`. This adds
/// the terms in another order than the unfolded sum, so results differ from it by rounding
/// only (a few 1e-16 relative on typical series; up to ~1e-14 where the `Λ_j` cancel heavily,
/// as the unfolded sum's own rounding error does).
///
/// Each `Λ_j` adds, per block of four folded points in order, the block's sum
/// `((a₀ + a₁) + a₂) + a₃` (`a_i = cos(jθ_i) v_i`). Two blocks go side by side in the two
/// lanes of a vector, so the four-term sums are lane-wise (no horizontal additions).
fn ewc_with_cosines<const K: usize>(cs: [&[f64]; K], nu: usize, cos1: &[f64]) -> [f64; K] {
    const W: usize = 4;
    let n = cs[0].len();
    let half = n / 2;
    debug_assert!(cos1.len() >= half);
    // The folded point t: [x_t + x_{n−1−t} (even j), x_t − x_{n−1−t} (odd j)].
    let fold = |c: &[f64], t: usize| {
        let (a, b) = (c[t], c[n - 1 - t]);
        [a + b, a - b]
    };
    let mut lambda = vec![[0.0; K]; nu + 1];
    // Lane 2i + h holds point i of block h of the pair.
    let paired = half - half % (2 * W);
    for base in (0..paired).step_by(2 * W) {
        // v[k][parity of j][lane]
        let mut v = [[[0.0; 2 * W]; 2]; K];
        let mut c1 = [0.0; 2 * W];
        for i in 0..W {
            for h in 0..2 {
                let t = base + W * h + i;
                c1[2 * i + h] = cos1[t];
                for k in 0..K {
                    let [s, d] = fold(cs[k], t);
                    v[k][0][2 * i + h] = s;
                    v[k][1][2 * i + h] = d;
                }
            }
        }
        let add = |l: &mut [f64; K], cur: &[f64; 2 * W], parity: usize| {
            for k in 0..K {
                let v = &v[k][parity];
                let mut block = [0.0; 2];
                for (h, b) in block.iter_mut().enumerate() {
                    *b = cur[h] * v[h]
                        + cur[2 + h] * v[2 + h]
                        + cur[4 + h] * v[4 + h]
                        + cur[6 + h] * v[6 + h];
                }
                l[k] += block[0];
                l[k] += block[1];
            }
        };
        // cos(jθ) by the recurrence cos((j+1)θ) = 2 cos θ cos(jθ) − cos((j−1)θ).
        let mut prev = [1.0; 2 * W];
        let mut cur = c1;
        add(&mut lambda[1], &cur, 1);
        for (j, l) in lambda.iter_mut().enumerate().skip(2) {
            for i in 0..2 * W {
                let next = 2.0 * c1[i] * cur[i] - prev[i];
                prev[i] = cur[i];
                cur[i] = next;
            }
            add(l, &cur, j % 2);
        }
    }
    let chunked = paired + (half - paired) / W * W;
    for base in (paired..chunked).step_by(W) {
        let c1 = [cos1[base], cos1[base + 1], cos1[base + 2], cos1[base + 3]];
        let v = cs.map(|c| {
            let f = [0, 1, 2, 3].map(|i| fold(c, base + i));
            [0, 1].map(|p| [f[0][p], f[1][p], f[2][p], f[3][p]])
        });
        let add = |l: &mut [f64; K], cur: &[f64; W], parity: usize| {
            for k in 0..K {
                let v = &v[k][parity];
                l[k] += cur[0] * v[0] + cur[1] * v[1] + cur[2] * v[2] + cur[3] * v[3];
            }
        };
        let mut prev = [1.0; W];
        let mut cur = c1;
        add(&mut lambda[1], &cur, 1);
        for (j, l) in lambda.iter_mut().enumerate().skip(2) {
            for i in 0..W {
                let next = 2.0 * c1[i] * cur[i] - prev[i];
                prev[i] = cur[i];
                cur[i] = next;
            }
            add(l, &cur, j % 2);
        }
    }
    for (t, &c1) in cos1.iter().enumerate().take(half).skip(chunked) {
        let v = cs.map(|c| fold(c, t));
        let (mut prev, mut cur) = (1.0, c1);
        for k in 0..K {
            lambda[1][k] += cur * v[k][1];
        }
        for (j, l) in lambda.iter_mut().enumerate().skip(2) {
            let next = 2.0 * c1 * cur - prev;
            prev = cur;
            cur = next;
            for k in 0..K {
                l[k] += cur * v[k][j % 2];
            }
        }
    }
    if n % 2 == 1 {
        // The middle point, θ = π/2: cos(jπ/2) is 1, 0, −1, 0 for j ≡ 0, 1, 2, 3 (mod 4).
        for (j, l) in lambda.iter_mut().enumerate().skip(2).step_by(2) {
            let sign = if j % 4 == 0 { 1.0 } else { -1.0 };
            for k in 0..K {
                l[k] += sign * cs[k][half];
            }
        }
    }
    let scale = 2.0 / n as f64;
    std::array::from_fn(|k| {
        lambda[1..].iter().map(|l| l[k] * l[k] * scale).sum::<f64>() / nu as f64
    })
}

/// Lengths up to which [`first_cosines`] keeps its tables (per thread, the last
/// [`COSINE_TABLES`] lengths, each of `n/2` values, so at most 1 MiB each): the validation of
/// `detect` and `compare`'s tests of means and medians ask for the same few lengths again and
/// again.
const COSINE_CACHE_MAX_N: usize = 1 << 18;
const COSINE_TABLES: usize = 4;

/// Calls `f` with [`cosine_table`]`(n)`.
fn first_cosines<R>(n: usize, f: impl FnOnce(&[f64]) -> R) -> R {
    use std::cell::RefCell;
    thread_local! {
        static TABLES: RefCell<Vec<(usize, Vec<f64>)>> = const { RefCell::new(Vec::new()) };
    }
    if n > COSINE_CACHE_MAX_N {
        return f(&cosine_table(n));
    }
    TABLES.with(|cell| {
        let Ok(mut tables) = cell.try_borrow_mut() else {
            return f(&cosine_table(n));
        };
        match tables.iter().position(|(m, _)| *m == n) {
            // Most recently used last.
            Some(i) => {
                let hit = tables.remove(i);
                tables.push(hit);
            }
            None => {
                if tables.len() == COSINE_TABLES {
                    tables.remove(0);
                }
                tables.push((n, cosine_table(n)));
            }
        }
        let last = tables.len() - 1;
        f(&tables[last].1)
    })
}

/// `cos(π (t + ½) / n)` for t = 0 … ⌊n/2⌋ − 1: the first half, all the folded sums of
/// [`ewc_with_cosines`] need.
///
/// Each block of `SEED` = 16 values starts from an exact `(sin a, cos a)`, `a = (t₀ + ½) δ`,
/// `δ = π/n`, and goes on by angle addition, `cos(a + iδ) = cos a cos iδ − sin a sin iδ`, with
/// `(sin iδ, cos iδ)`, `i < SEED`, computed once: one `sin_cos` per block instead of one `cos`
/// per value, each value within a few ulp (absolute) of the directly computed cosine, and no
/// error carried from block to block.
fn cosine_table(n: usize) -> Vec<f64> {
    const SEED: usize = 16;
    let step = std::f64::consts::PI / n as f64;
    let turns: Vec<(f64, f64)> = (0..SEED).map(|i| (step * i as f64).sin_cos()).collect();
    let half = n / 2;
    let mut out = Vec::with_capacity(half);
    for t0 in (0..half).step_by(SEED) {
        let (s0, c0) = (step * (t0 as f64 + 0.5)).sin_cos();
        out.extend(
            turns
                .iter()
                .take(half - t0)
                .map(|&(si, ci)| c0 * ci - s0 * si),
        );
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn full_basis_is_the_sample_variance() {
        let x = [1.0, 4.0, 2.0, 8.0, 5.0, 7.0];
        let mean = x.iter().sum::<f64>() / 6.0;
        let s2 = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 5.0;
        let e = ewc_long_run_variance(&x, 5).unwrap();
        assert!((e.value - s2).abs() < 1e-12 * s2);
    }

    /// The folded sums with cached cosines give the numbers of the direct sum over every point
    /// (even and odd lengths: 4-wide chunks, paired lanes, a tail, a middle point).
    #[test]
    fn cached_cosines_match_the_direct_dct() {
        let mut rng = crate::stats::rng::Rng::new(4);
        for len in [22, 23, 40, 41] {
            // Not symmetric about the middle (i² mod 7 is, for even lengths: Λ₁ = 0 exactly).
            let x: Vec<f64> = (0..len).map(|_| rng.normal()).collect();
            for nu in [1, 2, 5, len as usize - 1] {
                for _ in 0..2 {
                    let n = x.len() as f64;
                    let direct: f64 = (1..=nu)
                        .map(|j| {
                            let l: f64 = x
                                .iter()
                                .enumerate()
                                .map(|(t, v)| {
                                    let w = std::f64::consts::PI * j as f64 * (t as f64 + 0.5) / n;
                                    w.cos() * v
                                })
                                .sum();
                            2.0 / n * l * l
                        })
                        .sum::<f64>()
                        / nu as f64;
                    let got = ewc_centered(&x, nu);
                    assert!(
                        (got - direct).abs() < 1e-12 * direct,
                        "{len} {nu}: {got} {direct}"
                    );
                }
            }
        }
    }

    /// The block-by-block sums of four (the loop before the paired lanes), as an oracle of the
    /// very numbers.
    fn ewc_by_blocks(c: &[f64], nu: usize) -> f64 {
        const W: usize = 4;
        let n = c.len();
        let nf = n as f64;
        let step = std::f64::consts::PI / nf;
        let mut lambda = vec![0.0; nu + 1];
        let chunks = c.chunks_exact(W);
        let tail_start = n - chunks.remainder().len();
        for (k, v) in chunks.enumerate() {
            let mut c1 = [0.0; W];
            for (i, ci) in c1.iter_mut().enumerate() {
                *ci = (step * ((k * W + i) as f64 + 0.5)).cos();
            }
            let mut prev = [1.0; W];
            let mut cur = c1;
            lambda[1] += cur[0] * v[0] + cur[1] * v[1] + cur[2] * v[2] + cur[3] * v[3];
            for l in lambda.iter_mut().skip(2) {
                for i in 0..W {
                    let next = 2.0 * c1[i] * cur[i] - prev[i];
                    prev[i] = cur[i];
                    cur[i] = next;
                }
                *l += cur[0] * v[0] + cur[1] * v[1] + cur[2] * v[2] + cur[3] * v[3];
            }
        }
        for (t, &v) in c.iter().enumerate().skip(tail_start) {
            let c1 = (step * (t as f64 + 0.5)).cos();
            let (mut prev, mut cur) = (1.0, c1);
            lambda[1] += cur * v;
            for l in lambda.iter_mut().skip(2) {
                let next = 2.0 * c1 * cur - prev;
                prev = cur;
                cur = next;
                *l += cur * v;
            }
        }
        let scale = 2.0 / nf;
        lambda[1..].iter().map(|l| l * l * scale).sum::<f64>() / nu as f64
    }

    /// The angle-addition table against `cos` of each angle.
    #[test]
    fn cosine_table_matches_cos() {
        for n in [2, 3, 17, 32, 33, 1000, 99_999, 1 << 20] {
            let table = cosine_table(n);
            assert_eq!(table.len(), n / 2);
            for (t, c) in table.iter().enumerate() {
                let want = (std::f64::consts::PI * (t as f64 + 0.5) / n as f64).cos();
                assert!(
                    (c - want).abs() <= 4.0 * f64::EPSILON,
                    "n {n} t {t}: {c} {want}"
                );
            }
        }
    }

    /// Folded sums, paired lanes and cached cosines against the block-by-block loop over every
    /// point (the loop before the folding), for every remainder of the length modulo 16 and odd
    /// and even lengths. Folding adds the terms in another order, so the two agree to rounding
    /// (relative 1e-12), no longer bit for bit; the sums themselves are checked against the
    /// direct DCT above and scipy in `tests/reference_dependence.rs`.
    #[test]
    fn folded_sums_match_the_block_sums() {
        let mut rng = crate::stats::rng::Rng::new(5);
        for n in (2..40).chain([1000, 10_001, 40_003, 300_001]) {
            let x: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
            for nu in [1, 2, 7, 64] {
                if nu >= n {
                    continue;
                }
                let (got, want) = (ewc_centered(&x, nu), ewc_by_blocks(&x, nu));
                assert!(
                    (got - want).abs() <= 1e-12 * want,
                    "n {n} nu {nu}: {got} {want}"
                );
            }
        }
    }

    /// The pair of sums in one pass: bit for bit the two single calls.
    #[test]
    fn pair_gives_the_single_sums_exactly() {
        let mut rng = crate::stats::rng::Rng::new(6);
        for n in (2..30).chain([1001, 9091]) {
            let a: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
            let b: Vec<f64> = (0..n).map(|_| rng.normal() - 0.3).collect();
            for nu in [1, 3, 64] {
                if nu >= n {
                    continue;
                }
                let (pa, pb) = ewc_centered_pair(&a, &b, nu);
                assert_eq!(
                    pa.to_bits(),
                    ewc_centered(&a, nu).to_bits(),
                    "n {n} nu {nu}"
                );
                assert_eq!(
                    pb.to_bits(),
                    ewc_centered(&b, nu).to_bits(),
                    "n {n} nu {nu}"
                );
            }
        }
    }

    #[test]
    fn errors() {
        assert!(ewc_long_run_variance(&[1.0, 2.0, 3.0], 3).is_err());
        assert!(ewc_long_run_variance(&[1.0, 2.0, 3.0], 0).is_err());
        assert!(matches!(
            ewc_long_run_variance(&[1.0; 3], 1),
            Err(Error::Constant { .. })
        ));
    }
}
