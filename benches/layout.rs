//! Layout speed: ForceAtlas2 on 10 000 nodes in 200 clusters with 50 000 edges.
//! `cargo bench --bench layout` (release).

use lockstep::export::layout::{LayoutParams, force_atlas2};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn main() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let n = 10_000usize;
    let groups: Vec<u32> = (0..n).map(|i| (i % 200) as u32 + 1).collect();
    let edges: Vec<(usize, usize, f64)> = (0..50_000)
        .map(|_| {
            let a = rng.random_range(0..n);
            let b = if rng.random::<f64>() < 0.8 {
                (a + 200 * rng.random_range(1..=40usize)) % n
            } else {
                rng.random_range(0..n)
            };
            (a, b, 1.0 + rng.random::<f64>())
        })
        .collect();
    let start = std::time::Instant::now();
    let pos = force_atlas2(n, &edges, &groups, &LayoutParams::default());
    println!(
        "layout: {n} nodes, {} edges: {:.2?}",
        edges.len(),
        start.elapsed()
    );
    assert!(pos.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
}
