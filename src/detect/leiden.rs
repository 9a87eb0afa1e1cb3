//! Leiden community detection on undirected weighted graphs.
//!
//! Own implementation of the algorithm of V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain
//! to Leiden: guaranteeing well-connected communities", *Scientific Reports* 9, 5233 (2019),
//! <https://doi.org/10.1038/s41598-019-41695-z> (pseudo-code in its supplementary information).
//! One pass:
//!
//! 1. **Fast local moving**: nodes are visited from a queue (initially all nodes in random order);
//!    a node moves to the neighbouring (or an empty) community with the largest quality gain, and
//!    only neighbours outside its new community are queued again.
//! 2. **Refinement**: inside every community each node starts as a singleton. In random order,
//!    every still-singleton node that is well connected to its community
//!    (`E(v, S − v) ≥ r·w_v·(W_S − w_v)`) joins a well-connected sub-community `C` of the same
//!    community it is adjacent to, chosen at random with probability ∝ `exp(ΔH / θ)` among the
//!    moves with `ΔH ≥ 0` (staying alone has `ΔH = 0`). Refined sub-communities are therefore
//!    always connected.
//! 3. **Aggregation**: refined sub-communities become the nodes of the next graph, whose initial
//!    partition is the *unrefined* partition. If the refinement merged nothing, the graph is
//!    aggregated by the unrefined partition instead (so every level shrinks the graph).
//!
//! The levels repeat until local moving leaves every aggregate node alone. Whole passes are
//! repeated, each starting from the previous result, until the membership stops changing or
//! [`LeidenParams::max_iterations`] is reached. Finally, as a safety net (e.g. after the fallback
//! aggregation above), any community that is not connected is split into its connected components,
//! which never lowers either quality function for a resolution ≥ 0.
//!
//! Quality functions (`m` = total edge weight, `e_c` = weight of the edges inside community `c`,
//! `K_c` = sum of weighted degrees in `c`, `n_c` = sum of node weights in `c`):
//!
//! * modularity with resolution γ: `Q = Σ_c [e_c/m − γ·(K_c/2m)²]`; this is the standard
//!   normalised modularity for γ = 1 (igraph `modularity`, leidenalg
//!   `ModularityVertexPartition.quality()`); leidenalg's `RBConfigurationVertexPartition.quality()`
//!   reports `2m·Q`.
//! * CPM with resolution γ: `H = Σ_c [e_c − γ·n_c(n_c − 1)/2]`; [`quality`] reports `2H`, the same
//!   number as leidenalg's `CPMVertexPartition.quality()` (checked against leidenalg 0.12).
//!
//! Both are optimised in one form: the gain of moving node `v` into community `C` (not containing
//! `v`) is `k_{v,C} − r·w_v·W_C`, with `w` = weighted degree and `r = γ/2m` for modularity, and
//! `w` = node weight and `r = γ` for CPM.
//!
//! Everything is sequential and driven by one `ChaCha8Rng`, so the result depends only on the graph
//! and the seed. Work per level is `O(n + m)` using CSR arrays and dense scratch arrays that are
//! reset through touched lists.

use std::collections::{HashMap, VecDeque};

use crate::rng::ChaCha8Rng;
use rand::RngExt;
use thiserror::Error;

/// Largest number of nodes a graph may have (node ids are `u32`).
pub const MAX_NODES: usize = u32::MAX as usize;

/// Safety cap on the number of passes when [`LeidenParams::max_iterations`] is 0 ("until stable").
const UNTIL_STABLE_CAP: usize = 1_000;

/// A move must improve the quality by more than this share of the quantities involved, so that
/// floating-point noise cannot make a node move back and forth.
const RELATIVE_TOLERANCE: f64 = 1e-12;

/// Why an edge list or node-weight vector was rejected by the strict constructors.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GraphError {
    /// An edge endpoint is not below the number of nodes.
    #[error("node id {node} is out of range for a graph with {n} nodes")]
    NodeOutOfRange {
        /// The offending node id.
        node: u32,
        /// The number of nodes of the graph.
        n: usize,
    },
    /// An edge joins a node to itself.
    #[error("self-loop on node {0}")]
    SelfLoop(u32),
    /// An edge weight is negative, infinite or NaN.
    #[error("edge ({u}, {v}) has weight {w}; weights must be finite and >= 0")]
    InvalidWeight {
        /// First endpoint.
        u: u32,
        /// Second endpoint.
        v: u32,
        /// The offending weight.
        w: f64,
    },
    /// More nodes than `u32` ids can address.
    #[error("{0} nodes exceed the u32 id space")]
    TooManyNodes(usize),
    /// The node-weight vector does not have one entry per node.
    #[error("expected {expected} node weights, got {got}")]
    NodeWeightCount {
        /// The number of nodes.
        expected: usize,
        /// The length of the given vector.
        got: usize,
    },
    /// A node weight is negative, infinite or NaN.
    #[error("node {node} has weight {w}; node weights must be finite and >= 0")]
    InvalidNodeWeight {
        /// The node.
        node: usize,
        /// The offending weight.
        w: f64,
    },
}

/// Undirected weighted graph in symmetric CSR form (each edge stored both ways, sorted by
/// neighbour, no self-loops, positive weights), with node weights for CPM.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UndirectedGraph {
    offsets: Vec<usize>,
    neighbors: Vec<u32>,
    weights: Vec<f64>,
    node_weights: Vec<f64>,
    total_weight: f64,
}

impl UndirectedGraph {
    /// Build from an edge list `(u, v, w)` on `n` nodes (each of weight 1); duplicate edges (in
    /// either direction) are summed. Lenient: self-loops, endpoints `>= n`, and weights that are
    /// zero, negative or not finite are dropped; `n` is clamped to [`MAX_NODES`].
    pub fn from_edges(n: usize, edges: &[(u32, u32, f64)]) -> Self {
        let n = n.min(MAX_NODES);
        let kept = edges
            .iter()
            .copied()
            .filter(|&(u, v, w)| u != v && (u as usize) < n && (v as usize) < n && w.is_finite() && w > 0.0)
            .collect();
        Self::build(n, kept)
    }

    /// Strict version of [`from_edges`](Self::from_edges): rejects self-loops, out-of-range ids,
    /// negative or non-finite weights and `n > MAX_NODES`; zero-weight edges are accepted and dropped.
    pub fn try_from_edges(n: usize, edges: &[(u32, u32, f64)]) -> Result<Self, GraphError> {
        if n > MAX_NODES {
            return Err(GraphError::TooManyNodes(n));
        }
        let mut kept = Vec::with_capacity(edges.len());
        for &(u, v, w) in edges {
            for node in [u, v] {
                if node as usize >= n {
                    return Err(GraphError::NodeOutOfRange { node, n });
                }
            }
            if u == v {
                return Err(GraphError::SelfLoop(u));
            }
            if !w.is_finite() || w < 0.0 {
                return Err(GraphError::InvalidWeight { u, v, w });
            }
            if w > 0.0 {
                kept.push((u, v, w));
            }
        }
        Ok(Self::build(n, kept))
    }

    /// Replace the node weights (used by CPM only; default 1 per node). Each must be finite and `>= 0`.
    pub fn with_node_weights(mut self, node_weights: Vec<f64>) -> Result<Self, GraphError> {
        if node_weights.len() != self.n_nodes() {
            return Err(GraphError::NodeWeightCount {
                expected: self.n_nodes(),
                got: node_weights.len(),
            });
        }
        if let Some((node, &w)) = node_weights
            .iter()
            .enumerate()
            .find(|(_, w)| !w.is_finite() || **w < 0.0)
        {
            return Err(GraphError::InvalidNodeWeight { node, w });
        }
        self.node_weights = node_weights;
        Ok(self)
    }

    /// Canonicalise `(min, max)`, sort stably, sum duplicates and lay out the symmetric CSR.
    fn build(n: usize, mut edges: Vec<(u32, u32, f64)>) -> Self {
        for e in &mut edges {
            if e.0 > e.1 {
                std::mem::swap(&mut e.0, &mut e.1);
            }
        }
        edges.sort_by_key(|&(u, v, _)| (u, v));
        let mut merged: Vec<(u32, u32, f64)> = Vec::with_capacity(edges.len());
        for (u, v, w) in edges {
            match merged.last_mut() {
                Some(last) if last.0 == u && last.1 == v => last.2 = (last.2 + w).min(f64::MAX),
                _ => merged.push((u, v, w)),
            }
        }
        let mut offsets = vec![0usize; n + 1];
        for &(u, v, _) in &merged {
            offsets[u as usize + 1] += 1;
            offsets[v as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets[..n].to_vec();
        let mut neighbors = vec![0u32; 2 * merged.len()];
        let mut weights = vec![0f64; 2 * merged.len()];
        let mut total_weight = 0.0;
        // Sorted (u, v) order gives every adjacency list in increasing neighbour order.
        for &(u, v, w) in &merged {
            for (a, b) in [(u, v), (v, u)] {
                let slot = &mut fill[a as usize];
                neighbors[*slot] = b;
                weights[*slot] = w;
                *slot += 1;
            }
            total_weight += w;
        }
        Self {
            offsets,
            neighbors,
            weights,
            node_weights: vec![1.0; n],
            total_weight,
        }
    }

    /// Number of nodes.
    pub fn n_nodes(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of distinct undirected edges (after merging duplicates).
    pub fn n_edges(&self) -> usize {
        self.neighbors.len() / 2
    }

    /// Total edge weight `m` (each undirected edge counted once).
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    /// Neighbours of `v` with edge weights, in increasing neighbour order (empty if `v` is out of range).
    pub fn neighbors(&self, v: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let (s, e) = self.range(v as usize);
        self.neighbors[s..e]
            .iter()
            .copied()
            .zip(self.weights[s..e].iter().copied())
    }

    /// Weighted degree of `v` (0 if out of range).
    pub fn degree(&self, v: u32) -> f64 {
        let (s, e) = self.range(v as usize);
        self.weights[s..e].iter().sum()
    }

    /// Node weights used by CPM (1 per node unless set with [`with_node_weights`](Self::with_node_weights)).
    pub fn node_weights(&self) -> &[f64] {
        &self.node_weights
    }

    fn range(&self, v: usize) -> (usize, usize) {
        if v < self.n_nodes() {
            (self.offsets[v], self.offsets[v + 1])
        } else {
            (0, 0)
        }
    }
}

/// The quality function to maximise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quality {
    /// Modularity with a resolution γ (γ = 1 is standard modularity; RB configuration model).
    Modularity {
        /// Resolution γ; higher gives smaller communities.
        resolution: f64,
    },
    /// Constant Potts model with resolution γ, a density threshold between 0 and 1 for unit weights.
    Cpm {
        /// Resolution γ; higher gives smaller, denser communities.
        resolution: f64,
    },
}

/// Parameters of [`leiden`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeidenParams {
    /// Quality function and resolution. Resolutions should be finite and ≥ 0; a non-finite
    /// resolution yields all singletons.
    pub quality: Quality,
    /// Seed of the `ChaCha8Rng` that drives node orders and refinement choices.
    pub seed: u64,
    /// Maximum number of full Leiden passes; stops earlier once a pass changes nothing. 0 means
    /// "until stable" (with a safety cap of 1 000 passes).
    pub max_iterations: usize,
    /// Refinement randomness θ > 0 (paper default 0.01; in units of edge weight). θ ≤ 0 or
    /// non-finite makes the refinement greedy (best non-negative merge).
    pub randomness: f64,
}

impl Default for LeidenParams {
    /// Modularity with γ = 1, seed 0, at most 10 passes, θ = 0.01.
    fn default() -> Self {
        Self {
            quality: Quality::Modularity { resolution: 1.0 },
            seed: 0,
            max_iterations: 10,
            randomness: 0.01,
        }
    }
}

/// Run Leiden; returns the community of each node, labelled `0..k` in order of each community's
/// smallest node id. Isolated nodes stay singletons; an empty graph gives an empty vector.
pub fn leiden(graph: &UndirectedGraph, params: &LeidenParams) -> Vec<u32> {
    let n = graph.n_nodes();
    let singletons: Vec<u32> = (0..n as u32).collect();
    let m = graph.total_weight();
    if n == 0 || !m.is_finite() || m <= 0.0 {
        return singletons;
    }
    let (node_w, r) = match params.quality {
        Quality::Modularity { resolution } => (
            (0..n as u32).map(|v| graph.degree(v)).collect::<Vec<_>>(),
            resolution / (2.0 * m),
        ),
        Quality::Cpm { resolution } => (graph.node_weights.clone(), resolution),
    };
    if !r.is_finite() {
        return singletons;
    }
    let level0 = View {
        offsets: &graph.offsets,
        nbrs: &graph.neighbors,
        wts: &graph.weights,
        node_w: &node_w,
    };
    let theta = params.randomness;
    let mut rng = crate::rng::stream(params.seed);
    let mut scratch = Scratch::new(n);
    let passes = if params.max_iterations == 0 {
        UNTIL_STABLE_CAP
    } else {
        params.max_iterations
    };
    let mut membership = singletons;
    for _ in 0..passes {
        let mut next = leiden_pass(level0, &membership, r, theta, &mut rng, &mut scratch);
        split_disconnected(level0, &mut next);
        if next == membership {
            break;
        }
        membership = next;
    }
    membership
}

/// The value of `quality` for `membership` (see the module docs: normalised modularity with
/// resolution, or `2H` for CPM, both matching leidenalg). NaN if the length differs from the node count.
pub fn quality(graph: &UndirectedGraph, membership: &[u32], quality: &Quality) -> f64 {
    let n = graph.n_nodes();
    if membership.len() != n {
        return f64::NAN;
    }
    let mut ids: HashMap<u32, usize> = HashMap::new();
    let labels: Vec<usize> = membership
        .iter()
        .map(|&c| {
            let next = ids.len();
            *ids.entry(c).or_insert(next)
        })
        .collect();
    let k = ids.len();
    let mut internal = vec![0.0; k];
    let mut total = vec![0.0; k];
    for v in 0..n {
        let c = labels[v];
        for (u, w) in graph.neighbors(v as u32) {
            if (u as usize) > v && labels[u as usize] == c {
                internal[c] += w;
            }
        }
    }
    match *quality {
        Quality::Modularity { resolution } => {
            let m = graph.total_weight();
            if !m.is_finite() || m <= 0.0 {
                return 0.0;
            }
            for (v, &c) in labels.iter().enumerate() {
                total[c] += graph.degree(v as u32);
            }
            internal
                .iter()
                .zip(&total)
                .map(|(e, kc)| e / m - resolution * (kc / (2.0 * m)).powi(2))
                .sum()
        }
        Quality::Cpm { resolution } => {
            for (v, &c) in labels.iter().enumerate() {
                total[c] += graph.node_weights[v];
            }
            internal
                .iter()
                .zip(&total)
                .map(|(e, nc)| 2.0 * e - resolution * nc * (nc - 1.0))
                .sum()
        }
    }
}

/// Standard normalised modularity `Q = Σ_c [e_c/m − (K_c/2m)²]` in `[-0.5, 1]` (0 for a graph
/// without edges), equal to igraph's `modularity` and leidenalg's `ModularityVertexPartition.quality()`.
pub fn modularity(graph: &UndirectedGraph, membership: &[u32]) -> f64 {
    quality(graph, membership, &Quality::Modularity { resolution: 1.0 })
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

/// Borrowed CSR view of one level: adjacency without self-loops and node weights `w`.
#[derive(Clone, Copy)]
struct View<'a> {
    offsets: &'a [usize],
    nbrs: &'a [u32],
    wts: &'a [f64],
    node_w: &'a [f64],
}

impl<'a> View<'a> {
    fn n(&self) -> usize {
        self.node_w.len()
    }

    fn adj(&self, v: usize) -> impl Iterator<Item = (usize, f64)> + 'a {
        let (s, e) = (self.offsets[v], self.offsets[v + 1]);
        self.nbrs[s..e]
            .iter()
            .map(|&u| u as usize)
            .zip(self.wts[s..e].iter().copied())
    }
}

/// An aggregated level owning its arrays.
struct Level {
    offsets: Vec<usize>,
    nbrs: Vec<u32>,
    wts: Vec<f64>,
    node_w: Vec<f64>,
}

impl Level {
    fn view(&self) -> View<'_> {
        View {
            offsets: &self.offsets,
            nbrs: &self.nbrs,
            wts: &self.wts,
            node_w: &self.node_w,
        }
    }
}

/// Dense per-community accumulators, reset after each use through the touched list.
struct Scratch {
    acc: Vec<f64>,
    mark: Vec<bool>,
    touched: Vec<usize>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            acc: vec![0.0; n],
            mark: vec![false; n],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, c: usize, w: f64) {
        if !self.mark[c] {
            self.mark[c] = true;
            self.acc[c] = 0.0;
            self.touched.push(c);
        }
        self.acc[c] += w;
    }

    fn get(&self, c: usize) -> f64 {
        if self.mark[c] { self.acc[c] } else { 0.0 }
    }

    fn clear(&mut self) {
        for &c in &self.touched {
            self.mark[c] = false;
        }
        self.touched.clear();
    }
}

/// One Leiden pass (all levels) starting from `initial` on level 0; returns a level-0 membership.
fn leiden_pass(
    level0: View<'_>,
    initial: &[u32],
    r: f64,
    theta: f64,
    rng: &mut ChaCha8Rng,
    scratch: &mut Scratch,
) -> Vec<u32> {
    let mut to_level: Vec<u32> = (0..level0.n() as u32).collect();
    let mut part = initial.to_vec();
    let mut owned: Option<Level> = None;
    loop {
        let g = owned.as_ref().map_or(level0, Level::view);
        let n = g.n();
        let k = move_nodes_fast(g, &mut part, r, rng, scratch);
        if k == n {
            break;
        }
        let (refined, kr) = refine(g, &part, k, r, theta, rng, scratch);
        let (agg, ka, next_part) = if kr < n {
            let mut next_part = vec![0u32; kr];
            for (v, &c) in refined.iter().enumerate() {
                next_part[c as usize] = part[v];
            }
            (refined, kr, next_part)
        } else {
            // The refinement merged nothing: aggregate by the unrefined partition instead.
            (part.clone(), k, (0..k as u32).collect())
        };
        let level = aggregate(g, &agg, ka);
        for x in &mut to_level {
            *x = agg[*x as usize];
        }
        part = next_part;
        owned = Some(level);
    }
    to_level.iter().map(|&x| part[x as usize]).collect()
}

/// Fisher–Yates permutation of `0..n`.
fn random_order(n: usize, rng: &mut ChaCha8Rng) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    order
}

/// Relabel `labels` (each `< labels.len()`) to `0..k` by first occurrence; returns `k`.
fn relabel(labels: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; labels.len()];
    let mut k = 0u32;
    for c in labels.iter_mut() {
        let slot = &mut map[*c as usize];
        if *slot == u32::MAX {
            *slot = k;
            k += 1;
        }
        *c = *slot;
    }
    k as usize
}

/// Fast local moving (queue-based). `part` holds labels `< n` on entry and `0..k` on exit.
fn move_nodes_fast(g: View<'_>, part: &mut [u32], r: f64, rng: &mut ChaCha8Rng, s: &mut Scratch) -> usize {
    let n = g.n();
    let mut cw = vec![0.0f64; n];
    let mut cnt = vec![0u32; n];
    for (v, &c) in part.iter().enumerate() {
        cw[c as usize] += g.node_w[v];
        cnt[c as usize] += 1;
    }
    let mut empty: Vec<usize> = (0..n).rev().filter(|&c| cnt[c] == 0).collect();
    let mut queue: VecDeque<u32> = random_order(n, rng).into();
    let mut in_queue = vec![true; n];
    while let Some(v) = queue.pop_front() {
        let v = v as usize;
        in_queue[v] = false;
        let a = part[v] as usize;
        let wv = g.node_w[v];
        cw[a] -= wv;
        cnt[a] -= 1;
        if cnt[a] == 0 {
            cw[a] = 0.0; // drop accumulated rounding of an emptied community
            empty.push(a);
        }
        let mut kv = 0.0;
        for (u, w) in g.adj(v) {
            s.add(part[u] as usize, w);
            kv += w;
        }
        let cur = s.get(a) - r * wv * cw[a];
        let (mut best, mut best_gain) = (a, cur);
        for &c in &s.touched {
            let gain = s.acc[c] - r * wv * cw[c];
            if gain > best_gain {
                best = c;
                best_gain = gain;
            }
        }
        if let Some(&e) = empty.last()
            && 0.0 > best_gain
        {
            best = e;
            best_gain = 0.0;
        }
        s.clear();
        let tol = RELATIVE_TOLERANCE * (kv + (r * wv * (wv + cw[a])).abs());
        let improves = best_gain - cur > tol;
        if best != a && !improves {
            best = a;
        }
        if cnt[best] == 0 {
            // Only the most recently emptied community can be chosen while empty.
            empty.pop();
        }
        cw[best] += wv;
        cnt[best] += 1;
        if best != a {
            part[v] = best as u32;
            for (u, _) in g.adj(v) {
                if !in_queue[u] && part[u] as usize != best {
                    in_queue[u] = true;
                    queue.push_back(u as u32);
                }
            }
        }
    }
    relabel(part)
}

/// Refinement of the partition `part` (labels `0..k`): returns refined labels `0..kr` and `kr`.
fn refine(
    g: View<'_>,
    part: &[u32],
    k: usize,
    r: f64,
    theta: f64,
    rng: &mut ChaCha8Rng,
    s: &mut Scratch,
) -> (Vec<u32>, usize) {
    let n = g.n();
    let mut comm_w = vec![0.0f64; k];
    for (v, &c) in part.iter().enumerate() {
        comm_w[c as usize] += g.node_w[v];
    }
    let mut refined: Vec<u32> = (0..n as u32).collect();
    // Weight and edge weight to the rest of its community, of every refined cluster (by id).
    let mut rw = g.node_w.to_vec();
    let mut ext: Vec<f64> = (0..n)
        .map(|v| {
            g.adj(v)
                .filter(|&(u, _)| part[u] == part[v])
                .map(|(_, w)| w)
                .sum()
        })
        .collect();
    let mut non_singleton = vec![false; n];
    let mut cands: Vec<(usize, f64)> = Vec::new();
    for v in random_order(n, rng) {
        let v = v as usize;
        let c = part[v];
        let (wv, wc) = (g.node_w[v], comm_w[c as usize]);
        if non_singleton[v] || ext[v] < r * wv * (wc - wv) {
            continue;
        }
        let ext_v = ext[v]; // weight from v to the rest of its community
        rw[v] = 0.0;
        ext[v] = 0.0;
        for (u, w) in g.adj(v) {
            if part[u] == c {
                s.add(refined[u] as usize, w);
            }
        }
        cands.clear();
        cands.push((v, 0.0)); // staying alone
        let mut max_gain = 0.0f64;
        for &l in &s.touched {
            if ext[l] >= r * rw[l] * (wc - rw[l]) {
                let gain = s.acc[l] - r * wv * rw[l];
                if gain >= 0.0 {
                    cands.push((l, gain));
                    max_gain = max_gain.max(gain);
                }
            }
        }
        let chosen = choose(&mut cands, v, max_gain, theta, rng);
        // Edges from v into `chosen` become internal, v's other community edges external.
        ext[chosen] += ext_v - 2.0 * s.get(chosen);
        rw[chosen] += wv;
        s.clear();
        if chosen != v {
            refined[v] = chosen as u32;
            non_singleton[chosen] = true;
        }
    }
    let kr = relabel(&mut refined);
    (refined, kr)
}

/// The cluster a node joins in refinement, among `cands` (cluster, gain ≥ 0; the first is the
/// node `v` alone): drawn with probability ∝ exp((gain − max_gain)/θ), or the best gain when
/// θ is not positive (greedy). One random number is drawn only when there is a choice.
fn choose(cands: &mut [(usize, f64)], v: usize, max_gain: f64, theta: f64, rng: &mut ChaCha8Rng) -> usize {
    if cands.len() == 1 {
        v
    } else if theta.is_finite() && theta > 0.0 {
        let mut total = 0.0;
        for cand in cands.iter_mut() {
            total += ((cand.1 - max_gain) / theta).exp();
            cand.1 = total;
        }
        let x = total * rng.random::<f64>();
        cands
            .iter()
            .find(|&&(_, cum)| cum > x)
            .map_or(cands[cands.len() - 1].0, |&(l, _)| l)
    } else {
        cands
            .iter()
            .fold(
                (v, 0.0),
                |best, &(l, gain)| if gain > best.1 { (l, gain) } else { best },
            )
            .0
    }
}

/// Aggregate `g` by `labels` (`0..k`): one node per label, edge weights summed, self-loops dropped.
fn aggregate(g: View<'_>, labels: &[u32], k: usize) -> Level {
    let n = g.n();
    let mut start = vec![0usize; k + 1];
    for &c in labels {
        start[c as usize + 1] += 1;
    }
    for i in 0..k {
        start[i + 1] += start[i];
    }
    let mut fill = start[..k].to_vec();
    let mut members = vec![0u32; n];
    let mut node_w = vec![0.0f64; k];
    for (v, &c) in labels.iter().enumerate() {
        members[fill[c as usize]] = v as u32;
        fill[c as usize] += 1;
        node_w[c as usize] += g.node_w[v];
    }
    let mut offsets = Vec::with_capacity(k + 1);
    offsets.push(0);
    let mut nbrs = Vec::new();
    let mut wts = Vec::new();
    let mut acc = vec![0.0f64; k];
    let mut seen = vec![u32::MAX; k];
    let mut touched: Vec<u32> = Vec::new();
    for c in 0..k {
        for &v in &members[start[c]..start[c + 1]] {
            for (u, w) in g.adj(v as usize) {
                let d = labels[u];
                if d as usize == c {
                    continue;
                }
                if seen[d as usize] != c as u32 {
                    seen[d as usize] = c as u32;
                    acc[d as usize] = 0.0;
                    touched.push(d);
                }
                acc[d as usize] += w;
            }
        }
        touched.sort_unstable();
        for &d in &touched {
            nbrs.push(d);
            wts.push(acc[d as usize]);
        }
        touched.clear();
        offsets.push(nbrs.len());
    }
    Level {
        offsets,
        nbrs,
        wts,
        node_w,
    }
}

/// Split every community of `membership` (level-0 labels) into connected components and relabel
/// by smallest node id. Isolated nodes become singletons.
fn split_disconnected(g: View<'_>, membership: &mut [u32]) {
    let n = g.n();
    let mut comp = vec![u32::MAX; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut k = 0u32;
    for root in 0..n {
        if comp[root] != u32::MAX {
            continue;
        }
        comp[root] = k;
        stack.push(root);
        while let Some(v) = stack.pop() {
            for (u, _) in g.adj(v) {
                if comp[u] == u32::MAX && membership[u] == membership[root] {
                    comp[u] = k;
                    stack.push(u);
                }
            }
        }
        k += 1;
    }
    membership.copy_from_slice(&comp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clique_edges(nodes: &[u32], w: f64, out: &mut Vec<(u32, u32, f64)>) {
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                out.push((a, b, w));
            }
        }
    }

    fn modularity_params(seed: u64) -> LeidenParams {
        LeidenParams {
            seed,
            ..LeidenParams::default()
        }
    }

    fn cpm_params(resolution: f64, seed: u64) -> LeidenParams {
        LeidenParams {
            quality: Quality::Cpm { resolution },
            seed,
            ..LeidenParams::default()
        }
    }

    /// Two triangles {0,1,2} and {3,4,5} joined by the edge 2–3.
    fn two_triangles() -> UndirectedGraph {
        UndirectedGraph::from_edges(
            6,
            &[
                (0, 1, 1.0),
                (1, 2, 1.0),
                (0, 2, 1.0),
                (3, 4, 1.0),
                (4, 5, 1.0),
                (3, 5, 1.0),
                (2, 3, 1.0),
            ],
        )
    }

    fn is_connected_partition(g: &UndirectedGraph, membership: &[u32]) -> bool {
        let n = g.n_nodes();
        let k = membership.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
        let mut size = vec![0usize; k];
        for &c in membership {
            size[c as usize] += 1;
        }
        let mut seen = vec![false; n];
        let mut done = vec![false; k];
        for root in 0..n {
            let c = membership[root];
            if done[c as usize] {
                continue;
            }
            done[c as usize] = true;
            let mut stack = vec![root];
            seen[root] = true;
            let mut reached = 0;
            while let Some(v) = stack.pop() {
                reached += 1;
                for (u, _) in g.neighbors(v as u32) {
                    if !seen[u as usize] && membership[u as usize] == c {
                        seen[u as usize] = true;
                        stack.push(u as usize);
                    }
                }
            }
            if reached != size[c as usize] {
                return false;
            }
        }
        true
    }

    /// Normalised mutual information (arithmetic-mean normalisation).
    fn nmi(a: &[u32], b: &[u32]) -> f64 {
        let n = a.len() as f64;
        let mut joint: HashMap<(u32, u32), f64> = HashMap::new();
        let mut pa: HashMap<u32, f64> = HashMap::new();
        let mut pb: HashMap<u32, f64> = HashMap::new();
        for (&x, &y) in a.iter().zip(b) {
            *joint.entry((x, y)).or_default() += 1.0;
            *pa.entry(x).or_default() += 1.0;
            *pb.entry(y).or_default() += 1.0;
        }
        let h = |p: &HashMap<u32, f64>| -p.values().map(|&c| c / n * (c / n).ln()).sum::<f64>();
        let mi: f64 = joint
            .iter()
            .map(|(&(x, y), &c)| c / n * ((c / n) / (pa[&x] / n * pb[&y] / n)).ln())
            .sum();
        let (ha, hb) = (h(&pa), h(&pb));
        if ha + hb == 0.0 { 1.0 } else { 2.0 * mi / (ha + hb) }
    }

    fn planted(
        blocks: usize,
        size: usize,
        p_in: f64,
        p_out: f64,
        weighted: bool,
        seed: u64,
    ) -> (UndirectedGraph, Vec<u32>) {
        let mut rng = crate::rng::stream(seed);
        let n = blocks * size;
        let truth: Vec<u32> = (0..n).map(|v| (v / size) as u32).collect();
        let mut edges = Vec::new();
        for u in 0..n {
            for v in u + 1..n {
                let p = if truth[u] == truth[v] { p_in } else { p_out };
                if rng.random::<f64>() < p {
                    let w = if weighted {
                        rng.random_range(1..=5) as f64
                    } else {
                        1.0
                    };
                    edges.push((u as u32, v as u32, w));
                }
            }
        }
        (UndirectedGraph::from_edges(n, &edges), truth)
    }

    #[test]
    fn csr_construction_merges_duplicates_and_drops_invalid_edges() {
        let g = UndirectedGraph::from_edges(
            4,
            &[
                (0, 1, 1.0),
                (1, 0, 2.0),
                (2, 2, 1.0),
                (0, 9, 1.0),
                (1, 2, f64::NAN),
                (2, 3, -1.0),
                (2, 3, 0.0),
                (1, 3, 0.5),
            ],
        );
        assert_eq!(g.n_nodes(), 4);
        assert_eq!(g.n_edges(), 2);
        assert_eq!(g.total_weight(), 3.5);
        assert_eq!(g.neighbors(1).collect::<Vec<_>>(), vec![(0, 3.0), (3, 0.5)]);
        assert_eq!(g.neighbors(0).collect::<Vec<_>>(), vec![(1, 3.0)]);
        assert_eq!(g.neighbors(2).count(), 0);
        assert_eq!(g.neighbors(99).count(), 0);
        assert_eq!(g.degree(1), 3.5);
        assert_eq!(
            UndirectedGraph::try_from_edges(2, &[(0, 2, 1.0)]),
            Err(GraphError::NodeOutOfRange { node: 2, n: 2 })
        );
        assert_eq!(
            UndirectedGraph::try_from_edges(2, &[(1, 1, 1.0)]),
            Err(GraphError::SelfLoop(1))
        );
        assert!(matches!(
            UndirectedGraph::try_from_edges(2, &[(0, 1, f64::INFINITY)]),
            Err(GraphError::InvalidWeight { .. })
        ));
        assert_eq!(
            UndirectedGraph::try_from_edges(2, &[(0, 1, 0.0)])
                .unwrap()
                .n_edges(),
            0
        );
        assert!(g.clone().with_node_weights(vec![1.0; 3]).is_err());
        assert!(g.clone().with_node_weights(vec![1.0, -1.0, 1.0, 1.0]).is_err());
    }

    #[test]
    fn two_triangles_modularity_is_five_fourteenths() {
        let g = two_triangles();
        let m = [0, 0, 0, 1, 1, 1];
        assert!((modularity(&g, &m) - 5.0 / 14.0).abs() < 1e-12);
        // γ = 0.5: 2·(3/7 − 0.5·(7/14)²) = 17/28; leidenalg RBConfiguration reports 2m·Q = 8.5.
        let q = quality(&g, &m, &Quality::Modularity { resolution: 0.5 });
        assert!((q - 17.0 / 28.0).abs() < 1e-12);
        assert!((q * 2.0 * g.total_weight() - 8.5).abs() < 1e-12);
        // Labels are arbitrary: any relabelling gives the same value.
        assert!((modularity(&g, &[7, 7, 7, 3, 3, 3]) - 5.0 / 14.0).abs() < 1e-12);
        // Singletons: −Σ k²/(2m)² = −(4+4+9+9+4+4)/196.
        assert!((modularity(&g, &[0, 1, 2, 3, 4, 5]) + 34.0 / 196.0).abs() < 1e-12);
        assert!(modularity(&g, &[0, 0, 0, 0, 0, 0]).abs() < 1e-12);
        assert!(quality(&g, &[0, 0], &Quality::Cpm { resolution: 1.0 }).is_nan());
        assert_eq!(modularity(&UndirectedGraph::from_edges(3, &[]), &[0, 1, 2]), 0.0);
    }

    #[test]
    fn weighted_quality_values_match_hand_computation_and_leidenalg() {
        let g = UndirectedGraph::from_edges(
            6,
            &[
                (0, 1, 1.0),
                (1, 2, 2.0),
                (0, 2, 3.0),
                (3, 4, 1.0),
                (4, 5, 1.0),
                (3, 5, 1.0),
                (2, 3, 4.0),
            ],
        );
        let m = [0, 0, 0, 1, 1, 1];
        // m = 13, e = (6, 3), K = (16, 10): Q = 9/13 − (256 + 100)/676 = 112/676 (leidenalg 0.16568047337278102).
        assert!((modularity(&g, &m) - 112.0 / 676.0).abs() < 1e-12);
        let cpm = Quality::Cpm { resolution: 0.5 };
        // 2·[(6 − 0.5·3) + (3 − 0.5·3)] = 12 (leidenalg CPMVertexPartition.quality() = 12.0).
        assert!((quality(&g, &m, &cpm) - 12.0).abs() < 1e-12);
        // One community: 2·(13 − 0.5·15) = 11; singletons: 0 (leidenalg: 11.0 and 0.0).
        assert!((quality(&g, &[0; 6], &cpm) - 11.0).abs() < 1e-12);
        assert_eq!(quality(&g, &[0, 1, 2, 3, 4, 5], &cpm), 0.0);
        // Unweighted two triangles: 2·2·(3 − 0.5·3) = 6 (leidenalg 6.0).
        assert!((quality(&two_triangles(), &m, &cpm) - 6.0).abs() < 1e-12);
        // Node weights: community {0,1} of size 2 + 1 = 3, no edges: −0.5·3·2 = −3 (leidenalg −3.0).
        let h = UndirectedGraph::from_edges(3, &[])
            .with_node_weights(vec![2.0, 1.0, 1.0])
            .unwrap();
        assert!((quality(&h, &[0, 0, 1], &cpm) + 3.0).abs() < 1e-12);
    }

    #[test]
    fn two_cliques_joined_by_one_edge_give_the_two_cliques() {
        let mut edges = Vec::new();
        clique_edges(&[0, 1, 2, 3, 4], 1.0, &mut edges);
        clique_edges(&[5, 6, 7, 8, 9], 1.0, &mut edges);
        edges.push((4, 5, 1.0));
        let g = UndirectedGraph::from_edges(10, &edges);
        let expected = vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        for seed in 0..5 {
            assert_eq!(leiden(&g, &modularity_params(seed)), expected);
            assert_eq!(leiden(&g, &cpm_params(0.5, seed)), expected);
        }
        assert_eq!(
            leiden(&two_triangles(), &modularity_params(0)),
            vec![0, 0, 0, 1, 1, 1]
        );
    }

    #[test]
    fn ring_of_cliques_gives_the_cliques() {
        let (cliques, size) = (10u32, 5u32);
        let mut edges = Vec::new();
        for c in 0..cliques {
            let nodes: Vec<u32> = (c * size..(c + 1) * size).collect();
            clique_edges(&nodes, 1.0, &mut edges);
            edges.push(((c + 1) * size - 1, ((c + 1) % cliques) * size, 1.0));
        }
        let g = UndirectedGraph::from_edges((cliques * size) as usize, &edges);
        let expected: Vec<u32> = (0..cliques * size).map(|v| v / size).collect();
        for seed in 0..5 {
            assert_eq!(leiden(&g, &modularity_params(seed)), expected);
            // Merging two cliques gains 1 edge and costs γ·25 node pairs: cliques win for γ > 0.04.
            assert_eq!(leiden(&g, &cpm_params(0.1, seed)), expected);
        }
        // Below the inter-clique density, neighbouring cliques merge under CPM.
        let merged = leiden(&g, &cpm_params(0.01, 0));
        assert!(merged.iter().max().unwrap() + 1 < cliques);
        assert!(is_connected_partition(&g, &merged));
    }

    #[test]
    fn planted_partition_is_recovered() {
        let (g, truth) = planted(20, 20, 0.5, 0.01, false, 7);
        let found = leiden(&g, &modularity_params(1));
        assert!(nmi(&found, &truth) > 0.95, "NMI {}", nmi(&found, &truth));
        assert_eq!(found, truth);
        let found = leiden(&g, &cpm_params(0.1, 1));
        assert_eq!(found, truth);
        let (g, truth) = planted(20, 20, 0.5, 0.01, true, 8);
        assert_eq!(leiden(&g, &modularity_params(2)), truth);
    }

    #[test]
    fn refinement_splits_a_disconnected_community_into_connected_pieces() {
        // Community 0 = two disjoint triangles plus an isolated node; community 1 = a path 7–8–9.
        let g = UndirectedGraph::from_edges(
            10,
            &[
                (0, 1, 1.0),
                (1, 2, 1.0),
                (0, 2, 1.0),
                (3, 4, 1.0),
                (4, 5, 1.0),
                (3, 5, 1.0),
                (7, 8, 1.0),
                (8, 9, 1.0),
            ],
        );
        let part = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
        let node_w = vec![1.0; 10];
        let view = View {
            offsets: &g.offsets,
            nbrs: &g.neighbors,
            wts: &g.weights,
            node_w: &node_w,
        };
        for (seed, theta) in [(0, 0.01), (1, 0.01), (2, 0.0), (3, 10.0)] {
            let mut rng = crate::rng::stream(seed);
            let (refined, kr) = refine(view, &part, 2, 0.1, theta, &mut rng, &mut Scratch::new(10));
            assert_eq!(kr, *refined.iter().max().unwrap() as usize + 1);
            // Refined clusters never straddle communities and are connected.
            for v in 0..10 {
                for u in 0..10 {
                    if refined[u] == refined[v] {
                        assert_eq!(part[u], part[v]);
                    }
                }
            }
            assert!(is_connected_partition(&g, &refined));
            assert_ne!(refined[0], refined[3]);
            assert_eq!(refined.iter().filter(|&&c| c == refined[6]).count(), 1);
        }
        // Greedy refinement (θ = 0) with γ = 0.1 merges each triangle and the path completely.
        let mut rng = crate::rng::stream(0);
        let (mut refined, _) = refine(view, &part, 2, 0.1, 0.0, &mut rng, &mut Scratch::new(10));
        relabel(&mut refined);
        assert_eq!(refined, vec![0, 0, 0, 1, 1, 1, 2, 3, 3, 3]);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let empty = UndirectedGraph::from_edges(0, &[]);
        assert!(leiden(&empty, &LeidenParams::default()).is_empty());
        assert!(leiden(&UndirectedGraph::default(), &LeidenParams::default()).is_empty());
        let isolated = UndirectedGraph::from_edges(4, &[]);
        assert_eq!(leiden(&isolated, &LeidenParams::default()), vec![0, 1, 2, 3]);
        assert_eq!(leiden(&isolated, &cpm_params(0.0, 0)), vec![0, 1, 2, 3]);
        // Isolated nodes 3 and 5 stay singletons next to a triangle.
        let g = UndirectedGraph::from_edges(6, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (4, 0, 1.0)]);
        for params in [
            modularity_params(0),
            cpm_params(0.0, 0),
            cpm_params(0.2, 3),
            cpm_params(-1.0, 0),
        ] {
            let m = leiden(&g, &params);
            assert_eq!(m.iter().filter(|&&c| c == m[3]).count(), 1);
            assert_eq!(m.iter().filter(|&&c| c == m[5]).count(), 1);
            assert!(is_connected_partition(&g, &m));
        }
        for resolution in [f64::NAN, f64::INFINITY] {
            assert_eq!(leiden(&g, &cpm_params(resolution, 0)), vec![0, 1, 2, 3, 4, 5]);
            let p = LeidenParams {
                quality: Quality::Modularity { resolution },
                ..LeidenParams::default()
            };
            assert_eq!(leiden(&g, &p), vec![0, 1, 2, 3, 4, 5]);
        }
        for randomness in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e6] {
            let p = LeidenParams {
                randomness,
                ..LeidenParams::default()
            };
            assert!(is_connected_partition(&g, &leiden(&g, &p)));
        }
        let p = LeidenParams {
            max_iterations: 0,
            ..LeidenParams::default()
        };
        assert_eq!(leiden(&two_triangles(), &p), vec![0, 0, 0, 1, 1, 1]);
        let huge = UndirectedGraph::from_edges(3, &[(0, 1, f64::MAX), (1, 0, f64::MAX), (1, 2, f64::MAX)]);
        let _ = leiden(&huge, &LeidenParams::default());
        let _ = leiden(&huge, &cpm_params(1.0, 0));
    }

    fn arb_graph() -> impl Strategy<Value = UndirectedGraph> {
        (1usize..40).prop_flat_map(|n| {
            prop::collection::vec((0..n as u32, 0..n as u32, 0.1f64..5.0), 0..(3 * n))
                .prop_map(move |edges| UndirectedGraph::from_edges(n, &edges))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn leiden_passes_keep_communities_connected_without_the_final_split(
            g in arb_graph(),
            seed in 0u64..1_000,
            res in 0.0f64..2.0,
            cpm in any::<bool>(),
        ) {
            // The guarantee comes from the refinement itself, not from `split_disconnected`.
            let n = g.n_nodes();
            if g.total_weight() <= 0.0 {
                return Ok(());
            }
            let (node_w, r): (Vec<f64>, f64) = if cpm { (vec![1.0; n], res) } else {
                ((0..n as u32).map(|v| g.degree(v)).collect(), 1.0 / (2.0 * g.total_weight()))
            };
            let view = View { offsets: &g.offsets, nbrs: &g.neighbors, wts: &g.weights, node_w: &node_w };
            let mut rng = crate::rng::stream(seed);
            let mut s = Scratch::new(n);
            let mut memb: Vec<u32> = (0..n as u32).collect();
            for _ in 0..5 {
                memb = leiden_pass(view, &memb, r, 0.01, &mut rng, &mut s);
                prop_assert!(is_connected_partition(&g, &memb), "{:?}", memb);
                prop_assert!(memb.iter().all(|&c| (c as usize) < n));
            }
        }

        #[test]
        fn communities_are_connected_deterministic_and_not_worse_than_trivial(
            g in arb_graph(),
            seed in 0u64..1_000,
            cpm_resolution in 0.0f64..2.0,
        ) {
            let n = g.n_nodes();
            let singletons: Vec<u32> = (0..n as u32).collect();
            let one = vec![0u32; n];
            for params in [modularity_params(seed), cpm_params(cpm_resolution, seed)] {
                let m = leiden(&g, &params);
                prop_assert_eq!(m.len(), n);
                prop_assert!(is_connected_partition(&g, &m));
                prop_assert_eq!(&m, &leiden(&g, &params));
                // Labels are 0..k in order of smallest node id.
                let mut next = 0;
                for &c in &m {
                    prop_assert!(c <= next);
                    if c == next { next += 1; }
                }
                let q = quality(&g, &m, &params.quality);
                prop_assert!(q >= quality(&g, &singletons, &params.quality) - 1e-9);
                prop_assert!(q >= quality(&g, &one, &params.quality) - 1e-9);
            }
        }
    }
}
