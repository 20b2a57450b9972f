//! From an estimate to a verdict: evidence (adjusted p < α) and size (the whole interval beyond
//! the margin in the worse direction) and direction. Equivalence (`no_change`) only when the
//! interval lies inside ± the margin; otherwise `inconclusive`.

use crate::policy::Direction;
use crate::report::{Effect, Verdict};

/// The verdict of a decided change upwards (`up`) or downwards: a regression when the
/// direction says that change is worse ([`Direction::is_worse`]), else an improvement.
fn side(direction: Direction, up: bool) -> Verdict {
    if direction.is_worse(if up { 1.0 } else { -1.0 }) {
        Verdict::Regression
    } else {
        Verdict::Improvement
    }
}

/// Verdict of an interval `[lo, hi]` against the margins `-down` and `+up` (both ≥ 0).
///
/// ```text
/// significant ∧ lo > +up    → the "up" verdict     (regression if higher is worse)
/// significant ∧ hi < −down  → the "down" verdict
/// −down ≤ lo ∧ hi ≤ +up     → no_change (equivalence, TOST at the interval's level)
/// otherwise                 → inconclusive
/// ```
pub fn judge_interval(
    ci: [f64; 2],
    significant: bool,
    direction: Direction,
    up: f64,
    down: f64,
) -> Verdict {
    let [lo, hi] = ci;
    if significant && lo > up {
        side(direction, true)
    } else if significant && hi < -down {
        side(direction, false)
    } else if lo >= -down && hi <= up {
        Verdict::NoChange
    } else {
        Verdict::Inconclusive
    }
}

/// Verdict of a trend (a leak): a significant slope whose estimate exceeds the minimum slope
/// per hour in the worse direction. Unlike a level, a leak does not revert, so the estimate
/// (not the whole interval) must pass the margin; significance still guards against noise.
/// Only `regression` / `improvement` are returned, else `inconclusive` (a trend never claims
/// `no_change`: the level does).
pub fn judge_slope(slope: f64, significant: bool, direction: Direction, min_per_h: f64) -> Verdict {
    if significant && slope.abs() > min_per_h {
        side(direction, slope > 0.0)
    } else {
        Verdict::Inconclusive
    }
}

/// Verdict of a level effect: on the relative interval with margin `m`; when the relative
/// effect is undefined (baseline level 0) on the absolute interval with `abs_margin`. With
/// `abs_margin` the size condition also needs the absolute interval beyond it (errors: ratio
/// and events per second).
pub fn judge_level(
    effect: &Effect,
    significant: bool,
    direction: Direction,
    abs_margin: Option<f64>,
) -> Verdict {
    let m = effect.margin;
    let by_abs =
        abs_margin.map(|a| judge_interval(effect.ci_absolute, significant, direction, a, a));
    match (effect.ci_relative, by_abs) {
        (Some(ci), None) => judge_interval(ci, significant, direction, m, m),
        (Some(ci), Some(abs)) => {
            let rel = judge_interval(ci, significant, direction, m, m);
            match (rel, abs) {
                (a, b) if a == b => a,
                // Equivalent by either scale: too small to matter.
                (Verdict::NoChange, _) | (_, Verdict::NoChange) => Verdict::NoChange,
                _ => Verdict::Inconclusive,
            }
        }
        (None, Some(abs)) => abs,
        (None, None) => Verdict::Inconclusive,
    }
}

/// Minutes of further data that would shrink the interval enough to decide (equivalence when
/// the estimate is inside the margin, significance beyond it), assuming the half-width falls
/// as 1/√n.
pub fn minutes_to_resolve(
    ci: [f64; 2],
    estimate: f64,
    margin: f64,
    n: usize,
    step_s: f64,
) -> Option<f64> {
    let half = (ci[1] - ci[0]) / 2.0;
    let gap = (margin - estimate.abs()).abs();
    if !(half > 0.0 && gap > 0.0 && step_s > 0.0) {
        return None;
    }
    let factor = (half / gap).powi(2);
    (factor > 1.0).then(|| (factor - 1.0) * n as f64 * step_s / 60.0)
}

/// `+6.1 %`.
pub fn pct(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let v = x * 100.0;
    if v.abs() >= 100.0 {
        format!("{v:+.0} %")
    } else if v.abs() >= 10.0 {
        format!("{v:+.1} %")
    } else {
        format!("{v:+.2} %")
    }
}

/// `[+3.4, +8.9] %`.
pub fn pct_ci(ci: [f64; 2]) -> String {
    let f = |x: f64| {
        let v = x * 100.0;
        if !v.is_finite() {
            "n/a".to_string()
        } else if v.abs() >= 10.0 {
            format!("{v:+.1}")
        } else {
            format!("{v:+.2}")
        }
    };
    format!("[{}, {}] %", f(ci[0]), f(ci[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_rules() {
        let up = Direction::HigherIsWorse;
        assert_eq!(
            judge_interval([0.04, 0.08], true, up, 0.03, 0.03),
            Verdict::Regression
        );
        assert_eq!(
            judge_interval([0.04, 0.08], false, up, 0.03, 0.03),
            Verdict::Inconclusive
        );
        assert_eq!(
            judge_interval([0.02, 0.08], true, up, 0.03, 0.03),
            Verdict::Inconclusive
        );
        assert_eq!(
            judge_interval([-0.02, 0.02], true, up, 0.03, 0.03),
            Verdict::NoChange
        );
        assert_eq!(
            judge_interval([-0.08, -0.04], true, up, 0.03, 0.03),
            Verdict::Improvement
        );
        assert_eq!(
            judge_interval([-0.08, -0.04], true, Direction::LowerIsWorse, 0.03, 0.03),
            Verdict::Regression
        );
        assert_eq!(
            judge_interval([-0.08, -0.04], true, Direction::Either, 0.03, 0.03),
            Verdict::Regression
        );
        assert_eq!(judge_slope(0.012, true, up, 0.01), Verdict::Regression);
        assert_eq!(judge_slope(0.012, false, up, 0.01), Verdict::Inconclusive);
        assert_eq!(judge_slope(0.008, true, up, 0.01), Verdict::Inconclusive);
        // Half-width 0.01 around 0.01 with margin 0.03: already inside → nothing to wait for.
        assert!(minutes_to_resolve([0.0, 0.02], 0.01, 0.03, 100, 60.0).is_none());
        // Half-width 0.04: factor 4 → 3 × 100 minutes.
        let m = minutes_to_resolve([-0.03, 0.05], 0.01, 0.03, 100, 60.0).unwrap_or(0.0);
        assert!((m - 300.0).abs() < 1e-9, "{m}");
        assert_eq!(pct(0.061), "+6.10 %");
        assert_eq!(pct_ci([0.034, 0.089]), "[+3.40, +8.90] %");
    }
}
