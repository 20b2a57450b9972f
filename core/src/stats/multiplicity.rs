//! Adjusted p-values for many comparisons: Benjamini–Hochberg, Benjamini–Yekutieli, Holm,
//! Bonferroni.
//!
//! One report compares tens to thousands of metrics; [`adjust`] turns their raw p-values into
//! adjusted ones so that "p_adjusted < α" controls the false discovery rate (BH, BY) or the
//! family-wise error rate (Holm, Bonferroni).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::{Error, Result};

/// A multiple-comparison correction, chosen by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Correction {
    /// Benjamini & Hochberg (1995) step-up, FDR under independence or positive dependence.
    #[default]
    BenjaminiHochberg,
    /// Benjamini & Yekutieli (2001): BH times `Σ_{i≤m} 1/i`, FDR under any dependence.
    BenjaminiYekutieli,
    /// Holm (1979) step-down, family-wise error rate under any dependence.
    Holm,
    /// Bonferroni: `min(1, m·p)`.
    Bonferroni,
    /// No adjustment.
    None,
}

impl Correction {
    /// The canonical spelling accepted by [`FromStr`] and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Correction::BenjaminiHochberg => "bh",
            Correction::BenjaminiYekutieli => "by",
            Correction::Holm => "holm",
            Correction::Bonferroni => "bonferroni",
            Correction::None => "none",
        }
    }
}

impl fmt::Display for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Correction {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "bh" | "fdr-bh" | "benjamini-hochberg" => Ok(Correction::BenjaminiHochberg),
            "by" | "fdr-by" | "benjamini-yekutieli" => Ok(Correction::BenjaminiYekutieli),
            "holm" => Ok(Correction::Holm),
            "bonferroni" => Ok(Correction::Bonferroni),
            "none" => Ok(Correction::None),
            _ => Err(Error::UnknownName {
                kind: "correction",
                value: s.to_string(),
                expected: "bh, by, holm, bonferroni, none",
            }),
        }
    }
}

/// Adjusted p-values, in the order of `p`.
///
/// With `m` p-values sorted ascending, `p_(1) ≤ … ≤ p_(m)`:
///
/// ```text
/// BH:         p̃_(i) = min_{k ≥ i} min(1, p_(k) · m / k)
/// BY:         p̃_(i) = min_{k ≥ i} min(1, p_(k) · m / k · Σ_{j=1}^{m} 1/j)
/// Holm:       p̃_(i) = max_{k ≤ i} min(1, p_(k) · (m − k + 1))
/// Bonferroni: p̃_i   = min(1, m · p_i)
/// ```
///
/// Mirrors `scipy.stats.false_discovery_control(p, method="bh"|"by")` and
/// `statsmodels.stats.multitest.multipletests(p, method="holm"|"bonferroni")[1]`. An empty
/// input gives an empty output (scipy errors instead).
///
/// # Example
/// ```
/// use shiftwatch::stats::multiplicity::{adjust, Correction};
/// let p = [0.01, 0.04, 0.03, 0.20];
/// let bh = adjust(&p, Correction::default())?;
/// let expected = [0.04, 0.04 * 4.0 / 3.0, 0.04 * 4.0 / 3.0, 0.2]; // p·m/rank, then running min
/// assert!(bh.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-15));
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::NonFinite`] naming the index of the first NaN (what = `"p"`);
/// [`Error::InvalidArgument`] naming the index of the first value outside `[0, 1]`.
pub fn adjust(p: &[f64], correction: Correction) -> Result<Vec<f64>> {
    for (index, &value) in p.iter().enumerate() {
        if value.is_nan() {
            return Err(Error::NonFinite {
                what: "p",
                index,
                value,
            });
        }
        if !(0.0..=1.0).contains(&value) {
            return Err(Error::invalid(
                "p",
                format!("p-values must lie in [0, 1]; index {index} holds {value}"),
            ));
        }
    }
    let m = p.len();
    let mf = m as f64;
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; m];
    match correction {
        Correction::None => out.copy_from_slice(p),
        Correction::Bonferroni => {
            for (o, &v) in out.iter_mut().zip(p) {
                *o = (v * mf).min(1.0);
            }
        }
        Correction::BenjaminiHochberg | Correction::BenjaminiYekutieli => {
            let c_m = if correction == Correction::BenjaminiYekutieli {
                (1..=m).map(|i| 1.0 / i as f64).sum::<f64>()
            } else {
                1.0
            };
            let mut running = f64::INFINITY;
            for (rank, &i) in order.iter().enumerate().rev() {
                let mut v = p[i] * (mf / (rank + 1) as f64);
                if correction == Correction::BenjaminiYekutieli {
                    v *= c_m;
                }
                running = running.min(v);
                out[i] = running.min(1.0);
            }
        }
        Correction::Holm => {
            let mut running = 0.0_f64;
            for (rank, &i) in order.iter().enumerate() {
                let v = p[i] * (m - rank) as f64;
                running = running.max(v);
                out[i] = running.min(1.0);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_the_nan_index() {
        let err = adjust(&[0.1, 0.2, f64::NAN], Correction::Holm).unwrap_err();
        assert!(matches!(err, Error::NonFinite { index: 2, .. }));
        let err = adjust(&[0.1, 1.5], Correction::default()).unwrap_err();
        assert!(err.to_string().contains("index 1"));
    }

    #[test]
    fn spellings() {
        for s in ["bh", "fdr_bh", "Benjamini-Hochberg"] {
            assert_eq!(
                s.parse::<Correction>().unwrap(),
                Correction::BenjaminiHochberg
            );
        }
        assert_eq!(
            "by".parse::<Correction>().unwrap(),
            Correction::BenjaminiYekutieli
        );
        assert!("hommel".parse::<Correction>().is_err());
        assert!(adjust(&[], Correction::Holm).unwrap().is_empty());
    }
}
