//! A seeded force-directed layout, so graph files open in Gephi already laid out.
//!
//! ForceAtlas2 (Jacomy, Venturini, Heymann & Bastian 2014, "ForceAtlas2, a continuous graph
//! layout algorithm for handy network visualization designed for the Gephi software",
//! PLoS ONE 9(6): e98679), with the settings Gephi uses by default: degree-weighted repulsion
//! `kr (deg₁+1)(deg₂+1) / d`, linear attraction `w d` along edges (weights normalised to mean 1),
//! gravity `kg (deg+1)` towards the centre, and the adaptive global and local speeds of the
//! paper (swinging vs. effective traction). Repulsion is approximated with a Barnes–Hut
//! quadtree (Barnes & Hut 1986, "A hierarchical O(N log N) force-calculation algorithm",
//! Nature 324: 446–449), θ = 1.2, so a step costs O(n log n).
//!
//! Clusters start as separate discs on a sunflower spiral (members jittered around their
//! cluster's centre, other nodes spread around all of them), so groups come out as separate blobs
//! after fewer iterations. The start is drawn from the seed with SplitMix64.
//!
//! Deterministic: the same seed gives the same coordinates for any thread count — each node's
//! repulsion is summed over the tree in a fixed order (nodes are processed in parallel, but never
//! share an accumulator), attraction and the global sums run sequentially.

use rayon::prelude::*;

/// Layout settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutParams {
    /// Seed of the starting positions.
    pub seed: u64,
    /// Iterations; None chooses from the size of the graph ([`default_iterations`]).
    pub iterations: Option<usize>,
    /// Barnes–Hut opening angle θ (0 = exact).
    pub theta: f64,
}

impl Default for LayoutParams {
    fn default() -> Self {
        LayoutParams {
            seed: 0,
            iterations: None,
            theta: 1.2,
        }
    }
}

/// Iterations for a graph of `n` nodes: 600 for small graphs, fewer for large ones so a
/// 50 000-edge graph takes a few seconds.
pub fn default_iterations(n: usize) -> usize {
    match n {
        0..=2_000 => 600,
        2_001..=20_000 => 300,
        _ => 150,
    }
}

use crate::rng::SplitMix64;

const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;

/// Starting positions: each group (non-zero id) a disc on a sunflower spiral, nodes of group 0
/// spread over a wider disc.
fn initial_positions(groups: &[u32], seed: u64) -> Vec<[f64; 2]> {
    let n = groups.len();
    let mut rng = SplitMix64::new(seed ^ 0x6C6F_636B_7374_6570);
    let mut ids: Vec<u32> = groups.iter().copied().filter(|&g| g > 0).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut size = vec![0usize; ids.len()];
    for &g in groups {
        if let Ok(k) = ids.binary_search(&g) {
            size[k] += 1;
        }
    }
    // Place groups on a spiral whose spacing grows with the largest group.
    let spacing = 10.0 * (size.iter().copied().max().unwrap_or(1) as f64).sqrt() + 10.0;
    let centres: Vec<[f64; 2]> = (0..ids.len())
        .map(|k| {
            let r = spacing * ((k + 1) as f64).sqrt();
            let a = k as f64 * GOLDEN_ANGLE;
            [r * a.cos(), r * a.sin()]
        })
        .collect();
    let outer = spacing * ((ids.len() + 1) as f64).sqrt() + 10.0 * (n as f64).sqrt();
    let disc = |rng: &mut SplitMix64, radius: f64| {
        let r = radius * rng.unit().sqrt();
        let a = std::f64::consts::TAU * rng.unit();
        [r * a.cos(), r * a.sin()]
    };
    groups
        .iter()
        .map(|&g| match ids.binary_search(&g) {
            Ok(k) if g > 0 => {
                let [dx, dy] = disc(&mut rng, 3.0 * (size[k] as f64).sqrt() + 1.0);
                [centres[k][0] + dx, centres[k][1] + dy]
            }
            _ => disc(&mut rng, outer),
        })
        .collect()
}

/// One cell of the Barnes–Hut quadtree.
#[derive(Debug, Clone)]
struct Cell {
    /// Centre of mass.
    cx: f64,
    cy: f64,
    /// Total mass.
    mass: f64,
    /// Side length of the square.
    side: f64,
    /// Children (index into the arena), or a leaf's bodies as a range of `order`.
    children: Option<[u32; 4]>,
    bodies: (u32, u32),
}

struct QuadTree {
    cells: Vec<Cell>,
    /// Node indices permuted so each leaf's bodies are contiguous.
    order: Vec<u32>,
    /// Reused buffer for partitioning.
    scratch: Vec<(u8, u32)>,
}

const LEAF_SIZE: usize = 4;
const MAX_DEPTH: usize = 48;

impl QuadTree {
    fn build(pos: &[[f64; 2]], mass: &[f64]) -> QuadTree {
        let n = pos.len();
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in pos {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        let side = (x1 - x0).max(y1 - y0).max(1e-9);
        let mut tree = QuadTree {
            cells: Vec::with_capacity(2 * n / LEAF_SIZE + 8),
            order: (0..n as u32).collect(),
            scratch: Vec::with_capacity(n),
        };
        if n > 0 {
            tree.split(pos, mass, 0, n, x0, y0, side, 0);
        }
        tree
    }

    /// Build the cell for `order[lo..hi]` inside the square at (x0, y0) with `side`; returns
    /// its index.
    #[allow(clippy::too_many_arguments)]
    fn split(
        &mut self,
        pos: &[[f64; 2]],
        mass: &[f64],
        lo: usize,
        hi: usize,
        x0: f64,
        y0: f64,
        side: f64,
        depth: usize,
    ) -> u32 {
        let (mut m, mut sx, mut sy) = (0.0, 0.0, 0.0);
        for &i in &self.order[lo..hi] {
            let i = i as usize;
            m += mass[i];
            sx += mass[i] * pos[i][0];
            sy += mass[i] * pos[i][1];
        }
        let id = self.cells.len() as u32;
        self.cells.push(Cell {
            cx: sx / m,
            cy: sy / m,
            mass: m,
            side,
            children: None,
            bodies: (lo as u32, hi as u32),
        });
        if hi - lo <= LEAF_SIZE || depth >= MAX_DEPTH {
            return id;
        }
        let half = side / 2.0;
        let (mx, my) = (x0 + half, y0 + half);
        let quadrant = |i: u32| -> usize {
            let p = pos[i as usize];
            (p[0] >= mx) as usize + 2 * (p[1] >= my) as usize
        };
        // Stable counting partition into the four quadrants (deterministic order).
        let mut counts = [0usize; 4];
        self.scratch.clear();
        for &i in &self.order[lo..hi] {
            let q = quadrant(i);
            counts[q] += 1;
            self.scratch.push((q as u8, i));
        }
        let mut bounds = [lo; 5];
        for q in 0..4 {
            bounds[q + 1] = bounds[q] + counts[q];
        }
        let mut next = bounds;
        for &(q, i) in &self.scratch {
            self.order[next[q as usize]] = i;
            next[q as usize] += 1;
        }
        let mut children = [u32::MAX; 4];
        for q in 0..4 {
            if bounds[q + 1] > bounds[q] {
                let cx0 = if q & 1 == 1 { mx } else { x0 };
                let cy0 = if q & 2 == 2 { my } else { y0 };
                children[q] = self.split(pos, mass, bounds[q], bounds[q + 1], cx0, cy0, half, depth + 1);
            }
        }
        self.cells[id as usize].children = Some(children);
        id
    }

    /// Repulsion on node `i`: Σ kr mᵢ mⱼ / d along the separation.
    fn repulsion(&self, i: usize, pos: &[[f64; 2]], mass: &[f64], kr: f64, theta: f64) -> [f64; 2] {
        let (p, mi) = (pos[i], mass[i]);
        let (mut fx, mut fy) = (0.0, 0.0);
        if self.cells.is_empty() {
            return [0.0, 0.0];
        }
        // Depth-first; at most 3 siblings wait per level, so a fixed stack suffices.
        let mut stack = [0u32; 4 * MAX_DEPTH + 8];
        let mut top = 1usize;
        while top > 0 {
            top -= 1;
            let cell = &self.cells[stack[top] as usize];
            let dx = p[0] - cell.cx;
            let dy = p[1] - cell.cy;
            let d2 = dx * dx + dy * dy;
            match cell.children {
                Some(children) if d2 == 0.0 || cell.side * cell.side >= theta * theta * d2 => {
                    for &ch in children.iter().rev() {
                        if ch != u32::MAX {
                            stack[top] = ch;
                            top += 1;
                        }
                    }
                }
                Some(_) => {
                    let f = kr * mi * cell.mass / d2;
                    fx += dx * f;
                    fy += dy * f;
                }
                None => {
                    for &j in &self.order[cell.bodies.0 as usize..cell.bodies.1 as usize] {
                        let j = j as usize;
                        if j == i {
                            continue;
                        }
                        let dx = p[0] - pos[j][0];
                        let dy = p[1] - pos[j][1];
                        let d2 = dx * dx + dy * dy;
                        if d2 > 0.0 {
                            let f = kr * mi * mass[j] / d2;
                            fx += dx * f;
                            fy += dy * f;
                        }
                    }
                }
            }
        }
        [fx, fy]
    }
}

/// Lay out `n` nodes joined by `edges` (source, target, weight); `groups[i]` is node i's cluster
/// (0 = none), used for the starting positions. Returns one (x, y) per node.
pub fn force_atlas2(
    n: usize,
    edges: &[(usize, usize, f64)],
    groups: &[u32],
    params: &LayoutParams,
) -> Vec<(f64, f64)> {
    assert_eq!(groups.len(), n, "one group per node");
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(0.0, 0.0)];
    }
    let mut degree = vec![0usize; n];
    for &(s, t, _) in edges {
        if s != t {
            degree[s] += 1;
            degree[t] += 1;
        }
    }
    let mass: Vec<f64> = degree.iter().map(|&d| d as f64 + 1.0).collect();
    let positive: Vec<f64> = edges
        .iter()
        .map(|e| if e.2.is_finite() && e.2 > 0.0 { e.2 } else { 0.0 })
        .collect();
    let mean_w = positive.iter().sum::<f64>() / positive.len().max(1) as f64;
    let weights: Vec<f64> = positive
        .iter()
        .map(|&w| if mean_w > 0.0 { w / mean_w } else { 1.0 })
        .collect();

    let kr = if n >= 100 { 2.0 } else { 10.0 };
    let kg = 1.0;
    let jitter_tolerance = if n >= 50_000 {
        10.0
    } else if n >= 5_000 {
        1.0
    } else {
        0.1
    };
    let iterations = params.iterations.unwrap_or_else(|| default_iterations(n));

    let mut pos = initial_positions(groups, params.seed);
    let mut old_force = vec![[0.0f64; 2]; n];
    let mut speed = 1.0f64;
    let mut speed_efficiency = 1.0f64;

    for _ in 0..iterations {
        let tree = QuadTree::build(&pos, &mass);
        let mut force: Vec<[f64; 2]> = (0..n)
            .into_par_iter()
            .map(|i| {
                let p = pos[i];
                let mut f = tree.repulsion(i, &pos, &mass, kr, params.theta);
                let d = (p[0] * p[0] + p[1] * p[1]).sqrt();
                if d > 0.0 {
                    let g = kg * mass[i] / d;
                    f[0] -= p[0] * g;
                    f[1] -= p[1] * g;
                }
                f
            })
            .collect();
        for (k, &(s, t, _)) in edges.iter().enumerate() {
            if s == t {
                continue;
            }
            let dx = pos[s][0] - pos[t][0];
            let dy = pos[s][1] - pos[t][1];
            let w = weights[k];
            force[s][0] -= dx * w;
            force[s][1] -= dy * w;
            force[t][0] += dx * w;
            force[t][1] += dy * w;
        }

        // Adaptive speed (Jacomy et al. 2014, section "Adaptive speed"; as in Gephi).
        let (mut swinging, mut traction) = (0.0, 0.0);
        let mut node_swing = vec![0.0f64; n];
        for i in 0..n {
            let (fx, fy) = (force[i][0], force[i][1]);
            let (ox, oy) = (old_force[i][0], old_force[i][1]);
            let sw = ((fx - ox).powi(2) + (fy - oy).powi(2)).sqrt();
            node_swing[i] = mass[i] * sw;
            swinging += mass[i] * sw;
            traction += 0.5 * mass[i] * ((fx + ox).powi(2) + (fy + oy).powi(2)).sqrt();
        }
        let estimated = 0.05 * (n as f64).sqrt();
        let min_jt = estimated.sqrt();
        let max_jt: f64 = 10.0;
        let mut jt = jitter_tolerance * min_jt.max(max_jt.min(estimated * traction / (n as f64 * n as f64)));
        let min_speed_efficiency = 0.05;
        if traction > 0.0 && swinging / traction > 2.0 {
            if speed_efficiency > min_speed_efficiency {
                speed_efficiency *= 0.5;
            }
            jt = jt.max(jitter_tolerance);
        }
        let target_speed = if swinging > 0.0 {
            jt * speed_efficiency * traction / swinging
        } else {
            speed
        };
        if swinging > jt * traction {
            if speed_efficiency > min_speed_efficiency {
                speed_efficiency *= 0.7;
            }
        } else if speed < 1000.0 {
            speed_efficiency *= 1.3;
        }
        let max_rise = 0.5;
        speed += (target_speed - speed).min(max_rise * speed);
        if !speed.is_finite() || speed <= 0.0 {
            speed = 1e-6;
        }

        for i in 0..n {
            let factor = speed / (1.0 + (speed * node_swing[i]).sqrt());
            let (fx, fy) = (force[i][0], force[i][1]);
            if fx.is_finite() && fy.is_finite() {
                pos[i][0] += fx * factor;
                pos[i][1] += fy * factor;
            }
        }
        old_force = force;
    }

    // Centre on the origin.
    let (mx, my) = pos.iter().fold((0.0, 0.0), |(a, b), p| (a + p[0], b + p[1]));
    let (mx, my) = (mx / n as f64, my / n as f64);
    pos.iter().map(|p| (p[0] - mx, p[1] - my)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two 6-cliques joined by one weak edge, plus one isolated node.
    fn two_cliques() -> (usize, Vec<(usize, usize, f64)>, Vec<u32>) {
        let mut edges = Vec::new();
        for base in [0, 6] {
            for i in 0..6 {
                for j in i + 1..6 {
                    edges.push((base + i, base + j, 3.0));
                }
            }
        }
        edges.push((0, 6, 0.5));
        let mut groups = vec![1; 6];
        groups.extend([2; 6]);
        groups.push(0);
        (13, edges, groups)
    }

    fn dist(p: (f64, f64), q: (f64, f64)) -> f64 {
        ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
    }

    #[test]
    fn same_seed_same_coordinates_for_any_thread_count() {
        let (n, edges, groups) = two_cliques();
        let params = LayoutParams {
            seed: 7,
            ..LayoutParams::default()
        };
        let a = force_atlas2(n, &edges, &groups, &params);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let b = one.install(|| force_atlas2(n, &edges, &groups, &params));
        let three = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let c = three.install(|| force_atlas2(n, &edges, &groups, &params));
        assert_eq!(a, b);
        assert_eq!(a, c);
        let other = force_atlas2(n, &edges, &groups, &LayoutParams { seed: 8, ..params });
        assert_ne!(a, other);
        assert!(a.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
    }

    #[test]
    fn clusters_come_out_as_separate_blobs() {
        let (n, edges, groups) = two_cliques();
        let pos = force_atlas2(n, &edges, &groups, &LayoutParams::default());
        let centre = |range: std::ops::Range<usize>| {
            let k = range.len() as f64;
            let (x, y) = range.fold((0.0, 0.0), |(x, y), i| (x + pos[i].0, y + pos[i].1));
            (x / k, y / k)
        };
        let (c1, c2) = (centre(0..6), centre(6..12));
        let spread = |range: std::ops::Range<usize>, c| range.map(|i| dist(pos[i], c)).fold(0.0, f64::max);
        let gap = dist(c1, c2);
        assert!(
            gap > 1.5 * (spread(0..6, c1) + spread(6..12, c2)) / 2.0,
            "clusters overlap: gap {gap}, spreads {} {}",
            spread(0..6, c1),
            spread(6..12, c2)
        );
        // No two nodes on top of each other.
        for i in 0..n {
            for j in i + 1..n {
                assert!(dist(pos[i], pos[j]) > 1e-3, "{i} {j}");
            }
        }
    }

    #[test]
    fn barnes_hut_is_close_to_exact_repulsion() {
        let groups = vec![0u32; 300];
        let pos = initial_positions(&groups, 3);
        let mass: Vec<f64> = (0..300).map(|i| 1.0 + (i % 5) as f64).collect();
        let tree = QuadTree::build(&pos, &mass);
        let mut worst: f64 = 0.0;
        for i in (0..300).step_by(17) {
            let exact = tree.repulsion(i, &pos, &mass, 1.0, 0.0);
            let approx = tree.repulsion(i, &pos, &mass, 1.0, 0.5);
            let norm = (exact[0].powi(2) + exact[1].powi(2)).sqrt();
            let err = ((exact[0] - approx[0]).powi(2) + (exact[1] - approx[1]).powi(2)).sqrt();
            worst = worst.max(err / norm);
        }
        assert!(worst < 0.1, "relative error {worst}");
    }

    #[test]
    fn tiny_graphs() {
        let p = LayoutParams::default();
        assert!(force_atlas2(0, &[], &[], &p).is_empty());
        assert_eq!(force_atlas2(1, &[], &[0], &p), vec![(0.0, 0.0)]);
        let two = force_atlas2(2, &[(0, 1, 1.0)], &[0, 0], &p);
        assert!(dist(two[0], two[1]) > 0.0);
    }
}
