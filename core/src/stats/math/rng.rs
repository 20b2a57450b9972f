//! A small, seedable, platform-independent random number generator.
//!
//! Resampling (bootstrap, permutation) must give the same answer for the same seed on every
//! platform and every version of our dependencies, so the generator is ours:
//! xoshiro256++ (Blackman & Vigna, 2019, "Scrambled linear pseudorandom number generators")
//! seeded through SplitMix64, with Lemire's unbiased bounded integers
//! (Lemire, 2019, "Fast random integer generation in an interval") and normals by the polar
//! Box–Muller method using `libm` (not the platform's libm, which may differ in the last bit).

/// xoshiro256++ pseudo-random generator. Not cryptographic.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
    spare_normal: Option<f64>,
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator whose whole stream is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng {
            s,
            spare_normal: None,
        }
    }

    /// An independent stream for worker `index` (e.g. one per thread or per replication):
    /// the seed and index are mixed so streams do not overlap in practice.
    pub fn stream(seed: u64, index: u64) -> Self {
        let mut sm = seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Rng::new(splitmix64(&mut sm))
    }

    /// Next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on [0, 1) with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `0..n` without modulo bias (Lemire's method). `n` must be > 0;
    /// `below(0)` returns 0.
    #[inline]
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let n = n as u64;
        let mut m = (self.next_u64() as u128) * (n as u128);
        let mut low = m as u64;
        if low < n {
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                m = (self.next_u64() as u128) * (n as u128);
                low = m as u64;
            }
        }
        (m >> 64) as usize
    }

    /// Standard normal variate (polar Box–Muller).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = libm::sqrt(-2.0 * libm::log(s) / s);
                self.spare_normal = Some(v * factor);
                return u * factor;
            }
        }
    }

    /// Poisson variate of mean `rate` (small rates: sequential inversion of the CDF from 0,
    /// one uniform per draw; capped at 1000), as a float, for seeded test signals.
    pub fn poisson(&mut self, rate: f64) -> f64 {
        let (mut k, mut p, u) = (0.0, (-rate).exp(), self.uniform());
        let mut cdf = p;
        while u > cdf && k < 1000.0 {
            k += 1.0;
            p *= rate / k;
            cdf += p;
        }
        k
    }

    /// Shuffles `x` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.below(i + 1);
            x.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_inverts_the_cdf() {
        // Each draw is the smallest k with F(k) >= u for the uniform it consumed.
        let (mut a, mut b) = (Rng::new(9), Rng::new(9));
        for rate in [0.5, 5.0, 8.0, 30.0] {
            for _ in 0..500 {
                let k = a.poisson(rate);
                let u = b.uniform();
                let cdf = |k: f64| crate::stats::math::dist::poisson_cdf(k as u64, rate);
                assert!(cdf(k) >= u - 1e-12, "{rate} {k} {u}");
                assert!(k == 0.0 || cdf(k - 1.0) < u + 1e-12, "{rate} {k} {u}");
            }
        }
    }

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn stream_is_pinned() {
        // Pinned so an accidental change of the generator (which would change every seeded
        // result users have recorded) fails loudly. Source: an independent Python transcription
        // of the xoshiro256++ reference C code, state seeded by four SplitMix64 outputs from 0.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 5_987_356_902_031_041_503);
        assert_eq!(r.next_u64(), 7_051_070_477_665_621_255);
        assert_eq!(r.next_u64(), 6_633_766_593_972_829_180);
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut r = Rng::new(7);
        let mut counts = [0usize; 6];
        for _ in 0..60_000 {
            counts[r.below(6)] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn normal_has_unit_moments() {
        let mut r = Rng::new(3);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.01, "{var}");
    }
}
