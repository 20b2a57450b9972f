//! Times `detect` with each segment cost (and the default) on a seeded signal with 10 changes,
//! and the penalised search alone; a quick side-by-side of the per-cost speed that criterion
//! (`cargo bench --bench changepoint -- cost_1e6`) measures properly:
//!
//! ```text
//! cargo run --release -p shiftwatch --example cp_costs -- 1000000 [l2,poisson,l1,linear,normal,np,auto]
//! ```

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
                    let (mut k, mut p, u) = (0.0, (-rate).exp(), rng.uniform());
                    let mut cdf = p;
                    while u > cdf && k < 1000.0 {
                        k += 1.0;
                        p *= rate / k;
                        cdf += p;
                    }
                    k
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
    let kinds: Vec<CostKind> = args
        .next()
        .unwrap_or_else(|| "l2,poisson,l1,linear,normal,np,auto".to_string())
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
        if kind != CostKind::Auto {
            // The search alone, raw values, BIC-like penalty in cost units (σ = 1).
            let pen = Penalty::Mbic.cost_units(
                n,
                kind.build(&x[..10])?.params_per_segment(),
                match kind {
                    CostKind::L1 => 1.0 / std::f64::consts::SQRT_2 / 2.0,
                    _ => 1.0,
                },
            );
            let start = Instant::now();
            let s = penalised(&x, kind, Method::Pelt, pen, 5)?;
            line += &format!(
                "; search {:.3} s, {} changes",
                start.elapsed().as_secs_f64(),
                s.breakpoints.len()
            );
        }
        println!("{line}");
    }
    Ok(())
}
