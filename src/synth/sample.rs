//! Random building blocks: seeded streams, alias tables, heavy-tailed draws, the daily rhythm.

use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, Poisson, StandardNormal};

pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 86_400_000;

/// SplitMix64 finaliser: mixes the seed with a stream label.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An independent random stream for (seed, phase, index): the result of a phase does not
/// depend on how many numbers other phases drew, nor on thread scheduling.
pub fn stream(seed: u64, phase: u64, index: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(mix(seed ^ mix(phase)) ^ index))
}

/// A uniform number in [0, 1) from a hash of (seed, phase, index): for per-row choices that
/// need no stream.
pub fn unit(seed: u64, phase: u64, index: u64) -> f64 {
    (mix(mix(seed ^ mix(phase)) ^ index) >> 11) as f64 / (1u64 << 53) as f64
}

/// `median · exp(sigma · Z)`.
pub fn lognormal<R: Rng + ?Sized>(rng: &mut R, median: f64, sigma: f64) -> f64 {
    let z: f64 = StandardNormal.sample(rng);
    median * (sigma * z).exp()
}

/// Standard normal draw.
pub fn normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    StandardNormal.sample(rng)
}

/// Poisson draw; 0 for a non-positive rate.
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, lambda: f64) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 || !lambda.is_finite() {
        return 0;
    }
    match Poisson::new(lambda) {
        Ok(d) => {
            let x: f64 = d.sample(rng);
            x.max(0.0) as u64
        }
        Err(_) => 0,
    }
}

/// Uniform in [a, b) (a when the range is empty).
pub fn uniform<R: Rng + ?Sized>(rng: &mut R, a: f64, b: f64) -> f64 {
    if b > a {
        a + (b - a) * rng.random::<f64>()
    } else {
        a
    }
}

/// Uniform integer in [a, b] (a when b < a).
pub fn uniform_int<R: Rng + ?Sized>(rng: &mut R, a: usize, b: usize) -> usize {
    if b > a { rng.random_range(a..=b) } else { a }
}

/// Exponential with the given mean.
pub fn exponential<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    let u: f64 = rng.random::<f64>();
    -mean * (1.0 - u).ln()
}

/// Milliseconds from a duration in minutes, hours, seconds.
pub fn ms(x: f64) -> i64 {
    x.round() as i64
}

/// Walker/Vose alias table: O(1) weighted draws.
#[derive(Debug, Clone, Default)]
pub struct Alias {
    prob: Vec<f64>,
    alias: Vec<u32>,
}

impl Alias {
    /// Table over `weights` (non-negative; all-zero behaves as uniform).
    pub fn new(weights: &[f64]) -> Self {
        let n = weights.len();
        if n == 0 {
            return Alias::default();
        }
        let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
        let mut prob: Vec<f64> = if total > 0.0 {
            weights.iter().map(|w| w.max(0.0) * n as f64 / total).collect()
        } else {
            vec![1.0; n]
        };
        let mut alias = vec![0u32; n];
        let mut small = Vec::new();
        let mut large = Vec::new();
        for (i, &p) in prob.iter().enumerate() {
            if p < 1.0 {
                small.push(i);
            } else {
                large.push(i);
            }
        }
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            alias[s] = l as u32;
            prob[l] = (prob[l] + prob[s]) - 1.0;
            if prob[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        for i in small.into_iter().chain(large) {
            prob[i] = 1.0;
        }
        Alias { prob, alias }
    }

    /// Acceptance probabilities and aliases, for tables that store them next to their data.
    pub fn into_parts(self) -> (Vec<f64>, Vec<u32>) {
        (self.prob, self.alias)
    }

    pub fn is_empty(&self) -> bool {
        self.prob.is_empty()
    }

    /// An index drawn in proportion to its weight. Panics on an empty table.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let i = rng.random_range(0..self.prob.len());
        if rng.random::<f64>() < self.prob[i] {
            i
        } else {
            self.alias[i] as usize
        }
    }
}

/// Relative activity by local hour (0–23): low at night, peak in the evening.
const RHYTHM: [f64; 24] = [
    0.55, 0.35, 0.20, 0.12, 0.08, 0.08, 0.15, 0.35, 0.50, 0.55, 0.58, 0.62, 0.70, 0.68, 0.62, 0.62, 0.66,
    0.72, 0.80, 0.88, 0.95, 1.00, 0.92, 0.75,
];

/// Activity below this level counts as asleep (for notification-driven behaviour).
const ASLEEP: f64 = 0.2;

/// Local hour of `t` for an account whose clock is shifted by `offset_min` minutes from UTC.
fn local_hour(t: i64, offset_min: i32) -> usize {
    let local = t + offset_min as i64 * MINUTE;
    (local.rem_euclid(DAY) / HOUR) as usize
}

/// Relative activity (0–1] of an account at time `t`.
pub fn activity(t: i64, offset_min: i32) -> f64 {
    RHYTHM[local_hour(t, offset_min)]
}

/// Whether the account is asleep at `t`.
pub fn asleep(t: i64, offset_min: i32) -> bool {
    activity(t, offset_min) < ASLEEP
}

/// The first quarter hour at or after `t` when the account is awake.
pub fn next_awake(t: i64, offset_min: i32) -> i64 {
    let mut x = t;
    for _ in 0..96 {
        if !asleep(x, offset_min) {
            return x;
        }
        x += 15 * MINUTE;
    }
    x
}

/// `base + delay` with the delay redrawn until the time falls in the account's active hours
/// (accepted with probability = activity); the last draw is kept after `tries`.
pub fn rhythmic_time<R: Rng + ?Sized>(
    rng: &mut R,
    base: i64,
    offset_min: i32,
    median_ms: f64,
    sigma: f64,
    tries: usize,
) -> i64 {
    let mut t = base;
    for _ in 0..tries.max(1) {
        t = base + ms(lognormal(rng, median_ms, sigma)).max(1000);
        if rng.random::<f64>() < activity(t, offset_min) {
            return t;
        }
    }
    t
}

/// A time uniform in [a, b) accepted with the account's activity (last draw after `tries`).
pub fn rhythmic_uniform<R: Rng + ?Sized>(rng: &mut R, a: i64, b: i64, offset_min: i32, tries: usize) -> i64 {
    let mut t = a;
    for _ in 0..tries.max(1) {
        t = if b > a { rng.random_range(a..b) } else { a };
        if rng.random::<f64>() < activity(t, offset_min) {
            return t;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_follows_weights() {
        let a = Alias::new(&[1.0, 0.0, 3.0]);
        let mut rng = stream(1, 2, 3);
        let mut counts = [0usize; 3];
        for _ in 0..40_000 {
            counts[a.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        let ratio = counts[2] as f64 / counts[0] as f64;
        assert!((2.7..3.3).contains(&ratio), "{counts:?}");
    }

    #[test]
    fn streams_are_independent_and_stable() {
        let x: u64 = stream(7, 1, 0).random();
        let y: u64 = stream(7, 1, 0).random();
        let z: u64 = stream(7, 1, 1).random();
        assert_eq!(x, y);
        assert_ne!(x, z);
    }

    #[test]
    fn next_awake_skips_the_night() {
        // 03:00 UTC with offset 0 is asleep; 06:00 (activity 0.15) still is; 07:00 is awake.
        let t = 3 * HOUR;
        assert!(asleep(t, 0));
        let w = next_awake(t, 0);
        assert_eq!(w, 7 * HOUR);
    }
}
