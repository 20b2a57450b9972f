//! Functional pruning (FPOP) for the Gaussian-mean (L2) cost, and the driver shared with the
//! Poisson cost ([`super::fpop_poisson()`]).

use super::{backtrack, check_penalty, prepare, Segmentation};
use crate::changepoint::cost::{Cost, L2};
use crate::Result;

/// A piece `[lo, hi]` of the parameter line, the candidate `t` that is best on it, and that
/// candidate's anchored cost at both ends (`glo`, `ghi`; see [`Anchored`]).
#[derive(Clone, Copy, Debug)]
struct Piece {
    lo: f64,
    hi: f64,
    t: usize,
    glo: f64,
    ghi: f64,
}

/// Appends a piece, merging it with the previous one when the owner is the same.
#[inline]
fn push_piece(out: &mut Vec<Piece>, piece: Piece) {
    if let Some(last) = out.last_mut() {
        if last.t == piece.t {
            last.hi = piece.hi;
            last.ghi = piece.ghi;
            return;
        }
    }
    out.push(piece);
}

/// A candidate's functional cost in a form that does not change as data arrive, for FPOP's
/// whole-piece test.
///
/// With `ℓ(x, θ)` the loss of one value, `f_τ(θ) = F(τ) + β + Σ_{τ<=i<s} ℓ(x_i, θ)` is
/// `g_τ(θ) + β + Σ_{i<s} ℓ(x_i, θ)` with the anchored cost `g_τ(θ) = F(τ) - Σ_{i<τ} ℓ(x_i, θ)`;
/// the last sum is the same for every candidate. For an older candidate τ and a newcomer τ',
/// `g_τ' - g_τ = F(τ') - F(τ) - Σ_{τ<=i<τ'} ℓ(x_i, θ)` is concave in θ, so on a piece of τ it is
/// smallest at an end: when it is positive at both ends (beyond round-off), τ keeps the whole
/// piece. The values of `g_τ` at the ends are computed once, when the piece is made, so most
/// pieces are settled by evaluating the newcomer's `g` at the boundaries (two multiply-adds
/// each, no division), and only the pieces the newcomer cuts into take the exact `keep`.
pub(crate) trait Anchored {
    /// `g_τ(θ)`, given `f = F(τ)`.
    fn anchored(&self, f: f64, tau: usize, theta: f64) -> f64;

    /// A bound on the round-off of `g_τ'(θ) - g_τ(θ)` for any candidates with `|F| <= f_max`
    /// and any `|θ| <= theta_max`.
    fn round_off(&self, f_max: f64, theta_max: f64) -> f64;
}

/// The round-off bound of [`Anchored::round_off`] for the L2 loss on centred values with
/// prefix sums up to `s2` (the whole signal's) and `n` values: every term of `g` is at most
/// `f_max + 2 S2 + 4 θ √(n S2) + n θ²` (|S1(τ)| <= √(τ S2(τ)) by Cauchy–Schwarz; the mirrored
/// sums are differences of two prefix sums), and each `g` takes a handful of roundings.
fn l2_round_off(s2: f64, n: usize, f_max: f64, theta_max: f64) -> f64 {
    let n = n as f64;
    let scale = f_max + 2.0 * s2 + 4.0 * theta_max * (n * s2).sqrt() + n * theta_max * theta_max;
    32.0 * f64::EPSILON * scale
}

/// The exact FPOP recursion over any cost whose per-candidate functional costs differ by a
/// function convex in the segment parameter θ (so the set where the older candidate wins is an
/// interval).
///
/// The pieces cover the whole line of the parameter θ (a mean, or the log of a rate).
/// `keep(t, t_new, base, lo, hi)` returns the part of the piece `[lo, hi]` where the older
/// candidate `t` is at least as good as the newcomer `t_new`, given
/// `base = F(t_new) - F(t) + margin`; `None` when it is empty (always when
/// `slack = base - C(t, t_new) < 0`: the newcomer is better even at the older candidate's best θ).
/// As the set is an interval, the part is one sub-interval. A piece that the whole-piece test
/// of [`Anchored`] settles is kept without calling `keep` (on the Poisson cost, 12 % less time at
/// 10⁶ values; on L2, whose `keep` is already cheap, about 2 % more).
///
/// Work per step: one pass over the pieces (O(number of pieces)) and one over the candidates
/// still labelling a piece; the buffers are reused, so no allocation after the first steps.
pub(crate) fn fpop_driver<C, K>(
    cost: &C,
    penalty: f64,
    min_size: usize,
    keep: K,
) -> Result<Segmentation>
where
    C: Cost + Anchored + ?Sized,
    K: Fn(usize, usize, f64, f64, f64) -> Option<(f64, f64)>,
{
    check_penalty(penalty)?;
    let m = prepare(cost, min_size)?;
    let n = cost.len();
    let run = fpop_run(cost, penalty, m, &keep, n, false);
    let breakpoints = backtrack(&run.last, n);
    Ok(Segmentation {
        cost: cost.sum_of_costs(&breakpoints),
        breakpoints,
        n,
    })
}

/// An FPOP run over the data `0..end` of a cost: the optimal penalised costs `f[s]` of
/// `0..s` (`f[0] = 0`, ∞ where no segmentation with segments of at least `m` exists), the last
/// change `last[s]` of each, and the candidates τ labelling a piece of the functional cost after
/// the data up to `end`.
struct Run {
    f: Vec<f64>,
    last: Vec<usize>,
    alive: Vec<usize>,
}

/// The bits of `x` as an unsigned integer in the order of the values (`f64::total_cmp`'s order).
#[inline]
fn ordered_bits(x: f64) -> u64 {
    let b = x.to_bits();
    b ^ (((b as i64 >> 63) as u64) | (1 << 63))
}

/// The inverse of [`ordered_bits`].
#[inline]
fn from_ordered_bits(k: u64) -> f64 {
    let flip = if k >> 63 == 1 { 1 << 63 } else { u64::MAX };
    f64::from_bits(k ^ flip)
}

/// The FPOP recursion of [`fpop_driver`] up to `end` (`m` already checked). With `close`, the
/// candidates `end - m < τ <= end`, not yet admissible at `end`, are compared in too, so `alive`
/// holds every τ ≤ `end` that can start a segment continuing past `end` ([`fpop_split`]).
fn fpop_run<C, K>(cost: &C, penalty: f64, m: usize, keep: &K, end: usize, close: bool) -> Run
where
    C: Cost + Anchored + ?Sized,
    K: Fn(usize, usize, f64, f64, f64) -> Option<(f64, f64)>,
{
    let mut f = vec![f64::INFINITY; end + 1];
    let mut last = vec![0usize; end + 1];
    f[0] = 0.0;
    // The functional cost min_τ f_τ(θ) as sorted pieces covering the domain.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut next: Vec<Piece> = Vec::new();
    // The largest |F| of a candidate compared so far (for the round-off bound).
    let mut f_max = 0.0f64;
    // Compares the newcomer τ' = t_new with every piece's owner.
    let mut insert = |t_new: usize, f: &[f64], pieces: &mut Vec<Piece>| {
        let f_new = f[t_new];
        if !f_new.is_finite() {
            return;
        }
        f_max = f_max.max(f_new.abs());
        let g_new = |theta: f64| cost.anchored(f_new, t_new, theta);
        next.clear();
        if pieces.is_empty() {
            next.push(Piece {
                lo: f64::NEG_INFINITY,
                hi: f64::INFINITY,
                t: t_new,
                glo: f64::NAN,
                ghi: f64::NAN,
            });
        }
        let margin = 1e-10 * (f_new.abs() + penalty) + f64::MIN_POSITIVE;
        // The whole-piece test (see `Anchored`) holds with this much to spare at both ends;
        // the finite ends lie within the outer pieces' inner ends.
        let theta_max = match (pieces.first(), pieces.last()) {
            (Some(a), Some(b)) => a.hi.abs().max(b.lo.abs()),
            _ => f64::INFINITY,
        };
        let tol = cost.round_off(f_max, theta_max);
        let mut g_lo = pieces.first().map_or(f64::NAN, |p| g_new(p.lo));
        for &p in pieces.iter() {
            let g_hi = g_new(p.hi);
            // NaN (an infinite end) fails the test.
            if g_lo - p.glo >= tol && g_hi - p.ghi >= tol {
                push_piece(&mut next, p);
                g_lo = g_hi;
                continue;
            }
            let newcomer = |lo: f64, hi: f64, glo: f64, ghi: f64| Piece {
                lo,
                hi,
                t: t_new,
                glo,
                ghi,
            };
            let base = f_new - f[p.t] + margin;
            let kept = keep(p.t, t_new, base, p.lo, p.hi).filter(|&(a, b)| a <= b);
            match kept {
                None => push_piece(&mut next, newcomer(p.lo, p.hi, g_lo, g_hi)),
                Some((a, b)) => {
                    let g_old = |theta: f64| cost.anchored(f[p.t], p.t, theta);
                    let (ga, gb) = (
                        if a == p.lo { p.glo } else { g_old(a) },
                        if b == p.hi { p.ghi } else { g_old(b) },
                    );
                    if p.lo < a {
                        push_piece(&mut next, newcomer(p.lo, a, g_lo, g_new(a)));
                    }
                    push_piece(
                        &mut next,
                        Piece {
                            lo: a,
                            hi: b,
                            t: p.t,
                            glo: ga,
                            ghi: gb,
                        },
                    );
                    if b < p.hi {
                        push_piece(&mut next, newcomer(b, p.hi, g_new(b), g_hi));
                    }
                }
            }
            g_lo = g_hi;
        }
        std::mem::swap(pieces, &mut next);
    };
    for s in m..=end {
        insert(s - m, &f, &mut pieces);
        // The best candidate labels a piece; a candidate labelling several is evaluated once
        // per piece (cheaper than keeping a deduplicated list). Exact ties go to the oldest, as
        // in optimal partitioning: a second pass over the totals (a tie-aware comparison in the
        // first pass costs more than the pass).
        // The smallest key (total, τ): exact ties go to the oldest candidate, as in optimal
        // partitioning (a branch-free minimum; a tie-aware comparison costs ≈ 15 % of the search).
        let mut key = u128::MAX;
        for &Piece { t, .. } in &pieces {
            let total = f[t] + (cost.cost(t, s) + penalty);
            key = key.min((u128::from(ordered_bits(total)) << 64) | t as u128);
        }
        let best = from_ordered_bits((key >> 64) as u64);
        let arg = key as u64 as usize;
        f[s] = best;
        last[s] = arg;
    }
    if close {
        for t_new in end + 1 - m.min(end + 1)..=end {
            insert(t_new, &f, &mut pieces);
        }
    }
    let mut alive: Vec<usize> = pieces.iter().map(|p| p.t).collect();
    alive.sort_unstable();
    alive.dedup();
    Run { f, last, alive }
}

/// FPOP (Maidstone, Hocking, Rigaill & Fearnhead 2017, "On optimal multiple changepoint
/// algorithms for large data", Statistics and Computing 27:519–533) for the L2 cost: the exact
/// optimal-partitioning solution (same breakpoints as [`super::optimal_partitioning`] and
/// [`super::pelt`]) in near-linear time even when segments are long, where PELT degrades to
/// O(n²).
///
/// The functional cost `Q_s(μ) = min_τ f_τ(μ)` (best cost of the data so far if the last segment
/// has mean μ, last change at τ) is kept as sorted pieces of the line, each labelled with the
/// candidate τ that is best there; a candidate no longer labelling any piece can never be optimal
/// again and is dropped. The difference of two candidates' functional costs does not change as
/// data arrive, so a newcomer τ' only has to be compared once with each piece's owner τ:
///
/// ```text
/// f_τ(μ) - f_τ'(μ) = F(τ) - F(τ') + Σ_{τ<=i<τ'} (x_i - μ)²   <= 0
///   ⇔  |μ - x̄_{τ:τ'}| <= √((F(τ') - F(τ) - C(τ, τ')) / (τ' - τ))
/// ```
/// τ keeps that interval of its pieces, τ' takes the rest. With a minimum
/// segment length m a candidate joins the comparison only once it is admissible (at s = τ + m),
/// which keeps the pruning exact. A relative margin of 1e-10 widens the intervals against
/// round-off.
///
/// # Errors
/// As [`super::pelt`], and [`crate::Error::NonFinite`] for NaN/±∞ in `x`.
pub fn fpop(x: &[f64], penalty: f64, min_size: usize) -> Result<Segmentation> {
    let cost = L2::new(x)?;
    let n = x.len();
    if n >= SPLIT_MIN_N {
        check_penalty(penalty)?;
        let m = prepare(&cost, min_size)?;
        let h = n / 2;
        if let Some(breakpoints) = fpop_split(&cost, penalty, m, h) {
            return Ok(Segmentation {
                cost: cost.sum_of_costs(&breakpoints),
                breakpoints,
                n,
            });
        }
    }
    fpop_driver(&cost, penalty, min_size, l2_keep(&cost))
}

/// From this many values [`fpop`] runs its two halves on two threads ([`fpop_split`]).
pub(crate) const SPLIT_MIN_N: usize = 20_000;

/// The part of `[lo, hi]` where the older candidate `t` is at least as good as the newcomer
/// (see [`fpop`]).
fn l2_keep<C: CentredSums>(
    cost: &C,
) -> impl Fn(usize, usize, f64, f64, f64) -> Option<(f64, f64)> + '_ {
    move |t, t_new, base, lo, hi| {
        // With S the centred sum and m the length of [t, t_new), C = S2 - S²/m and the kept
        // interval is |μ - S/m| <= √(slack / m), slack = base - C; all tests below use
        // m · slack = m · base - (m · S2 - S²), so the only division is 1/m for the cut.
        let m = (t_new - t) as f64;
        let inv = 1.0 / m;
        let (sum, sq) = cost.centred_sums(t, t_new);
        let m_slack = m * base - (m * sq - sum * sum).max(0.0);
        if m_slack < 0.0 {
            return None;
        }
        // Most pieces lie wholly inside the kept interval (the newcomer only takes the tails):
        // |μ - x̄| <= r on [lo, hi] ⇔ max(S - m lo, m hi - S)² <= m · slack.
        let d = (sum - m * lo).max(m * hi - sum);
        if d <= 0.0 || d * d <= m_slack {
            return Some((lo, hi));
        }
        // Nothing of [lo, hi] is kept when it lies wholly beyond x̄ ± r: max(m lo - S, S - m hi)
        // > 0 and its square > m · slack (most often the previous newcomer's tails).
        let e = (m * lo - sum).max(sum - m * hi);
        if e > 0.0 && e * e > m_slack {
            return None;
        }
        let centre = sum * inv;
        let r = m_slack.sqrt() * inv;
        Some((lo.max(centre - r), hi.min(centre + r)))
    }
}

/// The L2 cost's prefix-sum reads FPOP's keep test needs ([`l2_keep`]).
trait CentredSums: Cost + Anchored {
    /// Sums of the centred values and of their squares over `[start, end)`.
    fn centred_sums(&self, start: usize, end: usize) -> (f64, f64);
}

impl CentredSums for L2 {
    #[inline]
    fn centred_sums(&self, start: usize, end: usize) -> (f64, f64) {
        let (a1, a2) = self.prefix_sums(start);
        let (b1, b2) = self.prefix_sums(end);
        (b1 - a1, b2 - a2)
    }
}

impl Anchored for L2 {
    #[inline]
    fn anchored(&self, f: f64, tau: usize, theta: f64) -> f64 {
        // F(τ) - Σ_{i<τ} (x_i - θ)² = F(τ) - S2(τ) + θ (2 S1(τ) - τ θ).
        let (s1, s2) = self.prefix_sums(tau);
        (f - s2) + theta * (2.0 * s1 - tau as f64 * theta)
    }

    fn round_off(&self, f_max: f64, theta_max: f64) -> f64 {
        let n = self.len();
        l2_round_off(self.prefix_sums(n).1, n, f_max, theta_max)
    }
}

/// The values from `h` of an [`L2`] cost in reverse order, read from its prefix sums (no copy):
/// `[a, b)` of the mirror is `[n - b, n - a)` of the original.
struct Mirrored<'a> {
    cost: &'a L2,
    n: usize,
    len: usize,
}

impl<'a> Mirrored<'a> {
    fn new(cost: &'a L2, h: usize) -> Self {
        let n = cost.len();
        Mirrored {
            cost,
            n,
            len: n - h,
        }
    }
}

impl Cost for Mirrored<'_> {
    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn cost(&self, start: usize, end: usize) -> f64 {
        self.cost.cost(self.n - end, self.n - start)
    }
}

impl Anchored for Mirrored<'_> {
    #[inline]
    fn anchored(&self, f: f64, tau: usize, theta: f64) -> f64 {
        // The first τ mirrored values are the original's last τ.
        let (a1, a2) = self.cost.prefix_sums(self.n);
        let (b1, b2) = self.cost.prefix_sums(self.n - tau);
        (f - (a2 - b2)) + theta * (2.0 * (a1 - b1) - tau as f64 * theta)
    }

    fn round_off(&self, f_max: f64, theta_max: f64) -> f64 {
        l2_round_off(self.cost.prefix_sums(self.n).1, self.n, f_max, theta_max)
    }
}

impl CentredSums for Mirrored<'_> {
    #[inline]
    fn centred_sums(&self, start: usize, end: usize) -> (f64, f64) {
        self.cost.centred_sums(self.n - end, self.n - start)
    }
}

/// The exact optimal partition from two FPOP runs that meet at `h`, one forward over `0..h`
/// (on `cost`, the whole signal) and one backward over `h..n` (on `rev`, the values from `h`
/// reversed), run on two threads; `None` when the join cannot certify the optimum (then the
/// caller runs the sequential recursion).
///
/// Some segment `[a, b)` of any segmentation covers `h` (`a <= h <= b`, `a < b`), so the
/// optimum is
///
/// ```text
/// min_{a <= h <= b} F(a) + β + C(a, b) + B(b)
///   = min_μ [ min_a (F(a) + β + Σ_{a<=i<h} (x_i - μ)²) + min_b (B(b) + Σ_{h<=i<b} (x_i - μ)²) ]
/// ```
/// with `F` the forward and `B` the backward optimal costs (`B(b) = ` the backward run's `f` at
/// `n - b`). Each bracket is a functional cost whose minimum over the candidates is attained,
/// at every μ, by a candidate still labelling a piece; so the minimum over the pairs of the two
/// runs' surviving candidates (both closed at `h`) is the optimum over all pairs. It ignores the
/// minimum length of the covering segment; when the best pair is shorter than `m`, the relaxed
/// optimum is not certified and `None` is returned (rare: a change within `m` of the middle).
/// Among exactly tied optima the one found may differ from the sequential recursion's.
fn fpop_split(cost: &L2, penalty: f64, m: usize, h: usize) -> Option<Vec<usize>> {
    let n = cost.len();
    if h < m || n - h < m {
        return None;
    }
    let rev = Mirrored::new(cost, h);
    let (fwd, back) = std::thread::scope(|s| {
        let back = s.spawn(|| fpop_run(&rev, penalty, m, &l2_keep(&rev), n - h, true));
        let fwd = fpop_run(cost, penalty, m, &l2_keep(cost), h, true);
        (fwd, crate::changepoint::joined(back))
    });
    let mut best = f64::INFINITY;
    let mut pair = None;
    for &a in &fwd.alive {
        for &k in &back.alive {
            let b = n - k;
            if b <= a {
                continue;
            }
            let total = fwd.f[a] + (cost.cost(a, b) + penalty) + back.f[k];
            if total < best {
                best = total;
                pair = Some((a, b));
            }
        }
    }
    let (a, b) = pair?;
    if b - a < m {
        return None;
    }
    let mut breakpoints = backtrack(&fwd.last, a);
    breakpoints.extend((a > 0).then_some(a));
    breakpoints.extend((b < n).then_some(b));
    let mut k = n - b;
    while k > 0 {
        k = back.last[k];
        if k > 0 {
            breakpoints.push(n - k);
        }
    }
    Some(breakpoints)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::changepoint::search::optimal_partitioning;
    use proptest::prelude::*;

    /// The two-thread search at `h` (or the sequential one where the join cannot certify).
    fn split_at(x: &[f64], penalty: f64, min_size: usize, h: usize) -> Option<Vec<usize>> {
        let cost = L2::new(x).unwrap();
        let m = prepare(&cost, min_size).unwrap();
        fpop_split(&cost, penalty, m, h)
    }

    /// Levels on a few segments with Gaussian-ish noise; `ties` rounds to small integers so
    /// that exactly tied optima occur.
    fn signal() -> impl Strategy<Value = (Vec<f64>, bool)> {
        (
            prop::collection::vec((-3.0f64..3.0, 1usize..40), 1..6),
            any::<u64>(),
            any::<bool>(),
        )
            .prop_map(|(segments, seed, ties)| {
                let mut rng = crate::stats::rng::Rng::new(seed);
                let x = segments
                    .iter()
                    .flat_map(|&(level, len)| std::iter::repeat_n(level, len))
                    .map(|level| {
                        let v = level + rng.normal();
                        if ties {
                            v.round()
                        } else {
                            v
                        }
                    })
                    .collect();
                (x, ties)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn split_search_reaches_the_optimum(
            (x, ties) in signal(),
            at in 0.0f64..1.0,
            penalty in 0.0f64..30.0,
            min_size in 1usize..6,
        ) {
            let cost = L2::new(&x).unwrap();
            let Ok(m) = prepare(&cost, min_size) else { return Ok(()) };
            let oracle = optimal_partitioning(&cost, penalty, min_size).unwrap();
            let h = (x.len() as f64 * at) as usize;
            if h < m || x.len() - h < m {
                return Ok(());
            }
            let Some(found) = split_at(&x, penalty, min_size, h) else {
                // Not certified: the best covering pair is shorter than m (never when m = 1).
                prop_assert!(m > 1);
                return Ok(());
            };
            let total = |b: &[usize]| cost.sum_of_costs(b) + penalty * b.len() as f64;
            prop_assert!(found.windows(2).all(|w| w[1] - w[0] >= m), "{found:?}");
            prop_assert!(found.first().map_or(true, |&b| b >= m));
            prop_assert!(found.last().map_or(true, |&b| x.len() - b >= m));
            let (a, b) = (total(&found), total(&oracle.breakpoints));
            prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "{a} vs {b}");
            if !ties {
                prop_assert_eq!(found, oracle.breakpoints);
            }
        }
    }

    #[test]
    fn ordered_bits_order_as_the_values() {
        let v = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -1e-310,
            0.0,
            1e-310,
            1.0,
            3.5,
            1e300,
            f64::INFINITY,
        ];
        for w in v.windows(2) {
            assert!(ordered_bits(w[0]) < ordered_bits(w[1]), "{w:?}");
        }
        for &x in &v {
            assert_eq!(from_ordered_bits(ordered_bits(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn long_signal_splits_and_matches_the_sequential_search() {
        let mut rng = crate::stats::rng::Rng::new(7);
        let n = SPLIT_MIN_N * 2;
        let x: Vec<f64> = (0..n)
            .map(|i| rng.normal() + if (i / 3001) % 2 == 1 { 1.0 } else { 0.0 })
            .collect();
        let penalty = 3.0 * (n as f64).ln();
        let sequential = fpop_driver(
            &L2::new(&x).unwrap(),
            penalty,
            5,
            l2_keep(&L2::new(&x).unwrap()),
        )
        .unwrap();
        assert!(split_at(&x, penalty, 5, n / 2).is_some());
        assert_eq!(
            fpop(&x, penalty, 5).unwrap().breakpoints,
            sequential.breakpoints
        );
        assert_eq!(sequential.breakpoints.len(), n / 3001);
    }
}
