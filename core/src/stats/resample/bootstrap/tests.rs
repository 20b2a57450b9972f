use super::*;
use crate::stats::quantile::median_in_place;

fn median_diff(x: &mut [f64], y: &mut [f64]) -> f64 {
    median_in_place(y).unwrap_or(f64::NAN) - median_in_place(x).unwrap_or(f64::NAN)
}

fn mean_diff(x: &mut [f64], y: &mut [f64]) -> f64 {
    y.iter().sum::<f64>() / y.len() as f64 - x.iter().sum::<f64>() / x.len() as f64
}

fn data(seed: u64, n: usize, shift: f64) -> Vec<f64> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| r.normal() + shift).collect()
}

#[test]
fn bad_input_is_an_error() {
    let x = data(1, 20, 0.0);
    let o = BootstrapOptions::default();
    assert!(matches!(
        bootstrap_ci(&[1.0], &x, mean_diff, &o),
        Err(Error::TooFewPoints { .. })
    ));
    assert!(matches!(
        bootstrap_ci(&[], &x, mean_diff, &o),
        Err(Error::TooFewPoints { .. })
    ));
    assert!(matches!(
        bootstrap_ci(&x, &[1.0, f64::NAN], mean_diff, &o),
        Err(Error::NonFinite { index: 1, .. })
    ));
    let bad = BootstrapOptions { level: 1.0, ..o };
    assert!(matches!(
        bootstrap_ci(&x, &x, mean_diff, &bad),
        Err(Error::InvalidArgument { .. })
    ));
    let zero = BootstrapOptions {
        n_resamples: 0,
        ..o
    };
    assert!(bootstrap_ci(&x, &x, mean_diff, &zero).is_err());
    // Constant data: BCa is undefined (estimate outside/at the edge of a degenerate
    // distribution); percentile gives the point.
    let c = [3.0; 10];
    assert!(bootstrap_ci(&c, &c, mean_diff, &o).is_err());
    let p = BootstrapOptions {
        method: CiMethod::Percentile,
        ..o
    };
    let r = bootstrap_ci(&c, &c, mean_diff, &p).unwrap();
    assert_eq!((r.ci.lo, r.ci.hi), (0.0, 0.0));
    let fixed = BootstrapOptions {
        scheme: Scheme::MovingBlock {
            block_len: BlockSize::Fixed(0.5),
        },
        ..p
    };
    assert!(matches!(
        bootstrap_ci(&x, &x, mean_diff, &fixed),
        Err(Error::InvalidArgument { .. })
    ));
    assert!("nope".parse::<Scheme>().is_err());
    assert!("nope".parse::<CiMethod>().is_err());
    assert_eq!("BCa".parse::<CiMethod>().unwrap(), CiMethod::Bca);
    assert_eq!(
        "moving_block".parse::<Scheme>().unwrap().as_str(),
        "moving-block"
    );
}

#[test]
fn result_does_not_depend_on_threads() {
    let x = data(2, 300, 0.0);
    let y = data(3, 200, 0.5);
    for scheme in [
        Scheme::Iid,
        Scheme::MovingBlock {
            block_len: BlockSize::Auto,
        },
        Scheme::Stationary {
            mean_block_len: BlockSize::Fixed(7.5),
        },
    ] {
        let run = |threads| {
            let o = BootstrapOptions {
                n_resamples: 999,
                scheme,
                threads,
                seed: 11,
                ..Default::default()
            };
            bootstrap_ci(&x, &y, median_diff, &o).unwrap()
        };
        let (a, b, c) = (run(1), run(2), run(7));
        assert_eq!(a.ci, b.ci);
        assert_eq!(a.ci, c.ci);
        assert_eq!(a.standard_error, c.standard_error);
        assert!(a.ci.contains(a.estimate));
        assert!(a.ci.lo > 0.0 && a.ci.hi < 1.0, "{a:?}");
    }
}

#[test]
fn one_sided_intervals_are_open() {
    let x = data(4, 50, 0.0);
    let y = data(5, 50, 0.0);
    let o = |alternative| BootstrapOptions {
        n_resamples: 500,
        alternative,
        ..Default::default()
    };
    let less = bootstrap_ci(&x, &y, mean_diff, &o(Alternative::Less)).unwrap();
    let greater = bootstrap_ci(&x, &y, mean_diff, &o(Alternative::Greater)).unwrap();
    assert_eq!(less.ci.lo, f64::NEG_INFINITY);
    assert!(less.ci.hi.is_finite());
    assert_eq!(greater.ci.hi, f64::INFINITY);
    assert!(greater.ci.lo < less.ci.hi);
}

#[test]
fn automatic_block_length_errors_name_the_sample() {
    let short = [1.0, 2.0, 3.0, 4.0, 5.0];
    let long = data(6, 50, 0.0);
    let o = BootstrapOptions {
        scheme: Scheme::Stationary {
            mean_block_len: BlockSize::Auto,
        },
        ..Default::default()
    };
    assert!(matches!(
        bootstrap_ci(&short, &long, mean_diff, &o),
        Err(Error::TooFewPoints {
            what: "baseline",
            ..
        })
    ));
    assert!(matches!(
        bootstrap_ci(&long, &[2.0; 30], mean_diff, &o),
        Err(Error::Constant {
            what: "candidate",
            ..
        })
    ));
}

#[test]
fn jackknife_reuse_on_ties_equals_naive_leave_one_out() {
    let mut x: Vec<f64> = (0..40).map(|i| ((i * 7) % 5) as f64).collect();
    let mut y: Vec<f64> = (0..30).map(|i| ((i * 3) % 4) as f64 + 0.5).collect();
    x.sort_by(f64::total_cmp);
    y.sort_by(f64::total_cmp);
    for threads in [1, 3] {
        let fast = jackknife(&x, &y, &median_diff, false, true, threads);
        let naive: Vec<f64> = (0..x.len())
            .map(|i| {
                let mut a = x.clone();
                a.remove(i);
                median_diff(&mut a, &mut y.clone())
            })
            .collect();
        assert_eq!(fast, naive);
        let fast = jackknife(&y, &x, &mean_diff, true, true, threads);
        let naive: Vec<f64> = (0..y.len())
            .map(|i| {
                let mut b = y.clone();
                b.remove(i);
                mean_diff(&mut x.clone(), &mut b)
            })
            .collect();
        assert_eq!(fast, naive);
    }
}
