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
/// `ν ≈ 0.4 n^{2/3}`; [`crate::stats::compare`] picks `ν` from the data instead). Cost O(n · ν):
/// one `cos` per observation, the other frequencies by the Chebyshev recurrence.
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
/// Observations are processed four at a time so that the four cosine recurrences (each a
/// dependent chain of `nu` steps) run in parallel in the CPU pipeline. The first cosines
/// `cos(π (t − ½) / n)` come from [`first_cosines`] (one table per length, reused).
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

/// [`ewc_centered`] of `K` series of one length with `cos1[t] = cos(π (t + ½) / n)` (0-based
/// t); the cosine recurrence is shared, the sums are kept apart.
///
/// Each `Λ_j` adds, per block of four observations in order, the block's sum
/// `((a₀ + a₁) + a₂) + a₃` (`a_i = cos(jθ_i) x_i`). Two blocks go side by side in the two
/// lanes of a vector, so the four-term sums are lane-wise (no horizontal additions) and the
/// additions happen in the same order as block by block: the same numbers.
fn ewc_with_cosines<const K: usize>(cs: [&[f64]; K], nu: usize, cos1: &[f64]) -> [f64; K] {
    const W: usize = 4;
    let n = cos1.len();
    let nf = n as f64;
    let mut lambda = vec![[0.0; K]; nu + 1];
    // Lane 2i + h holds observation i of block h of the pair.
    let paired = n - n % (2 * W);
    for base in (0..paired).step_by(2 * W) {
        let mut v = [[0.0; 2 * W]; K];
        let mut c1 = [0.0; 2 * W];
        for i in 0..W {
            for h in 0..2 {
                c1[2 * i + h] = cos1[base + W * h + i];
                for k in 0..K {
                    v[k][2 * i + h] = cs[k][base + W * h + i];
                }
            }
        }
        let add = |l: &mut [f64; K], cur: &[f64; 2 * W]| {
            for k in 0..K {
                let v = &v[k];
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
        add(&mut lambda[1], &cur);
        for l in lambda.iter_mut().skip(2) {
            for i in 0..2 * W {
                let next = 2.0 * c1[i] * cur[i] - prev[i];
                prev[i] = cur[i];
                cur[i] = next;
            }
            add(l, &cur);
        }
    }
    let chunked = paired + (n - paired) / W * W;
    for base in (paired..chunked).step_by(W) {
        let c1 = [cos1[base], cos1[base + 1], cos1[base + 2], cos1[base + 3]];
        let v = cs.map(|c| [c[base], c[base + 1], c[base + 2], c[base + 3]]);
        let add = |l: &mut [f64; K], cur: &[f64; W]| {
            for k in 0..K {
                let v = &v[k];
                l[k] += cur[0] * v[0] + cur[1] * v[1] + cur[2] * v[2] + cur[3] * v[3];
            }
        };
        let mut prev = [1.0; W];
        let mut cur = c1;
        add(&mut lambda[1], &cur);
        for l in lambda.iter_mut().skip(2) {
            for i in 0..W {
                let next = 2.0 * c1[i] * cur[i] - prev[i];
                prev[i] = cur[i];
                cur[i] = next;
            }
            add(l, &cur);
        }
    }
    for t in chunked..n {
        let c1 = cos1[t];
        let v = cs.map(|c| c[t]);
        let (mut prev, mut cur) = (1.0, c1);
        for k in 0..K {
            lambda[1][k] += cur * v[k];
        }
        for l in lambda.iter_mut().skip(2) {
            let next = 2.0 * c1 * cur - prev;
            prev = cur;
            cur = next;
            for k in 0..K {
                l[k] += cur * v[k];
            }
        }
    }
    let scale = 2.0 / nf;
    std::array::from_fn(|k| {
        lambda[1..].iter().map(|l| l[k] * l[k] * scale).sum::<f64>() / nu as f64
    })
}

/// Lengths up to which [`first_cosines`] keeps its tables (per thread, the last
/// [`COSINE_TABLES`] lengths): the validation of `detect` and `compare`'s tests of means and
/// medians ask for the same few lengths again and again.
const COSINE_CACHE_MAX_N: usize = 1 << 17;
const COSINE_TABLES: usize = 4;

/// Calls `f` with `cos(π (t + ½) / n)`, t = 0 … n − 1 (each computed as in the direct loop,
/// so the numbers are the same).
fn first_cosines<R>(n: usize, f: impl FnOnce(&[f64]) -> R) -> R {
    use std::cell::RefCell;
    thread_local! {
        static TABLES: RefCell<Vec<(usize, Vec<f64>)>> = const { RefCell::new(Vec::new()) };
    }
    let table = |n: usize| {
        let step = std::f64::consts::PI / n as f64;
        (0..n)
            .map(|t| (step * (t as f64 + 0.5)).cos())
            .collect::<Vec<f64>>()
    };
    if n > COSINE_CACHE_MAX_N {
        return f(&table(n));
    }
    TABLES.with(|cell| {
        let Ok(mut tables) = cell.try_borrow_mut() else {
            return f(&table(n));
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
                tables.push((n, table(n)));
            }
        }
        let last = tables.len() - 1;
        f(&tables[last].1)
    })
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

    /// The cached cosines give the numbers of the direct sum (a 4-wide chunk and a tail).
    #[test]
    fn cached_cosines_match_the_direct_dct() {
        let x: Vec<f64> = (0..23).map(|i| f64::from(i * i % 7) - 3.0).collect();
        for nu in [1, 2, 5, 22] {
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
                    "{nu}: {got} {direct}"
                );
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

    /// Paired lanes and cached cosines: bit for bit the block-by-block loop, for every
    /// remainder of the length modulo 8.
    #[test]
    fn paired_lanes_give_the_block_sums_exactly() {
        let mut rng = crate::stats::rng::Rng::new(5);
        for n in (2..40).chain([1000, 10_001, 40_003]) {
            let x: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
            for nu in [1, 2, 7, 64] {
                if nu >= n {
                    continue;
                }
                let (got, want) = (ewc_centered(&x, nu), ewc_by_blocks(&x, nu));
                assert_eq!(got.to_bits(), want.to_bits(), "n {n} nu {nu}");
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
