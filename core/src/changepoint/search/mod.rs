//! Searches: which segmentation minimises the total cost (plus a penalty per change).
//!
//! Every search takes any [`Cost`] (generic, so `&dyn Cost` works too) and returns a
//! [`Segmentation`] whose `breakpoints` are the 0-based indices of the first sample of each new
//! segment — ruptures' convention without the trailing `n`. Every segment has at least
//! `max(min_size, cost.min_size())` samples.
//!
//! | search | stop | result |
//! |---|---|---|
//! | [`optimal_partitioning`] | penalty | exact, O(n²): the test oracle |
//! | [`segment_neighbourhood`] | number of changes | exact, O(k n²) (ruptures' `Dynp`) |
//! | [`pelt`] | penalty | exact (= oracle), O(n) to O(n²) depending on pruning |
//! | [`fpop`] (L2), [`fpop_poisson`], [`fpop_l1`], [`fpop_biweight`] | penalty | exact (= oracle), near-linear even with few changes; [`fpop`] on two threads from 2·10⁴ values |
//! | [`seeded`] | penalty | exact within windows around seeds (not in general), near-linear with few changes |
//! | [`binseg`] | either | greedy, O(n log n) typical |
//! | [`crops`] | penalty range | every optimal segmentation for penalties in a range |

mod binseg;
mod crops;
mod dp;
mod fpop;
mod fpop_biweight;
mod fpop_l1;
mod fpop_poisson;
mod pelt;
mod seeded;

use std::fmt;
use std::str::FromStr;

pub use binseg::binseg;
pub use crops::{crops, Crops, CropsEntry};
pub use dp::{optimal_partitioning, segment_neighbourhood};
pub use fpop::fpop;
pub use fpop_biweight::{fpop_biweight, fpop_biweight_cost};
pub use fpop_l1::fpop_l1;
pub use fpop_poisson::fpop_poisson;
pub use pelt::pelt;
pub use seeded::{seeded, SEEDED_MIN_N};

use super::cost::{Biweight, Cost, CostKind, Linear};
use crate::{Error, Result};

/// When a search stops: a penalty per change point, or a fixed number of changes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// Minimise `Σ cost + penalty · (number of changes)`; the penalty is in cost units.
    Penalty(f64),
    /// Exactly this many change points (fewer only for binary segmentation when no split is
    /// left).
    NumChanges(usize),
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Segmentation {
    /// 0-based index of the first sample of each new segment, strictly increasing, never 0 or n.
    pub breakpoints: Vec<usize>,
    /// Sum of the segment costs (without penalty).
    pub cost: f64,
    /// Number of samples segmented.
    pub n: usize,
}

impl Segmentation {
    /// Half-open segments `[start, end)` covering `0..n`.
    pub fn segments(&self) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::with_capacity(self.breakpoints.len() + 1);
        let mut start = 0;
        for &b in self.breakpoints.iter().chain(std::iter::once(&self.n)) {
            out.push(start..b);
            start = b;
        }
        out
    }
}

/// The search methods by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// [`pelt`] (`"pelt"`); with a number of changes it falls back to [`segment_neighbourhood`].
    /// Through [`penalised`] (what `detect` runs), functional pruning where the cost has it and
    /// [`seeded`] for the linear, normal and np costs above [`SEEDED_MIN_N`] values.
    #[default]
    Pelt,
    /// Exact dynamic programming: [`optimal_partitioning`] with a penalty,
    /// [`segment_neighbourhood`] with a number of changes (`"dp"`, `"dynp"`, `"op"`).
    Dp,
    /// [`binseg`] (`"binseg"`).
    Binseg,
    /// [`fpop`] / [`fpop_poisson`] (`"fpop"`): functional pruning, same result as PELT; used by
    /// [`crate::changepoint::detect()`] for the L2 and Poisson costs. Through [`search`], which
    /// only sees a cost, it runs [`pelt`].
    Fpop,
}

impl Method {
    /// The canonical name accepted by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            Method::Pelt => "pelt",
            Method::Dp => "dp",
            Method::Binseg => "binseg",
            Method::Fpop => "fpop",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pelt" => Ok(Method::Pelt),
            "dp" | "dynp" | "op" | "exact" => Ok(Method::Dp),
            "binseg" | "bs" => Ok(Method::Binseg),
            "fpop" => Ok(Method::Fpop),
            _ => Err(Error::UnknownName {
                kind: "method",
                value: s.to_string(),
                expected: "pelt, fpop, dp, binseg",
            }),
        }
    }
}

/// Runs `method` with `stop` on `cost`.
///
/// # Errors
/// As the search called: [`Error::TooFewPoints`] when the signal is shorter than one segment,
/// [`Error::InvalidArgument`] for a negative/non-finite penalty or too many changes.
pub fn search<C: Cost + ?Sized>(
    cost: &C,
    method: Method,
    stop: Stop,
    min_size: usize,
) -> Result<Segmentation> {
    match (method, stop) {
        (Method::Pelt | Method::Fpop, Stop::Penalty(p)) => pelt(cost, p, min_size),
        (Method::Dp, Stop::Penalty(p)) => optimal_partitioning(cost, p, min_size),
        (Method::Pelt | Method::Fpop | Method::Dp, Stop::NumChanges(k)) => {
            segment_neighbourhood(cost, k, min_size)
        }
        (Method::Binseg, stop) => binseg(cost, stop, min_size),
    }
}

/// The penalised search `method` for the cost `kind` over `values`, with functional pruning
/// where the cost has it: [`fpop`] (l2), [`fpop_poisson`] (poisson), [`fpop_l1`] (l1) and
/// [`fpop_biweight`] (biweight, threshold `3σ̂` of [`Biweight::new`]) for
/// [`Method::Pelt`] / [`Method::Fpop`] (the same segmentation as [`pelt`], near-linear with
/// few changes). The costs without functional pruning (linear, normal, np) run [`pelt`] (exact)
/// up to [`SEEDED_MIN_N`] values and [`seeded`] above (near-linear; exact within windows around
/// seeds, not in general: see [`seeded`]), since PELT is quadratic there when changes are few.
/// [`Method::Dp`] is exact for every cost ([`optimal_partitioning`]), as is [`pelt`] through
/// [`search`]. The one place that chooses the solver, used by [`crate::changepoint::detect()`]
/// and [`crops_path`] (which keeps PELT: CROPS needs exact solutions).
///
/// # Errors
/// As the search called, and as [`CostKind::build`] for the values.
pub fn penalised(
    values: &[f64],
    kind: CostKind,
    method: Method,
    penalty: f64,
    min_size: usize,
) -> Result<Segmentation> {
    match (kind, method) {
        (CostKind::L2, Method::Pelt | Method::Fpop) => fpop(values, penalty, min_size),
        (CostKind::Poisson, Method::Pelt | Method::Fpop) => fpop_poisson(values, penalty, min_size),
        (CostKind::L1, Method::Pelt | Method::Fpop) => fpop_l1(values, penalty, min_size),
        (CostKind::Biweight, Method::Pelt | Method::Fpop) => {
            fpop_biweight_cost(&Biweight::new(values)?, penalty, min_size)
        }
        // `auto`'s trend fit: the cost known statically, so its evaluations inline.
        (CostKind::Linear, Method::Binseg) => {
            binseg::binseg_linear(&Linear::new(values)?, Stop::Penalty(penalty), min_size)
        }
        (CostKind::Linear | CostKind::Normal | CostKind::Np, Method::Pelt | Method::Fpop)
            if values.len() > SEEDED_MIN_N =>
        {
            seeded(&*kind.build(values)?, penalty, min_size)
        }
        _ => search(
            &*kind.build(values)?,
            method,
            Stop::Penalty(penalty),
            min_size,
        ),
    }
}

/// [`crops`] over `[range.0, range.1]` (penalties in cost units) with the solver
/// [`penalised`] picks for `kind` and `method`; the cost is prepared once. `decafs` runs
/// [`crate::changepoint::decafs_crops`] with the parameters estimated from `values`
/// (penalties in `-2 log L` units; `method` and `min_size` do not apply).
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 values, [`Error::NonFinite`], and as [`crops`] and
/// [`penalised`].
pub fn crops_path(
    values: &[f64],
    kind: CostKind,
    method: Method,
    min_size: usize,
    range: (f64, f64),
) -> Result<Crops> {
    crops_path_with(
        values,
        kind,
        method,
        min_size,
        range,
        &crate::progress::Silent,
    )
}

/// [`crops_path`] reporting each finished search to `progress` as `(searches, 0)` (the number
/// of searches is not known in advance), which can cancel between searches.
///
/// # Errors
/// As [`crops_path`]; [`Error::Cancelled`] when the hook asks to stop.
pub fn crops_path_with(
    values: &[f64],
    kind: CostKind,
    method: Method,
    min_size: usize,
    range: (f64, f64),
    progress: &dyn crate::progress::Progress,
) -> Result<Crops> {
    crate::stats::check::sample("values", values, 2)?;
    let (lo, hi) = range;
    let mut searches = 0u64;
    let mut report = |s: Result<Segmentation>| -> Result<Segmentation> {
        searches += 1;
        if !progress.is_silent() && progress.update(searches, 0).is_break() {
            return Err(Error::Cancelled);
        }
        s
    };
    match (kind, method) {
        (CostKind::Decafs, _) => {
            // The drift model: its parameters estimated as `detect` does, penalties in -2 log L.
            let params = super::decafs::DecafsParams::estimate(values)?;
            super::decafs::decafs_crops_with(values, &params, lo, hi, &mut |s| report(s))
        }
        (
            CostKind::L2 | CostKind::Poisson | CostKind::L1 | CostKind::Biweight,
            Method::Pelt | Method::Fpop,
        ) => crops(lo, hi, |b| {
            report(penalised(values, kind, method, b, min_size))
        }),
        _ => {
            let cost = kind.build(values)?;
            crops(lo, hi, |b| {
                report(search(&*cost, method, Stop::Penalty(b), min_size))
            })
        }
    }
}

/// Effective minimum segment length and the checks shared by all searches.
pub(crate) fn prepare<C: Cost + ?Sized>(cost: &C, min_size: usize) -> Result<usize> {
    let m = min_size.max(cost.min_size()).max(1);
    if cost.len() < m {
        return Err(Error::TooFewPoints {
            what: "signal",
            needed: m,
            got: cost.len(),
        });
    }
    Ok(m)
}

/// Errors unless the penalty is finite and ≥ 0.
pub(crate) fn check_penalty(penalty: f64) -> Result<()> {
    if penalty.is_finite() && penalty >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            "penalty",
            format!("must be finite and >= 0, got {penalty}"),
        ))
    }
}

/// Follows `last[s]` (start of the last segment ending at `s`) back from `n`.
pub(crate) fn backtrack(last: &[usize], n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut s = n;
    while s > 0 {
        s = last[s];
        if s > 0 {
            out.push(s);
        }
    }
    out.reverse();
    out
}
