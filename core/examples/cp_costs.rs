//! Times `detect` with each segment cost (and the default) on a seeded signal with 10 changes,
//! and the penalised search alone; a quick side-by-side of the per-cost speed that criterion
//! (`cargo bench --bench changepoint -- cost_1e6`) measures properly:
//!
//! ```text
//! cargo run --release -p shiftwatch --example cp_costs -- 1000000 [l2,poisson,l1,linear,normal,np,decafs,auto]
//! cargo run --release -p shiftwatch --example cp_costs -- 1000000 phases
//! ```
//! `phases` times the parts of the default (`auto`) on the l2 signal through the public API.

use std::time::Instant;

use shiftwatch::changepoint::search::{penalised, Method};
use shiftwatch::changepoint::{detect, CostKind, DetectOptions, Penalty};
use shiftwatch::stats::rng::Rng;

/// Ten changes in unit Gaussian noise: the mean alternates 0 / 2 (counts with rates 5 / 8 for
/// the Poisson cost; for `normal` and `np` the spread doubles too).
fn signal(n: usize, kind: CostKind, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    let seg = (n / 11).max(1);
    (0..n)
        .map(|i| {
            let odd = (i / seg) % 2 == 1;
            match kind {
                CostKind::Poisson => {
                    let rate: f64 = if odd { 8.0 } else { 5.0 };
                    rng.poisson(rate)
                }
                CostKind::Linear => {
                    // Slopes alternate, continuous level: ten trend changes.
                    let k = i / seg;
                    let pos = (i % seg) as f64 / seg as f64;
                    let up = k % 2 == 0;
                    (if up { pos } else { 1.0 - pos }) * 4.0 + rng.normal()
                }
                CostKind::Normal | CostKind::Np => {
                    rng.normal() * if odd { 2.0 } else { 1.0 } + if odd { 2.0 } else { 0.0 }
                }
                _ => rng.normal() + if odd { 2.0 } else { 0.0 },
            }
        })
        .collect()
}

fn main() -> Result<(), shiftwatch::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let list = args
        .next()
        .unwrap_or_else(|| "l2,poisson,l1,linear,normal,np,decafs,auto".to_string());
    if list == "phases" {
        return phases(n);
    }
    let kinds: Vec<CostKind> = list
        .split(',')
        .map(|s| s.parse())
        .collect::<Result<_, _>>()?;
    for kind in kinds {
        let x = signal(n, kind, 42);
        let opts = DetectOptions {
            cost: kind,
            ..DetectOptions::default()
        };
        let start = Instant::now();
        let d = detect(&x, &opts)?;
        let secs = start.elapsed().as_secs_f64();
        let mut line = format!(
            "{kind:>8} n={n}: detect {secs:.3} s, {} changes ({} candidates)",
            d.change_points.len(),
            d.candidates.len()
        );
        if !matches!(kind, CostKind::Auto | CostKind::Decafs) {
            // The search alone, raw values, BIC-like penalty in cost units (σ = 1).
            let pen = Penalty::Mbic.cost_units(
                n,
                kind.build(&x[..10])?.params_per_segment(),
                match kind {
                    CostKind::L1 => 1.0 / std::f64::consts::SQRT_2 / 2.0,
                    _ => 1.0,
                },
            );
            // Best of 3: the machine may be shared.
            let mut secs = f64::INFINITY;
            let mut changes = 0;
            for _ in 0..3 {
                let start = Instant::now();
                let s = penalised(&x, kind, Method::Pelt, pen, 5)?;
                secs = secs.min(start.elapsed().as_secs_f64());
                changes = s.breakpoints.len();
            }
            line += &format!("; search {secs:.3} s (best of 3), {changes} changes");
        }
        println!("{line}");
    }
    Ok(())
}

/// Wall time of each part of the default `detect` (cost `auto`) at `n`, best of 3.
fn phases(n: usize) -> Result<(), shiftwatch::Error> {
    use shiftwatch::changepoint::{normal_scores, DecafsParams, NoiseScale};
    let x = signal(n, CostKind::L2, 42);
    let best = |f: &mut dyn FnMut() -> Result<(), shiftwatch::Error>| {
        let mut t = f64::INFINITY;
        for _ in 0..3 {
            let start = Instant::now();
            f()?;
            t = t.min(start.elapsed().as_secs_f64());
        }
        Ok::<f64, shiftwatch::Error>(t)
    };
    let y = normal_scores(&x)?;
    let rows: Vec<(&str, f64)> = vec![
        ("normal scores", best(&mut || normal_scores(&x).map(drop))?),
        (
            "drift estimate (DecafsParams)",
            best(&mut || DecafsParams::estimate(&x).map(drop))?,
        ),
        (
            "noise scale (NoiseScale)",
            best(&mut || NoiseScale::estimate(&y).map(drop))?,
        ),
        (
            "l2 search (fpop, scores)",
            best(&mut || {
                penalised(&y, CostKind::L2, Method::Pelt, 3.0 * (n as f64).ln(), 5).map(drop)
            })?,
        ),
        (
            "detect cost=l2 (step: scores, search, refine, validation)",
            best(&mut || {
                detect(
                    &x,
                    &DetectOptions {
                        cost: CostKind::L2,
                        ..DetectOptions::default()
                    },
                )
                .map(drop)
            })?,
        ),
        (
            "detect cost=linear method=binseg (auto's trend fit)",
            best(&mut || {
                detect(
                    &x,
                    &DetectOptions {
                        cost: CostKind::Linear,
                        method: Method::Binseg,
                        ..DetectOptions::default()
                    },
                )
                .map(drop)
            })?,
        ),
        (
            "detect default (auto)",
            best(&mut || detect(&x, &DetectOptions::default()).map(drop))?,
        ),
    ];
    for (name, t) in rows {
        println!("{name:>58}: {t:.3} s");
    }
    Ok(())
}
