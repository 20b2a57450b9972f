//! The season model's periodic component against numpy least squares
//! (datasets/scripts/reference/changepoint_season.py).

#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, float, floats, reference_cases};
use shiftwatch::changepoint::model::{fit_season, fourier_fit};

#[test]
fn fourier_fit_matches_least_squares() {
    let cases = reference_cases("changepoint_season", "fourier");
    assert_eq!(cases.len(), 15);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let period = case["period"].as_u64().unwrap() as usize;
        let harmonics = case["harmonics"].as_u64().unwrap() as usize;
        let (periodic, rss) = fourier_fit(&x, period, harmonics);
        // Normal equations against a QR least squares: both to rounding of well-conditioned
        // (near-orthogonal) columns.
        assert_rel(rss, float(&case["rss"]), 1e-9, name);
        let want = floats(&case["periodic"]);
        assert_eq!(periodic.len(), want.len(), "{name}");
        for (t, (got, want)) in periodic.iter().zip(&want).enumerate() {
            assert!((got - want).abs() <= 1e-9, "{name} at {t}: {got} vs {want}");
        }
    }
}

#[test]
fn season_chooses_the_harmonics_of_least_bic() {
    let cases = reference_cases("changepoint_season", "season");
    assert_eq!(cases.len(), 5);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let period = case["period"].as_u64().unwrap() as usize;
        let (season, periodic) = fit_season(&x, period);
        assert_eq!(season.period, period, "{name}");
        assert_eq!(
            season.harmonics as u64,
            case["harmonics"].as_u64().unwrap(),
            "{name}"
        );
        for (got, want) in periodic.iter().zip(&floats(&case["periodic"])) {
            assert!((got - want).abs() <= 1e-9, "{name}: {got} vs {want}");
        }
    }
}
