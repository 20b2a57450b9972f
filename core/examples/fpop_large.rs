//! Times exact Gaussian-mean segmentation (FPOP) of a seeded signal with 10 changes, for peak
//! memory measurements (`/usr/bin/time -v`), which criterion cannot give:
//!
//! ```text
//! cargo run --release -p shiftwatch --example fpop_large -- 10000000 [l2|poisson]
//! ```

use std::time::Instant;

use shiftwatch::changepoint::search::{fpop, fpop_poisson};
use shiftwatch::stats::rng::Rng;

fn main() -> Result<(), shiftwatch::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let cost = args.next().unwrap_or_else(|| "l2".to_string());
    let mut rng = Rng::new(42);
    let seg = (n / 11).max(1);
    let x: Vec<f64> = (0..n)
        .map(|i| {
            let odd = (i / seg) % 2 == 1;
            if cost == "poisson" {
                // Rates 5 / 8 by inversion.
                let rate: f64 = if odd { 8.0 } else { 5.0 };
                rng.poisson(rate)
            } else {
                rng.normal() + if odd { 2.0 } else { 0.0 }
            }
        })
        .collect();
    let start = Instant::now();
    let seg = if cost == "poisson" {
        fpop_poisson(&x, 3.0 * (n as f64).ln(), 1)?
    } else {
        fpop(&x, 2.0 * (n as f64).ln(), 1)?
    };
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{cost} fpop n={n}: {} change points in {secs:.3} s ({:.1} Mpoints/s)",
        seg.breakpoints.len(),
        n as f64 / secs / 1e6
    );
    Ok(())
}
