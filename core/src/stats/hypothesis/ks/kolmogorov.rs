//! The two-sided one-sample Kolmogorov distribution `D_n` (scipy's `kstwo`); the one-sided
//! Smirnov law `D_n+` (scipy.special.smirnov) lives in [`super::smirnov`], re-exported here.
//!
//! `kstwo_sf` follows Simard & L'Ecuyer (2011), "Computing the two-sided Kolmogorov–Smirnov
//! distribution", J. Stat. Softw. 39(11), with the branch points of scipy 1.17
//! (`scipy.stats._ksstats._kolmogn`): Ruben–Gambino closed forms at the ends, Durbin's
//! matrix method as in Marsaglia, Tsang & Wang (2003), Pomeranz's recursion (1974), the
//! Pelz–Good (1976) asymptotic series, and `2·smirnov` where the two one-sided events are
//! disjoint or nearly so.

pub use super::smirnov::smirnov_sf;

/// `2^128`, the rescaling step of the matrix and recursion methods.
const E128: i32 = 128;

pub(crate) fn ldexp(x: f64, e: i32) -> f64 {
    libm::ldexp(x, e)
}

/// `P(D_n ≥ x)` for the two-sided one-sample KS statistic with `n` observations
/// (scipy.stats.kstwo.sf(x, n)).
///
/// ```text
/// D_n = sup_t |F_n(t) − F(t)|,  F continuous
/// n·x ≤ 1/2          → 1
/// 1/2 < n·x ≤ 1      → 1 − n!/n^n (2nx − 1)^n                (Ruben & Gambino 1982)
/// n·x ≥ n − 1        → 2(1 − x)^n
/// x ≥ 1/2            → 2·smirnov(n, x)                        (the two tails are disjoint)
/// n ≤ 140:  n·x² ≤ 0.754693 → 1 − Durbin;  ≤ 4 → 1 − Pomeranz;  else 2·smirnov(n, x)
/// n > 140:  n·x² ≥ 370 → 0;  ≥ 2.2 → 2·smirnov(n, x);
///           else 1 − Durbin if n ≤ 10⁵ and n·x^1.5 ≤ 1.4, otherwise 1 − Pelz–Good
/// ```
/// Accuracy: close to double precision except in the Pelz–Good region (n > 10⁵, about 7
/// digits, as in scipy, which uses the same approximation there).
pub fn kstwo_sf(n: u64, x: f64) -> f64 {
    if n == 0 || x.is_nan() {
        return f64::NAN;
    }
    let nf = n as f64;
    if x >= 1.0 {
        return 0.0;
    }
    let t = nf * x;
    if x <= 0.0 || t <= 0.5 || x <= 0.5 / nf {
        return 1.0;
    }
    if t <= 1.0 {
        let base = 2.0 * t - 1.0;
        let cdf = if n <= 140 {
            (1..=n).map(|i| i as f64 * (1.0 / nf) * base).product()
        } else {
            (log_nfactorial_div_n_pow_n(nf) + nf * base.ln()).exp()
        };
        return clip(1.0 - cdf);
    }
    if t >= nf - 1.0 {
        return clip(2.0 * (1.0 - x).powf(nf));
    }
    if x >= 0.5 {
        return clip(2.0 * smirnov_sf(n, x));
    }
    let nx2 = t * x;
    if n <= 140 {
        if nx2 <= 0.754693 {
            return clip(1.0 - clip(durbin_cdf(n, x)));
        }
        if nx2 <= 4.0 {
            return clip(1.0 - clip(pomeranz_cdf(n, x)));
        }
        return clip(2.0 * smirnov_sf(n, x));
    }
    if nx2 >= 370.0 {
        return 0.0;
    }
    if nx2 >= 2.2 {
        return clip(2.0 * smirnov_sf(n, x));
    }
    let cdf = if n <= 100_000 && nf * x.powf(1.5) <= 1.4 {
        clip(durbin_cdf(n, x))
    } else {
        pelz_good_cdf(n, x)
    };
    clip(1.0 - cdf)
}

pub(crate) fn clip(p: f64) -> f64 {
    p.clamp(0.0, 1.0)
}

/// `log(n!/n^n)` by Stirling's series with the `n·log n` term cancelled analytically.
fn log_nfactorial_div_n_pow_n(n: f64) -> f64 {
    // B_{2j} / (2j (2j − 1)) for j = 8, …, 1 (highest degree first).
    #[allow(clippy::excessive_precision)]
    const STIRLING: [f64; 8] = [
        -2.955065359477124183e-2,
        6.4102564102564102564e-3,
        -1.9175269175269175269e-3,
        8.4175084175084175084e-4,
        -5.952380952380952381e-4,
        7.9365079365079365079e-4,
        -2.7777777777777777778e-3,
        8.3333333333333333333e-2,
    ];
    let rn = 1.0 / n;
    let z = rn / n;
    let poly = STIRLING.iter().fold(0.0, |acc, &c| acc * z + c);
    n.ln() / 2.0 - n + (2.0 * std::f64::consts::PI).ln() / 2.0 + rn * poly
}

/// Durbin's matrix method for `P(D_n ≤ d)` (Marsaglia, Tsang & Wang 2003): the `k`-th
/// diagonal entry of `n!/n^n · H^n`, `k = ⌈n·d⌉`, with `H` of size `2k − 1`, powers by
/// squaring and explicit power-of-two rescaling.
fn durbin_cdf(n: u64, d: f64) -> f64 {
    if d >= 1.0 {
        return 1.0;
    }
    let nd = n as f64 * d;
    if nd <= 0.5 {
        return 0.0;
    }
    let k = nd.ceil() as usize;
    let h = k as f64 - nd;
    let m = 2 * k - 1;
    let mut v: Vec<f64> = (1..=m).map(|j| 1.0 - h.powi(j as i32)).collect();
    let mut w = vec![0.0; m];
    let mut fac = 1.0f64;
    for j in 1..=m {
        w[j - 1] = fac;
        fac /= j as f64;
        v[j - 1] *= fac;
    }
    let tt = (2.0 * h - 1.0).max(0.0).powi(m as i32) - 2.0 * h.powi(m as i32);
    v[m - 1] = (1.0 + tt) * fac;

    let mut hm = vec![0.0f64; m * m];
    for i in 1..m {
        for r in (i - 1)..m {
            hm[r * m + i] = w[r - (i - 1)];
        }
    }
    for r in 0..m {
        hm[r * m] = v[r];
    }
    for c in 0..m {
        hm[(m - 1) * m + c] = v[m - 1 - c];
    }

    let mut pwr = vec![0.0f64; m * m];
    for i in 0..m {
        pwr[i * m + i] = 1.0;
    }
    let mut tmp = vec![0.0f64; m * m];
    let mut nn = n;
    let mut expnt: i64 = 0;
    let mut h_expnt: i64 = 0;
    let scale = ldexp(1.0, E128);
    while nn > 0 {
        if nn % 2 == 1 {
            matmul(&pwr, &hm, &mut tmp, m);
            std::mem::swap(&mut pwr, &mut tmp);
            expnt += h_expnt;
        }
        matmul(&hm, &hm, &mut tmp, m);
        std::mem::swap(&mut hm, &mut tmp);
        h_expnt *= 2;
        if hm[(k - 1) * m + (k - 1)].abs() > scale {
            for v in hm.iter_mut() {
                *v /= scale;
            }
            h_expnt += i64::from(E128);
        }
        nn /= 2;
    }
    let mut p = pwr[(k - 1) * m + (k - 1)];
    let tiny = ldexp(1.0, -E128);
    let nf = n as f64;
    for i in 1..=n {
        p = i as f64 * p / nf;
        if p.abs() < tiny {
            p *= scale;
            expnt -= i64::from(E128);
        }
    }
    if expnt != 0 {
        p = ldexp(p, expnt.clamp(-2200, 2200) as i32);
    }
    p
}

fn matmul(a: &[f64], b: &[f64], out: &mut [f64], m: usize) {
    for i in 0..m {
        let row = &mut out[i * m..(i + 1) * m];
        row.fill(0.0);
        for k in 0..m {
            let aik = a[i * m + k];
            if aik == 0.0 {
                continue;
            }
            for (o, &bkj) in row.iter_mut().zip(&b[k * m..(k + 1) * m]) {
                *o += aik * bkj;
            }
        }
    }
}

/// Interval of non-zero entries of row `i` in Pomeranz's recursion.
fn pomeranz_j1j2(i: i64, n: i64, ll: i64, ceilf: i64, roundf: i64) -> (i64, i64) {
    let (j1, j2) = if i == 0 {
        (-ll - ceilf - 1, ll + ceilf - 1)
    } else {
        let (half, odd) = ((i + 1) / 2, (i + 1) % 2);
        if odd == 0 {
            if half == n + 1 {
                (n - ll - ceilf - 1, n + ll + ceilf - 1)
            } else {
                (half - 1 - ll - roundf - 1, half + ll - 1 + ceilf - 1)
            }
        } else {
            (half - 1 - ll - 1, half + ll + roundf - 1)
        }
    };
    ((j1 + 2).max(0), j2.min(n))
}

/// Pomeranz's (1974) recursion for `P(D_n ≤ x)`: `2n + 1` convolutions of a short row with
/// truncated Poisson weights, rescaled by powers of two; the answer is `n!` times the last
/// entry.
fn pomeranz_cdf(n: u64, x: f64) -> f64 {
    let ni = n as i64;
    let nf = n as f64;
    let t = nf * x;
    let ll = t.floor() as i64;
    let f = t - ll as f64;
    let g = f.min(1.0 - f);
    let ceilf = i64::from(f > 0.0);
    let roundf = i64::from(f > 0.5);
    let npwrs = (2 * (ll + 1)) as usize;
    let mut gpower = vec![1.0f64; npwrs];
    let mut twogpower = vec![1.0f64; npwrs];
    let mut onem2gpower = vec![1.0f64; npwrs];
    let (g_n, two_g_n, one_m2g_n) = (g / nf, 2.0 * g / nf, (1.0 - 2.0 * g) / nf);
    for m in 1..npwrs {
        let mf = m as f64;
        gpower[m] = gpower[m - 1] * g_n / mf;
        twogpower[m] = twogpower[m - 1] * two_g_n / mf;
        onem2gpower[m] = onem2gpower[m - 1] * one_m2g_n / mf;
    }
    let mut v0 = vec![0.0f64; npwrs];
    let mut v1 = vec![0.0f64; npwrs];
    v1[0] = 1.0;
    let (mut v0s, mut v1s) = (0i64, 0i64);
    let mut expnt: i64 = 0;
    let tiny = ldexp(1.0, -E128);
    let scale = ldexp(1.0, E128);
    let (mut j1, _) = pomeranz_j1j2(0, ni, ll, ceilf, roundf);
    for i in 1..(2 * ni + 2) {
        let k1 = j1;
        std::mem::swap(&mut v0, &mut v1);
        std::mem::swap(&mut v0s, &mut v1s);
        v1.fill(0.0);
        let (nj1, j2) = pomeranz_j1j2(i, ni, ll, ceilf, roundf);
        j1 = nj1;
        let pwrs = if i == 1 || i == 2 * ni + 1 {
            &gpower
        } else if i % 2 == 1 {
            &twogpower
        } else {
            &onem2gpower
        };
        let ln2 = j2 - k1 + 1;
        if ln2 > 0 {
            let start = (k1 - v0s).max(0) as usize;
            let a = &v0[start.min(npwrs)..(start + ln2 as usize).min(npwrs)];
            let b = &pwrs[..(ln2 as usize).min(npwrs)];
            let conv_start = (j1 - k1) as usize;
            let conv_len = (j2 - j1 + 1).max(0) as usize;
            for (out, idx) in v1.iter_mut().take(conv_len).zip(conv_start..) {
                // Full convolution entry idx: Σ a[p] b[idx − p].
                let lo = idx.saturating_sub(b.len().saturating_sub(1));
                let hi = idx.min(a.len().saturating_sub(1));
                let mut s = 0.0;
                if !a.is_empty() && !b.is_empty() {
                    for p in lo..=hi {
                        s += a[p] * b[idx - p];
                    }
                }
                *out = s;
            }
            let vmax = v1.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if vmax > 0.0 && vmax < tiny {
                for v in v1.iter_mut() {
                    *v *= scale;
                }
                expnt -= i64::from(E128);
            }
            v1s = v0s + j1 - k1;
        }
    }
    let mut ans = v1.get((ni - v1s) as usize).copied().unwrap_or(0.0);
    for m in 1..=n {
        if ans.abs() > scale {
            ans *= tiny;
            expnt += i64::from(E128);
        }
        ans *= m as f64;
    }
    if expnt != 0 {
        ans = ldexp(ans, expnt.clamp(-2200, 2200) as i32);
    }
    ans
}

/// Pelz & Good (1976) approximation of `P(D_n ≤ x)`: Li-Chien/Korolyuk's expansion
/// `K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5`, `z = x√n`, rewritten by Jacobi's theta
/// transformation for small `z`.
fn pelz_good_cdf(n: u64, x: f64) -> f64 {
    use std::f64::consts::PI;
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let nf = n as f64;
    let z = nf.sqrt() * x;
    let (z2, z3, z4, z6) = (z * z, z.powi(3), z.powi(4), z.powi(6));
    let pi2 = PI * PI;
    let pi4 = pi2 * pi2;
    let pi6 = pi4 * pi2;
    let qlog = -pi2 / 8.0 / z2;
    if qlog < -708.0 {
        return 0.0;
    }
    let q = qlog.exp();
    let k1a = -z2;
    let k1b = pi2 / 4.0;
    let k2a = 6.0 * z6 + 2.0 * z4;
    let k2b = (2.0 * z4 - 5.0 * z2) * pi2 / 4.0;
    let k2c = pi4 * (1.0 - 2.0 * z2) / 16.0;
    let k3d = pi6 * (5.0 - 30.0 * z2) / 64.0;
    let k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
    let k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
    let k3a = -30.0 * z6 - 90.0 * z.powi(8);
    let mut kk = [0.0f64; 4];
    let maxk = (16.0 * z / PI).ceil() as i64;
    for k in (1..=maxk).rev() {
        let m = (2 * k - 1) as f64;
        let (m2, m4, m6) = (m * m, m.powi(4), m.powi(6));
        let qpower = q.powf(8.0 * k as f64);
        let coeffs = [
            1.0,
            k1a + k1b * m2,
            k2a + k2b * m2 + k2c * m4,
            k3a + k3b * m2 + k3c * m4 + k3d * m6,
        ];
        for (s, c) in kk.iter_mut().zip(coeffs) {
            *s = *s * qpower + c;
        }
    }
    let sqrt2pi = (2.0 * PI).sqrt();
    let denom = [z, 6.0 * z4, 72.0 * z.powi(7), 6480.0 * z.powi(10)];
    for (s, d) in kk.iter_mut().zip(denom) {
        *s = *s * q * sqrt2pi / d;
    }
    let q = (-pi2 / 2.0 / z2).exp();
    let sqrt3z = 3f64.sqrt() * z;
    let (mut k2extra, mut k3extra) = (0.0, 0.0);
    for k in (1..=maxk).rev() {
        let kf = k as f64;
        let k2 = kf * kf;
        let qp = q.powf(k2);
        let kspi = PI * kf;
        k2extra += k2 * qp;
        k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * k2 * qp;
    }
    kk[2] += k2extra * pi2 * sqrt2pi / (-36.0 * z3);
    kk[3] += k3extra * pi2 * sqrt2pi / (216.0 * z6);
    kk.iter()
        .enumerate()
        .map(|(i, &v)| v / nf.powf(i as f64 / 2.0))
        .sum()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kstwo_ends() {
        assert_eq!(kstwo_sf(10, 0.01), 1.0);
        assert_eq!(kstwo_sf(10, 1.0), 0.0);
        // n x ≥ n − 1: 2 (1 − x)^n.
        assert!((kstwo_sf(4, 0.8) - 2.0 * 0.2f64.powi(4)).abs() < 1e-15);
    }
}
