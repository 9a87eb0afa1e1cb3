//! Seeded randomness, in one place: every random choice in lockstep comes from the run's
//! `--seed` through this module, so the same seed gives byte-identical outputs on any machine
//! and thread count.
//!
//! - [`stream`]: a ChaCha8 generator (the `rand` crate's portable, reproducible stream) for
//!   algorithms that draw many numbers (Leiden's node orders and refinement, the layout's
//!   starting positions).
//! - [`mix64`]: SplitMix64's output function (Steele, Lea & Flood, "Fast splittable
//!   pseudorandom number generators", OOPSLA 2014) as a seeded hash, for MinHash signatures,
//!   where each hash function must be a pure function of its key and the item.
//! - [`SplitMix64`]: the generator built on [`mix64`], for small deterministic streams.

use rand::SeedableRng;
pub use rand::rngs::ChaCha8Rng;

/// The SplitMix64 increment (2⁶⁴ / φ).
pub const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// A ChaCha8 stream seeded with `seed`.
pub fn stream(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// SplitMix64's output for state `x` (the state is advanced by [`GOLDEN`] first): a
/// well-mixed 64-bit function of `x`.
pub fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from state `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let out = mix64(self.0);
        self.0 = self.0.wrapping_add(GOLDEN);
        out
    }

    /// Uniform in [0, 1), from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_values() {
        // First outputs of SplitMix64 seeded with 1234567 (Vigna's reference implementation).
        let mut g = SplitMix64::new(1_234_567);
        assert_eq!(g.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(g.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(mix64(1_234_567), 6_457_827_717_110_365_317);
        let u = SplitMix64::new(7).unit();
        assert!((0.0..1.0).contains(&u));
    }
}
