//! Deploy mode (one series per metric; the release switched at a deploy time) and history
//! mode (one value per build).
//!
//! Deploy: the targets of a metric are averaged per grid time; the points before the deploy
//! are the baseline, those after it the candidate, less the restart transient: the `--warmup`
//! duration after the deploy plus a transient found in the data (the last validated change
//! point in the first quarter after the deploy). Unpaired EWC Welch comparison; it assumes no
//! shared drift (daily cycle) between the two windows; the change point nearest the deploy is
//! reported with its time.
//!
//! History: each point is a build; validated change points say where regressions started, and
//! the verdict compares the builds after the last change point with those before it (without
//! a change point, the last quarter of builds with the rest).

use super::estimate::{dispersion, level, spread_series, trend_aspect};
use super::group::{change_points, mean_lane, on_grid, read_counts, Group, Outcome};
use super::paired::MIN_POINTS;
use crate::series::prepare::Prepared;
use crate::series::warmup::{auto_warmup, AUTO_WARMUP_MAX_FRACTION};

fn present(x: &[Option<f64>], times: impl Fn(usize) -> i64) -> (Vec<f64>, Vec<i64>) {
    x.iter()
        .enumerate()
        .filter_map(|(k, v)| v.map(|v| (v, times(k))))
        .unzip()
}

/// Deploy-mode analysis of one metric.
pub fn analyze_deploy(
    group: &Group<'_>,
    step_ms: Option<i64>,
    deploy_ms: i64,
    transient_ms: i64,
    alpha: f64,
) -> Outcome {
    let members: Vec<&Prepared> = group.members.iter().map(|m| m.0).collect();
    let mut data = read_counts(&members);
    data.candidate_targets = members.iter().map(|p| p.key.target.clone()).collect();
    data.baseline_targets = data.candidate_targets.clone();
    let Some((grid, lanes)) = on_grid(&members, step_ms) else {
        return Outcome::no_data(data, "the targets do not overlap in time".into());
    };
    let step_s = grid.step_ms as f64 / 1000.0;
    data.step_s = Some(step_s);
    let all: Vec<&Vec<Option<f64>>> = lanes.iter().collect();
    let avg = mean_lane(&all, grid.len);
    let (x, times) = present(&avg, |k| grid.time(k));
    data.missing += grid.len - x.len();
    let split = times.partition_point(|&t| t < deploy_ms);
    let mut start = times.partition_point(|&t| t < deploy_ms.saturating_add(transient_ms));
    let mut notes = Vec::new();
    if x.len() - start >= 20 {
        if let Ok(w) = auto_warmup(&x[start..], AUTO_WARMUP_MAX_FRACTION) {
            if w.first_kept > 0 {
                notes.push(format!(
                    "restart transient of {} points found after the deploy and trimmed",
                    w.first_kept
                ));
            }
            start += w.first_kept;
        }
    }
    data.warmup_trimmed += start - split;
    let (before, after) = (&x[..split], &x[start..]);
    data.points = before.len() + after.len();
    if before.len() < MIN_POINTS || after.len() < MIN_POINTS {
        return Outcome::no_data(
            data,
            format!(
                "{} points before and {} after the deploy (need {MIN_POINTS} each)",
                before.len(),
                after.len()
            ),
        );
    }
    let lvl = match level(before, after, false, false, alpha) {
        Ok(a) => Some(a),
        Err(e) => {
            notes.push(format!("level not compared: {e}"));
            None
        }
    };
    let base = before.iter().sum::<f64>() / before.len() as f64;
    let cand_level = after.iter().sum::<f64>() / after.len() as f64;
    let tr = trend_aspect(
        &times[start..],
        after,
        (base, cand_level),
        true,
        "OLS slope after the deploy, EWC".into(),
        alpha,
    )
    .ok();
    let sb: Vec<f64> = spread_series(&before.iter().map(|v| Some(*v)).collect::<Vec<_>>())
        .into_iter()
        .flatten()
        .collect();
    let sa: Vec<f64> = spread_series(&after.iter().map(|v| Some(*v)).collect::<Vec<_>>())
        .into_iter()
        .flatten()
        .collect();
    let disp = (sb.len() >= MIN_POINTS && sa.len() >= MIN_POINTS)
        .then(|| dispersion(&sb, &sa, false, alpha).ok())
        .flatten();
    let (cps, note) = change_points("series", &x, &times, None);
    notes.extend(note);
    // The change point nearest the deploy.
    let nearest = cps.iter().min_by_key(|c| c.index.abs_diff(split)).cloned();
    if let Some(c) = &nearest {
        notes.push(format!(
            "change point nearest the deploy: {} ({:+.3} → {:+.3})",
            c.time, c.before, c.after
        ));
    }
    if let Some(l) = &lvl {
        data.n_effective = Some(l.n_effective);
    }
    Outcome {
        level: lvl,
        trend: tr,
        dispersion: disp,
        noise_floor: None,
        replicas: None,
        change_points: cps,
        data,
        notes,
        step_s,
    }
}

/// History-mode analysis of one metric (`builds[i]` names point i when known).
pub fn analyze_history(
    group: &Group<'_>,
    builds: &dyn Fn(i64) -> Option<String>,
    alpha: f64,
) -> Outcome {
    let members: Vec<&Prepared> = group.members.iter().map(|m| m.0).collect();
    let mut data = read_counts(&members);
    data.candidate_targets = members.iter().map(|p| p.key.target.clone()).collect();
    // One value per build: the members' values at their common timestamps, averaged.
    let first = members[0];
    let mut x = Vec::new();
    let mut times = Vec::new();
    for (i, &t) in first.timestamps_ms.iter().enumerate() {
        let mut s = first.values[i];
        let mut ok = s.is_finite();
        for m in &members[1..] {
            match m.timestamps_ms.binary_search(&t) {
                Ok(j) if m.values[j].is_finite() => s += m.values[j],
                _ => ok = false,
            }
        }
        if ok {
            x.push(s / members.len() as f64);
            times.push(t);
        } else {
            data.missing += 1;
        }
    }
    data.points = x.len();
    if x.len() < 2 * MIN_POINTS {
        return Outcome::no_data(
            data,
            format!("{} builds (need {})", x.len(), 2 * MIN_POINTS),
        );
    }
    let ids: Vec<String> = times
        .iter()
        .map(|&t| builds(t).unwrap_or_else(|| crate::series::time::format_rfc3339(t)))
        .collect();
    let (cps, note) = change_points("series", &x, &times, Some(&ids));
    let mut notes: Vec<String> = note.into_iter().collect();
    let (lo, split) = match cps.last() {
        Some(last) => (cps.iter().rev().nth(1).map_or(0, |c| c.index), last.index),
        None => (0, x.len() - x.len() / 4),
    };
    let (before, after) = (&x[lo..split], &x[split..]);
    let lvl = if before.len() >= 3 && after.len() >= 3 {
        match level(before, after, false, false, alpha) {
            Ok(mut a) => {
                a.method = format!(
                    "{} (builds {}..{} vs {}..)",
                    a.method,
                    ids[lo],
                    ids[split - 1],
                    ids[split]
                );
                Some(a)
            }
            Err(e) => {
                notes.push(format!("level not compared: {e}"));
                None
            }
        }
    } else {
        None
    };
    match cps.last() {
        Some(c) => notes.push(format!(
            "latest change starts at build {}",
            c.build.as_deref().unwrap_or("?")
        )),
        None => notes.push(
            "no validated change point; last quarter of builds compared with the rest".into(),
        ),
    }
    Outcome {
        level: lvl,
        trend: None,
        dispersion: None,
        noise_floor: None,
        replicas: None,
        change_points: cps,
        data,
        notes,
        step_s: 0.0,
    }
}
