//! All autocovariance sums `Σ_t c_t c_{t+k}` at once via a radix-2 FFT, O(n log n).

/// `cos` and `sin` of `-2πk/N` for `k < N/2`: the twiddles of a forward FFT of length `N`,
/// straight from each angle (no recurrence), so the error stays near machine precision.
fn twiddles(n: usize) -> (Vec<f64>, Vec<f64>) {
    (0..n / 2)
        .map(|k| {
            let a = -2.0 * std::f64::consts::PI * k as f64 / n as f64;
            (a.cos(), a.sin())
        })
        .unzip()
}

/// In-place iterative radix-2 FFT of `re + i·im` (length a power of two) with the twiddles
/// of [`twiddles`]; `inverse` uses their conjugates (without the 1/N scaling).
fn fft(re: &mut [f64], im: &mut [f64], (cos_t, sin_t): (&[f64], &[f64]), inverse: bool) {
    let n = re.len();
    let mut j = 0;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let sign = if inverse { -1.0 } else { 1.0 };
    let mut len = 2;
    while len <= n {
        let half = len / 2;
        let stride = n / len;
        for start in (0..n).step_by(len) {
            for k in 0..half {
                let (wr, wi) = (cos_t[k * stride], sign * sin_t[k * stride]);
                let (a, b) = (start + k, start + k + half);
                let xr = re[b] * wr - im[b] * wi;
                let xi = re[b] * wi + im[b] * wr;
                re[b] = re[a] - xr;
                im[b] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
            }
        }
        len <<= 1;
    }
}

/// `out[k] = Σ_{t=k}^{n−1} c_t c_{t−k}` for `k = 0 … n − 1`.
pub(crate) fn autocov_sums(c: &[f64]) -> Vec<f64> {
    autocov_sums_padded(c, (2 * c.len()).next_power_of_two())
}

/// `out[k] = Σ_{t=k}^{n−1} c_t c_{t−k}` for `k = 0 … max_lag` and the further lags the padding
/// allows (`max_lag < n`): the series padded with zeros to a power of two of at least
/// `n + max_lag` values, enough for the circular correlation not to wrap at those lags.
pub(crate) fn autocov_sums_to(c: &[f64], max_lag: usize) -> Vec<f64> {
    autocov_sums_padded(c, (c.len() + max_lag).next_power_of_two())
}

/// The autocovariance sums of `c` at the lags `k ≤ min(n - 1, size - n)` (where the circular
/// correlation does not wrap), `c` padded with zeros to `size` values (a power of two, at
/// least `n`).
fn autocov_sums_padded(c: &[f64], size: usize) -> Vec<f64> {
    let n = c.len();
    let mut re = vec![0.0; size];
    let mut im = vec![0.0; size];
    re[..n].copy_from_slice(c);
    let (cos_t, sin_t) = twiddles(size);
    let w = (&cos_t[..], &sin_t[..]);
    fft(&mut re, &mut im, w, false);
    for (r, i) in re.iter_mut().zip(im.iter_mut()) {
        *r = *r * *r + *i * *i;
        *i = 0.0;
    }
    fft(&mut re, &mut im, w, true);
    re.truncate(n.min(size - n + 1));
    let scale = 1.0 / size as f64;
    re.iter_mut().for_each(|v| *v *= scale);
    re
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_direct_sums() {
        let c: Vec<f64> = (0..37).map(|i| ((i * 7919) % 13) as f64 - 6.0).collect();
        let fast = autocov_sums(&c);
        for (k, f) in fast.iter().enumerate() {
            let direct: f64 = c[k..].iter().zip(&c).map(|(a, b)| a * b).sum();
            assert!((f - direct).abs() < 1e-10, "lag {k}: {f} vs {direct}");
        }
        // Padded only as far as the lags asked for (37 + 27 = 64 values: no wrap up to 27).
        for max_lag in [0, 5, 27, 36] {
            let short = autocov_sums_to(&c, max_lag);
            assert!(short.len() > max_lag);
            for (k, f) in short.iter().enumerate().take(max_lag + 1) {
                let direct: f64 = c[k..].iter().zip(&c).map(|(a, b)| a * b).sum();
                assert!(
                    (f - direct).abs() < 1e-10,
                    "to {max_lag}, lag {k}: {f} vs {direct}"
                );
            }
        }
    }
}
