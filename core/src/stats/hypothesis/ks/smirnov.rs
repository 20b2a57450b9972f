//! The one-sided one-sample Kolmogorov–Smirnov distribution (scipy.special.smirnov), with
//! the scaled arithmetic its terms need (binomials and powers far outside `f64`'s range).

use super::kolmogorov::{clip, ldexp};

/// A number `mant · 2^exp` with `mant` in [0.5, 1) (or 0), for products that leave the range
/// of `f64`.
#[derive(Debug, Clone, Copy)]
struct Scaled {
    mant: f64,
    exp: i64,
}

impl Scaled {
    fn new(v: f64) -> Self {
        let (mant, e) = libm::frexp(v);
        Scaled {
            mant,
            exp: i64::from(e),
        }
    }

    fn mul(self, o: Scaled) -> Self {
        let s = Scaled::new(self.mant * o.mant);
        Scaled {
            mant: s.mant,
            exp: s.exp + self.exp + o.exp,
        }
    }

    fn to_f64(self) -> f64 {
        if self.mant == 0.0 {
            return 0.0;
        }
        if self.exp < -1100 {
            return 0.0;
        }
        if self.exp > 1100 {
            return f64::INFINITY;
        }
        ldexp(self.mant, self.exp as i32)
    }
}

/// `b^m` for `b` in (0, 1], `m ≥ 0`, without underflow: split the exponent so that every
/// `pow` call stays in range (each `pow` is accurate to an ulp).
fn pow_scaled(b: f64, m: u64) -> Scaled {
    if m == 0 {
        return Scaled { mant: 1.0, exp: 0 };
    }
    if b == 0.0 {
        return Scaled { mant: 0.0, exp: 0 };
    }
    let y = Scaled::new(b);
    let lg = y.mant.log2(); // in [-1, 0)
    let base_exp = y.exp * m as i64;
    if lg == 0.0 || (m as f64) * lg > -960.0 {
        let p = Scaled::new(y.mant.powf(m as f64));
        return Scaled {
            mant: p.mant,
            exp: p.exp + base_exp,
        };
    }
    let chunk = ((-960.0 / lg).floor() as u64).max(1);
    let (q, r) = (m / chunk, m % chunk);
    let yc = Scaled::new(y.mant.powf(chunk as f64));
    let yq = pow_scaled(yc.mant, q);
    let yr = Scaled::new(y.mant.powf(r as f64));
    let s = yr.mul(yq);
    Scaled {
        mant: s.mant,
        exp: s.exp + yc.exp * q as i64 + base_exp,
    }
}

/// `(hi + lo)^m` where `lo` is a tiny correction to `hi`: `hi^m · (1 + lo/hi)^m`.
fn pow_corrected(hi: f64, lo: f64, m: u64) -> Scaled {
    let p = pow_scaled(hi, m);
    if hi == 0.0 || m == 0 {
        return p;
    }
    let r = lo / hi;
    let mf = m as f64;
    let adj = if (mf * r).abs() < 1e-8 {
        mf * r
    } else {
        (mf * r.ln_1p()).exp_m1()
    };
    let s = Scaled::new(p.mant + p.mant * adj);
    Scaled {
        mant: s.mant,
        exp: s.exp + p.exp,
    }
}

/// `a/n + s·x` as an unevaluated sum `hi + lo` (a, n exact integers), error ~ 1e-32.
fn ratio_plus(a: u64, n: u64, sx: f64) -> (f64, f64) {
    let (af, nf) = (a as f64, n as f64);
    let q = af / nf;
    let q_lo = (-q).mul_add(nf, af) / nf;
    let s = q + sx;
    let bb = s - q;
    let err = (q - (s - bb)) + (sx - bb);
    (s, err + q_lo)
}

/// Up to this `n`, every term of the Smirnov sum uses error-compensated `pow` (about 1e-15
/// relative); above, one `exp` of a compensated logarithm (about 1e-11 relative, ten times
/// cheaper), since the sum then has up to `n` significant terms.
const ACCURATE_POW_MAX_N: u64 = 20_000;

/// `ln(C · b1^m1 · b2^m2)` with the bases given as `hi + lo` pairs; the large products
/// `m·ln b` carry their rounding error (`fma`) into the final sum.
fn log_term(c: Scaled, b1: (f64, f64), m1: u64, b2: (f64, f64), m2: u64) -> f64 {
    let ln_pair = |(h, l): (f64, f64)| h.ln() + l / h;
    let two_prod = |a: f64, b: f64| {
        let p = a * b;
        (p, a.mul_add(b, -p))
    };
    let (p1, e1) = two_prod(m1 as f64, ln_pair(b1));
    let (p2, e2) = two_prod(m2 as f64, ln_pair(b2));
    let lc = c.mant.ln() + c.exp as f64 * std::f64::consts::LN_2;
    // Two-sum of p1 + p2, then + lc.
    let s = p1 + p2;
    let bb = s - p1;
    let err = (p1 - (s - bb)) + (p2 - bb);
    let t = s + lc;
    let bb2 = t - s;
    let err2 = (s - (t - bb2)) + (lc - bb2);
    t + (err + err2 + e1 + e2)
}

/// `P(D_n+ ≥ x)` for the one-sided one-sample KS statistic (scipy.special.smirnov(n, x)).
///
/// ```text
/// P(D_n+ ≥ x) = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v)
/// ```
/// (Smirnov 1944; Birnbaum & Tingey 1951), summing terms with a scaled binomial and
/// error-compensated bases, stopping once the remaining terms cannot matter; closed forms
/// for `x ≤ 1/n` and `x ≥ 1 − 1/n`; Miller's approximation `exp(−(6nx + 1)²/(18n))` for
/// `n > 10⁶`, as in scipy (van Mulbregt 2018, arXiv:1802.06966).
pub fn smirnov_sf(n: u64, x: f64) -> f64 {
    if n == 0 || !(0.0..=1.0).contains(&x) {
        return f64::NAN;
    }
    if n == 1 {
        return 1.0 - x;
    }
    if x == 0.0 {
        return 1.0;
    }
    if x == 1.0 {
        return 0.0;
    }
    let nf = n as f64;
    // floor(n·x) and its fractional part, from the exact product.
    let p = nf * x;
    let e = nf.mul_add(x, -p);
    let mut nxfl = p.floor();
    let mut alpha = (p - nxfl) + e;
    if alpha < 0.0 {
        nxfl -= 1.0;
        alpha += 1.0;
    }
    if alpha >= 1.0 {
        nxfl += 1.0;
        alpha -= 1.0;
    }
    let nxfl = nxfl as u64;
    if nxfl == 0 || (nxfl == 1 && alpha == 0.0) {
        // P = 1 − x (1 + x)^(n − 1).
        let cdf = x * (1.0 + x).powf(nf - 1.0);
        return clip(1.0 - cdf);
    }
    const MINLOG: f64 = -7.083_964_185_322_641e2;
    if -2.0 * nf * x * x < MINLOG {
        return 0.0;
    }
    if nxfl + 1 >= n {
        let (hi, lo) = ratio_plus(n, n, -x);
        return clip(pow_corrected(hi, lo, n).to_f64());
    }
    if n > 1_000_000 {
        let logp = -(6.0 * nf * x + 1.0).powi(2) / 18.0 / nf;
        return clip(logp.exp());
    }
    let n_terms = n - nxfl; // v = 0 .. n − ⌈nx⌉ (the last term is 0 when nx is an integer)
    let vmid = n / 2;
    // Binomial C(n, v) as mantissa·2^exp, updated by (n − v)/(v + 1).
    let mut c = Scaled { mant: 1.0, exp: 0 };
    // v = 0 term: (1 − x)^n / x.
    let (hi0, lo0) = ratio_plus(n, n, -x);
    let first = pow_corrected(hi0, lo0, n).to_f64() / x;
    let (mut sum, mut comp) = (first, 0.0f64);
    for v in 1..n_terms {
        c = c.mul(Scaled::new((n - v + 1) as f64 / v as f64));
        let (h2, l2) = ratio_plus(n - v, n, -x);
        let (h1, l1) = ratio_plus(v, n, x);
        let term = if n <= ACCURATE_POW_MAX_N {
            let t2 = pow_corrected(h2, l2, n - v);
            let t1 = pow_corrected(h1, l1, v - 1);
            c.mul(t1).mul(t2).to_f64()
        } else {
            log_term(c, (h1, l1), v - 1, (h2, l2), n - v).exp()
        };
        // Neumaier summation.
        let s = sum + term;
        if sum.abs() >= term.abs() {
            comp += (sum - s) + term;
        } else {
            comp += (term - s) + sum;
        }
        sum = s;
        if term != 0.0 {
            if 4.0 * (n_terms - v) as f64 * term.abs() < f64::EPSILON * (sum + comp)
                && v != n_terms - 1
            {
                break;
            }
        } else if v > vmid {
            break;
        }
    }
    clip(x * (sum + comp))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn smirnov_closed_forms() {
        // n = 1: P(D+ ≥ x) = 1 − x.
        assert!((smirnov_sf(1, 0.3) - 0.7).abs() < 1e-15);
        // n = 2, x = 0.75 ≥ 1 − 1/n: (1 − x)^2.
        assert!((smirnov_sf(2, 0.75) - 0.0625).abs() < 1e-15);
        // n = 2, 1/n < x < 1 − 1/n impossible; n = 3, x = 0.5: exact 1/2 · Σ ...
        // By the formula: v = 0: (0.5)^3/0.5 = 0.25; v = 1: 3·(0.5+1/3)^0·(0.5−1/3)^2 = 1/12.
        let want = 0.5 * (0.25 + 3.0 / 36.0);
        assert!((smirnov_sf(3, 0.5) - want).abs() < 1e-15);
    }
}
