//! Paired mode: baseline and candidate targets ran side by side on the same traffic.
//!
//! Every target of a metric goes onto one grid; per grid time each release's level is the
//! mean of its replicas (times where a replica is missing are dropped and counted). The
//! comparison then uses the pairing: per-time log-ratios (differences, as a ratio of means, for
//! counts and non-positive values) cancel load and daily cycles the targets share. With two or
//! more replicas of a release, replica-vs-replica (A/A) comparisons give the noise floor: no
//! difference smaller than what two replicas of one release show is called a change, and the
//! spread of their difference is each release's own noise (the dispersion comparison).

use super::estimate::{dispersion, level, spread_series, trend_aspect, Aspect};
use super::group::{change_points, mean_lane, on_grid, read_counts, Group, Outcome};
use super::policy::MetricClass;
use super::replicas::ReplicaPairs;
use crate::series::prepare::Prepared;
use crate::series::Role;
use crate::Error;

/// Fewest paired points a comparison needs.
pub const MIN_POINTS: usize = 10;

fn complete(b: &[Option<f64>], c: &[Option<f64>]) -> Vec<usize> {
    (0..b.len())
        .filter(|&k| b[k].is_some() && c[k].is_some())
        .collect()
}

fn take(x: &[Option<f64>], idx: &[usize]) -> Vec<f64> {
    idx.iter().filter_map(|&k| x[k]).collect()
}

/// Replica-vs-replica (A/A) comparisons of one release, every pair, paired as the release
/// comparison is.
fn replica_pairs(lanes: &[&Vec<Option<f64>>], ratio_of_means: bool, alpha: f64) -> Vec<Aspect> {
    let mut out = Vec::new();
    for i in 0..lanes.len() {
        for j in i + 1..lanes.len() {
            let idx = complete(lanes[i], lanes[j]);
            if idx.len() < MIN_POINTS {
                continue;
            }
            let (a, b) = (take(lanes[i], &idx), take(lanes[j], &idx));
            if let Ok(r) = level(&a, &b, true, ratio_of_means, alpha) {
                out.push(r);
            }
        }
    }
    out
}

/// Paired analysis of one metric.
pub fn analyze(group: &Group<'_>, step_ms: Option<i64>, alpha: f64) -> Outcome {
    let members: Vec<&Prepared> = group.members.iter().map(|m| m.0).collect();
    let mut data = read_counts(&members);
    let role_of = |r: Role| -> Vec<usize> {
        group
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.1 == Some(r))
            .map(|(i, _)| i)
            .collect()
    };
    let (bi, ci) = (role_of(Role::Baseline), role_of(Role::Candidate));
    data.baseline_targets = bi.iter().map(|&i| members[i].key.target.clone()).collect();
    data.candidate_targets = ci.iter().map(|&i| members[i].key.target.clone()).collect();
    if bi.is_empty() || ci.is_empty() {
        let side = if bi.is_empty() {
            "candidate"
        } else {
            "baseline"
        };
        return Outcome::no_data(data, format!("present in the {side} only"));
    }
    let Some((grid, lanes)) = on_grid(&members, step_ms) else {
        return Outcome::no_data(
            data,
            "the targets do not overlap in time (no common grid)".into(),
        );
    };
    let step_s = grid.step_ms as f64 / 1000.0;
    data.step_s = Some(step_s);
    let bl: Vec<&Vec<Option<f64>>> = bi.iter().map(|&i| &lanes[i]).collect();
    let cl: Vec<&Vec<Option<f64>>> = ci.iter().map(|&i| &lanes[i]).collect();
    let (b, c) = (mean_lane(&bl, grid.len), mean_lane(&cl, grid.len));
    let idx = complete(&b, &c);
    data.points = idx.len();
    data.missing += grid.len - idx.len();
    if idx.len() < MIN_POINTS {
        return Outcome::no_data(
            data,
            format!("{} paired points (need {MIN_POINTS})", idx.len()),
        );
    }
    let (bv, cv) = (take(&b, &idx), take(&c, &idx));
    let times: Vec<i64> = idx.iter().map(|&k| grid.time(k)).collect();
    let errors = group.policy.class == MetricClass::Errors;
    let mut notes = Vec::new();
    let lvl = match level(&bv, &cv, true, errors, alpha) {
        Ok(a) => Some(a),
        Err(Error::Constant { .. }) if bv == cv => {
            notes.push("both releases constant and equal".into());
            None
        }
        Err(e) => {
            notes.push(format!("level not compared: {e}"));
            None
        }
    };
    // A/A: replicas of one release against each other give the noise floor (a margin) and
    // the between-replica variance (it widens the level interval).
    let (aa_b, aa_c) = (
        replica_pairs(&bl, errors, alpha),
        replica_pairs(&cl, errors, alpha),
    );
    let noise = aa_b
        .iter()
        .chain(&aa_c)
        .filter_map(|a| a.effect.relative)
        .map(f64::abs)
        .reduce(f64::max);
    // The between-replica variance is pooled across metrics before it widens the interval
    // (`replicas::widen_all`).
    let replicas = (!errors)
        .then(|| ReplicaPairs::from_aa(&[&aa_b, &aa_c], (bl.len(), cl.len())))
        .flatten();
    // Trend of the candidate against the baseline, relative per hour.
    let positive = bv.iter().chain(&cv).all(|v| *v > 0.0) && !errors;
    let base_level = bv.iter().sum::<f64>() / bv.len() as f64;
    let y: Vec<f64> = bv
        .iter()
        .zip(&cv)
        .map(|(b, c)| if positive { (c / b).ln() } else { c - b })
        .collect();
    let cand_level = cv.iter().sum::<f64>() / cv.len() as f64;
    let pairing = if positive { "log-ratio" } else { "difference" };
    let tr = trend_aspect(
        &times,
        &y,
        (base_level, cand_level),
        !positive,
        format!("OLS slope of the paired {pairing}, EWC"),
        alpha,
    )
    .ok();
    // Dispersion: with two replicas per release, the increments of their difference (shared
    // load and persistent replica offsets cancel: what remains is the release's own noise);
    // otherwise the increments of each release's mean (shared load included on both sides).
    let disp = if errors {
        None
    } else {
        let own = |lanes: &[&Vec<Option<f64>>]| -> Vec<Option<f64>> {
            if lanes.len() >= 2 && bl.len() >= 2 && cl.len() >= 2 {
                let d: Vec<Option<f64>> = (0..grid.len)
                    .map(|k| Some(lanes[0][k]? - lanes[1][k]?))
                    .collect();
                spread_series(&d)
            } else {
                spread_series(&mean_lane(lanes, grid.len))
            }
        };
        let (ab, ac) = (own(&bl), own(&cl));
        let j = complete(&ab, &ac);
        let (xb, xc) = (take(&ab, &j), take(&ac, &j));
        (j.len() >= MIN_POINTS)
            .then(|| dispersion(&xb, &xc, true, alpha).ok())
            .flatten()
    };
    let (mut cps, note_b) = change_points("baseline", &bv, &times, None);
    let (cpc, note_c) = change_points("candidate", &cv, &times, None);
    cps.extend(cpc);
    notes.extend(note_b.into_iter().chain(note_c));
    if let Some(l) = &lvl {
        data.n_effective = Some(l.n_effective);
    }
    Outcome {
        level: lvl,
        trend: tr,
        dispersion: disp,
        noise_floor: noise,
        change_points: cps,
        data,
        notes,
        step_s,
        replicas,
    }
}
