//! FRAUDAR: camouflage-resistant dense blocks in the account × post graph.
//!
//! Hooi, B., Song, H. A., Beutel, A., Shah, N., Shin, K. & Faloutsos, C. (2016). *FRAUDAR:
//! Bounding Graph Fraud in the Face of Camouflage.* KDD 2016, 895–904.
//! doi:10.1145/2939672.2939747
//!
//! On the bipartite graph of accounts and posts, FRAUDAR looks for the node set S (accounts
//! and posts together) maximising the average suspiciousness
//!
//! > g(S) = f(S) / |S|,  f(S) = Σ_{v ∈ S} prior(v) + Σ_{(a, p) ∈ E, a, p ∈ S} w(p),
//!
//! with each like on post p weighted w(p) = 1 / ln(d_p + c), d_p the post's likes and c = 5 as
//! in the reference code (`logWeightedAveDegree` in Hooi's `greedy.py`). Popular posts weigh
//! little, so the likes a farm spreads over popular posts to look normal ("camouflage") barely
//! change g of the farm's block: the paper proves the block found has at least half the optimal
//! g whatever camouflage is added.
//!
//! **Greedy peeling** (the reference `fastGreedyDecreasing`): start with every node; each node's
//! *marginal cost* is the suspiciousness it would take with it (its prior plus the weights of its
//! remaining likes); repeatedly remove the node of smallest cost — ties go to accounts before
//! posts, then to the smaller id, exactly as the reference's two `MinTree`s compare — update its
//! neighbours' costs, and keep the prefix of removals after which g was largest (the first one
//! on ties). A tournament tree over all nodes makes each step O(log V), so one pass is
//! O(E log V) time and O(E + V) memory.
//!
//! **Several blocks** (the reference `detectMultiple`): after a block is found its internal likes
//! are removed, the weights are recomputed on the remaining likes, and peeling starts again.
//!
//! Memory: the two adjacency lists of 4 bytes per like each, plus a transient 8 bytes per like
//! while sorting; 10 M likes take about 160 MB at peak.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::graph::LikeGraph;

/// Parameters of [`fraudar`].
#[derive(Debug, Clone, PartialEq)]
pub struct FraudarParams {
    /// Peeling rounds: at most this many blocks are returned.
    pub blocks: usize,
    /// The c in the post weight 1 / ln(d_p + c). Values that are not finite or ≤ 0 are taken as 5
    /// (with c ≤ 0 a post with one like would weigh infinitely).
    pub log_constant: f64,
    /// Blocks with fewer accounts are not returned (their likes are still removed before the
    /// next round).
    pub min_accounts: usize,
    /// Blocks with fewer posts are not returned (their likes are still removed before the next
    /// round).
    pub min_posts: usize,
}

impl Default for FraudarParams {
    fn default() -> Self {
        FraudarParams {
            blocks: 5,
            log_constant: 5.0,
            min_accounts: 1,
            min_posts: 1,
        }
    }
}

/// The dense-block search of detection (in the tree: `detect.dense_blocks`): FRAUDAR on the
/// likes inside late burst-dominated windows of accounts no cluster explains (camouflage likes
/// on popular posts and the reactions to publication stay outside).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DenseBlockParams {
    /// Blocks to look for (`--dense-blocks`; 0 = off: exploratory, on the synthetic presets it
    /// found no group the other detectors missed).
    pub blocks: usize,
    /// The c in the post weight 1 / ln(d_p + c) (Hooi et al.'s choice).
    pub log_constant: f64,
    /// Fewest posts in a block: one post is a single order, not a pattern.
    pub min_posts: usize,
}

impl Default for DenseBlockParams {
    fn default() -> Self {
        DenseBlockParams {
            blocks: 0,
            log_constant: FraudarParams::default().log_constant,
            min_posts: 2,
        }
    }
}

impl DenseBlockParams {
    /// FRAUDAR's parameters, with the smallest block of `min_accounts` accounts.
    pub fn resolve(&self, min_accounts: usize) -> FraudarParams {
        FraudarParams {
            blocks: self.blocks,
            log_constant: self.log_constant,
            min_accounts,
            min_posts: self.min_posts,
        }
    }
}

/// One dense block found by FRAUDAR.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseBlock {
    /// Account ids, ascending.
    pub accounts: Vec<u32>,
    /// Post ids, ascending.
    pub posts: Vec<u32>,
    /// g(S) = f(S) / (accounts + posts), with the post weights of the round that found the block
    /// (the likes of earlier blocks removed), recomputed from scratch over the block.
    pub score: f64,
    /// Likes inside the block (accounts × posts cells that are liked).
    pub likes: usize,
}

impl DenseBlock {
    /// Share of the block's account × post cells that are liked.
    pub fn density(&self) -> f64 {
        let cells = self.accounts.len() as f64 * self.posts.len() as f64;
        if cells > 0.0 {
            self.likes as f64 / cells
        } else {
            0.0
        }
    }
}

/// FRAUDAR on the whole like graph.
pub fn fraudar(graph: &LikeGraph, params: &FraudarParams) -> Vec<DenseBlock> {
    let mut keys: Vec<u64> = Vec::with_capacity(graph.n_likes());
    for p in 0..graph.n_posts() as u32 {
        keys.extend(graph.likers(p).iter().map(|&a| key(a, p)));
    }
    let bip = Bipartite::from_keys(graph.n_accounts(), graph.n_posts(), keys);
    detect_multiple(bip, None, params)
}

/// FRAUDAR on an arbitrary set of (account, post) edges, e.g. the likes of some accounts only.
/// Repeated edges count once; ids at or above `n_accounts` / `n_posts` enlarge the graph.
pub fn fraudar_on(
    n_accounts: usize,
    n_posts: usize,
    edges: &[(u32, u32)],
    params: &FraudarParams,
) -> Vec<DenseBlock> {
    fraudar_with_priors(n_accounts, n_posts, edges, &[], &[], params)
}

/// [`fraudar_on`] with node priors (the paper's node suspiciousness, e.g. from another signal):
/// `account_prior[a]` and `post_prior[p]` are added to f(S) for every node in S. Missing entries
/// and values that are not finite count as 0. Positive priors favour smaller, denser blocks.
pub fn fraudar_with_priors(
    n_accounts: usize,
    n_posts: usize,
    edges: &[(u32, u32)],
    account_prior: &[f64],
    post_prior: &[f64],
    params: &FraudarParams,
) -> Vec<DenseBlock> {
    let na = edges
        .iter()
        .map(|e| e.0 as usize + 1)
        .max()
        .unwrap_or(0)
        .max(n_accounts);
    let np = edges
        .iter()
        .map(|e| e.1 as usize + 1)
        .max()
        .unwrap_or(0)
        .max(n_posts);
    let keys: Vec<u64> = edges.iter().map(|&(a, p)| key(a, p)).collect();
    let bip = Bipartite::from_keys(na, np, keys);
    let clean = |v: &[f64], n: usize| -> Vec<f64> {
        (0..n)
            .map(|i| v.get(i).copied().filter(|x| x.is_finite()).unwrap_or(0.0))
            .collect()
    };
    let priors = (!account_prior.is_empty() || !post_prior.is_empty())
        .then(|| (clean(account_prior, na), clean(post_prior, np)));
    detect_multiple(bip, priors.as_ref(), params)
}

/// g(S) of a given block, computed from scratch with the weights 1 / ln(d_p + c) of the given
/// edge set (no priors). For checking and for scoring blocks found by other means.
pub fn block_score(
    n_accounts: usize,
    n_posts: usize,
    edges: &[(u32, u32)],
    accounts: &[u32],
    posts: &[u32],
    log_constant: f64,
) -> f64 {
    let na = edges
        .iter()
        .map(|e| e.0 as usize + 1)
        .max()
        .unwrap_or(0)
        .max(n_accounts);
    let np = edges
        .iter()
        .map(|e| e.1 as usize + 1)
        .max()
        .unwrap_or(0)
        .max(n_posts);
    let bip = Bipartite::from_keys(na, np, edges.iter().map(|&(a, p)| key(a, p)).collect());
    let w = bip.weights(sanitize_constant(log_constant));
    let mut in_a = vec![false; na];
    let mut in_p = vec![false; np];
    accounts
        .iter()
        .filter(|&&a| (a as usize) < na)
        .for_each(|&a| in_a[a as usize] = true);
    posts
        .iter()
        .filter(|&&p| (p as usize) < np)
        .for_each(|&p| in_p[p as usize] = true);
    let (f, _) = bip.inside(&in_a, &in_p, &w, None);
    let size = in_a.iter().filter(|&&x| x).count() + in_p.iter().filter(|&&x| x).count();
    if size == 0 { 0.0 } else { f / size as f64 }
}

fn key(a: u32, p: u32) -> u64 {
    ((a as u64) << 32) | p as u64
}

fn sanitize_constant(c: f64) -> f64 {
    if c.is_finite() && c > 0.0 {
        c
    } else {
        FraudarParams::default().log_constant
    }
}

/// The bipartite graph as adjacency lists both ways, each list ascending, no repeated edges.
struct Bipartite {
    na: usize,
    np: usize,
    a_off: Vec<usize>,
    a_adj: Vec<u32>,
    p_off: Vec<usize>,
    p_adj: Vec<u32>,
}

impl Bipartite {
    /// From (account << 32 | post) keys, in any order and with repeats.
    fn from_keys(na: usize, np: usize, mut keys: Vec<u64>) -> Self {
        keys.par_sort_unstable();
        keys.dedup();
        let mut a_off = vec![0usize; na + 1];
        let mut p_off = vec![0usize; np + 1];
        for &k in &keys {
            a_off[(k >> 32) as usize + 1] += 1;
            p_off[(k & 0xFFFF_FFFF) as usize + 1] += 1;
        }
        for i in 0..na {
            a_off[i + 1] += a_off[i];
        }
        for i in 0..np {
            p_off[i + 1] += p_off[i];
        }
        let a_adj: Vec<u32> = keys.iter().map(|&k| (k & 0xFFFF_FFFF) as u32).collect();
        let mut p_adj = vec![0u32; keys.len()];
        let mut cursor = p_off.clone();
        // Keys are sorted by account, so each post's list comes out ascending.
        for &k in &keys {
            let p = (k & 0xFFFF_FFFF) as usize;
            p_adj[cursor[p]] = (k >> 32) as u32;
            cursor[p] += 1;
        }
        Bipartite {
            na,
            np,
            a_off,
            a_adj,
            p_off,
            p_adj,
        }
    }

    fn n_edges(&self) -> usize {
        self.a_adj.len()
    }

    fn posts_of(&self, a: usize) -> &[u32] {
        &self.a_adj[self.a_off[a]..self.a_off[a + 1]]
    }

    fn accounts_of(&self, p: usize) -> &[u32] {
        &self.p_adj[self.p_off[p]..self.p_off[p + 1]]
    }

    /// Post weights 1 / ln(d_p + c).
    fn weights(&self, c: f64) -> Vec<f64> {
        (0..self.np)
            .map(|p| 1.0 / ((self.p_off[p + 1] - self.p_off[p]) as f64 + c).ln())
            .collect()
    }

    /// f(S) and the number of edges inside S.
    fn inside(
        &self,
        in_a: &[bool],
        in_p: &[bool],
        w: &[f64],
        priors: Option<&(Vec<f64>, Vec<f64>)>,
    ) -> (f64, usize) {
        let mut f = 0.0;
        let mut likes = 0usize;
        for a in (0..self.na).filter(|&a| in_a[a]) {
            for &p in self.posts_of(a) {
                if in_p[p as usize] {
                    f += w[p as usize];
                    likes += 1;
                }
            }
        }
        if let Some((pa, pp)) = priors {
            f += (0..self.na).filter(|&a| in_a[a]).map(|a| pa[a]).sum::<f64>();
            f += (0..self.np).filter(|&p| in_p[p]).map(|p| pp[p]).sum::<f64>();
        }
        (f, likes)
    }

    /// The same graph without the edges inside the block.
    fn without(&self, in_a: &[bool], in_p: &[bool]) -> Bipartite {
        let mut keys = Vec::with_capacity(self.n_edges());
        for (a, &inside) in in_a.iter().enumerate() {
            for &p in self.posts_of(a) {
                if !(inside && in_p[p as usize]) {
                    keys.push(key(a as u32, p));
                }
            }
        }
        Bipartite::from_keys(self.na, self.np, keys)
    }
}

/// Repeated peeling with block removal (the reference `detectMultiple`).
fn detect_multiple(
    mut bip: Bipartite,
    priors: Option<&(Vec<f64>, Vec<f64>)>,
    params: &FraudarParams,
) -> Vec<DenseBlock> {
    let c = sanitize_constant(params.log_constant);
    let mut out = Vec::new();
    for round in 0..params.blocks {
        if bip.n_edges() == 0 {
            break;
        }
        let w = bip.weights(c);
        let (in_a, in_p) = peel(&bip, &w, priors);
        let (f, likes) = bip.inside(&in_a, &in_p, &w, priors);
        let accounts: Vec<u32> = (0..bip.na as u32).filter(|&a| in_a[a as usize]).collect();
        let posts: Vec<u32> = (0..bip.np as u32).filter(|&p| in_p[p as usize]).collect();
        if likes == 0 {
            break;
        }
        let size = accounts.len() + posts.len();
        let block = DenseBlock {
            score: f / size as f64,
            accounts,
            posts,
            likes,
        };
        if round + 1 < params.blocks {
            bip = bip.without(&in_a, &in_p);
        }
        if block.accounts.len() >= params.min_accounts && block.posts.len() >= params.min_posts {
            out.push(block);
        }
    }
    out
}

/// One greedy peeling pass; returns the membership of the best prefix.
fn peel(bip: &Bipartite, w: &[f64], priors: Option<&(Vec<f64>, Vec<f64>)>) -> (Vec<bool>, Vec<bool>) {
    let (na, np) = (bip.na, bip.np);
    let mut cost = Vec::with_capacity(na + np);
    for a in 0..na {
        let prior = priors.map_or(0.0, |(pa, _)| pa[a]);
        cost.push(bip.posts_of(a).iter().fold(prior, |s, &p| s + w[p as usize]));
    }
    for p in 0..np {
        let prior = priors.map_or(0.0, |(_, pp)| pp[p]);
        cost.push(bip.accounts_of(p).iter().fold(prior, |s, _| s + w[p]));
    }
    // f of the whole graph, summed as the reference does (all edge weights, then priors).
    let mut f: f64 = (0..na).map(|a| cost[a]).sum::<f64>();
    if let Some((_, pp)) = priors {
        f += pp.iter().sum::<f64>();
    }
    let mut tree = MinTree::new(cost);
    let (mut rows, mut cols) = (na, np);
    let mut order: Vec<u32> = Vec::with_capacity(na + np);
    let mut best = if rows + cols > 0 {
        f / (rows + cols) as f64
    } else {
        0.0
    };
    let mut best_removed = 0usize;
    while rows > 0 && cols > 0 {
        let (v, delta) = tree.min();
        f -= delta;
        tree.set(v, f64::INFINITY);
        if v < na {
            for &p in bip.posts_of(v) {
                tree.add(na + p as usize, -w[p as usize]);
            }
            rows -= 1;
        } else {
            let p = v - na;
            for &a in bip.accounts_of(p) {
                tree.add(a as usize, -w[p]);
            }
            cols -= 1;
        }
        order.push(v as u32);
        let avg = f / (rows + cols) as f64;
        if avg > best {
            best = avg;
            best_removed = order.len();
        }
    }
    let mut in_a = vec![true; na];
    let mut in_p = vec![true; np];
    for &v in &order[..best_removed] {
        let v = v as usize;
        if v < na {
            in_a[v] = false;
        } else {
            in_p[v - na] = false;
        }
    }
    (in_a, in_p)
}

/// A tournament tree over node costs: the smallest (cost, index) in O(1), any change in
/// O(log n). Infinite cost marks a removed node.
struct MinTree {
    size: usize,
    val: Vec<f64>,
    /// `win[i]` for 1 ≤ i < size: the leaf winning the subtree of internal node i.
    win: Vec<u32>,
}

impl MinTree {
    fn new(mut val: Vec<f64>) -> Self {
        let size = val.len().next_power_of_two().max(2);
        val.resize(size, f64::INFINITY);
        let mut tree = MinTree {
            size,
            val,
            win: vec![0; size],
        };
        for i in (1..size).rev() {
            tree.win[i] = tree.better(tree.child(2 * i), tree.child(2 * i + 1));
        }
        tree
    }

    fn child(&self, node: usize) -> u32 {
        if node >= self.size {
            (node - self.size) as u32
        } else {
            self.win[node]
        }
    }

    /// The smaller of two leaves by (value, index).
    fn better(&self, x: u32, y: u32) -> u32 {
        let (vx, vy) = (self.val[x as usize], self.val[y as usize]);
        if vx < vy || (vx == vy && x < y) { x } else { y }
    }

    fn min(&self) -> (usize, f64) {
        let v = self.win[1] as usize;
        (v, self.val[v])
    }

    fn add(&mut self, leaf: usize, delta: f64) {
        if self.val[leaf] != f64::INFINITY {
            self.set(leaf, self.val[leaf] + delta);
        }
    }

    fn set(&mut self, leaf: usize, value: f64) {
        self.val[leaf] = value;
        let mut node = (leaf + self.size) / 2;
        while node >= 1 {
            let w = self.better(self.child(2 * node), self.child(2 * node + 1));
            if w == self.win[node] && w as usize != leaf {
                break;
            }
            self.win[node] = w;
            node /= 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Clock;
    use proptest::prelude::*;

    fn graph(n_accounts: usize, n_posts: usize, edges: &[(u32, u32)]) -> LikeGraph {
        let likes: Vec<(u32, u32, i64)> = edges
            .iter()
            .enumerate()
            .map(|(i, &(a, p))| (a, p, i as i64))
            .collect();
        LikeGraph::for_tests(n_accounts, n_posts, Clock::Timestamps, &likes)
    }

    /// g(S) from the definition: weights from the post degrees of `edges`, summed over the
    /// (deduplicated) edges with both ends in S.
    fn g_brute(edges: &[(u32, u32)], accounts: &[u32], posts: &[u32], c: f64) -> f64 {
        let mut e = edges.to_vec();
        e.sort_unstable();
        e.dedup();
        let deg = |p: u32| e.iter().filter(|x| x.1 == p).count() as f64;
        let f: f64 = e
            .iter()
            .filter(|(a, p)| accounts.contains(a) && posts.contains(p))
            .map(|&(_, p)| 1.0 / (deg(p) + c).ln())
            .sum();
        f / (accounts.len() + posts.len()) as f64
    }

    /// A deterministic pseudo-random stream (the crate's SplitMix64).
    struct Rng(crate::rng::SplitMix64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0.next_u64()
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn chance(&mut self, p: f64) -> bool {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
        }
    }

    /// Background: 300 accounts × 400 posts, each account liking 3 posts drawn with a
    /// popularity bias (post j with weight ∝ 1/(j+1) over posts 20..400), plus a 20 × 20 block
    /// of density `p` on accounts 0..20 × posts 0..20 and camouflage of `camo` kind for the
    /// block's accounts (0 none, 1 random posts, 2 posts ∝ degree), about 20·p posts each.
    fn planted(p: f64, camo: u8, seed: u64) -> Vec<(u32, u32)> {
        let mut rng = Rng(crate::rng::SplitMix64::new(seed));
        let mut edges = Vec::new();
        let popular = |rng: &mut Rng| {
            // Zipf-ish over 20..400: pick the smaller of two uniforms (density ∝ 1 − x).
            let x = rng.below(380).min(rng.below(380));
            20 + x as u32
        };
        for a in 20..300u32 {
            for _ in 0..3 {
                edges.push((a, popular(&mut rng)));
            }
        }
        let degree_list: Vec<u32> = edges.iter().map(|e| e.1).collect();
        for a in 0..20u32 {
            for q in 0..20u32 {
                if rng.chance(p) {
                    edges.push((a, q));
                }
            }
            let k = (20.0 * p) as usize;
            for _ in 0..k {
                match camo {
                    1 => edges.push((a, 20 + rng.below(380) as u32)),
                    2 => edges.push((a, degree_list[rng.below(degree_list.len() as u64) as usize])),
                    _ => {}
                }
            }
        }
        edges
    }

    #[test]
    fn g_by_hand_on_a_tiny_graph() {
        // a0, a1 like p0 and p1; a2 likes p1.  d(p0) = 2, d(p1) = 3, c = 5:
        // w0 = 1/ln 7, w1 = 1/ln 8.  Costs: a0 = a1 = w0 + w1, a2 = w1, p0 = 2 w0, p1 = 3 w1.
        // Whole graph: g = (2 w0 + 3 w1) / 5 = 0.49410.  a2 is cheapest (w1 = 0.48090):
        // g({a0, a1, p0, p1}) = (2 w0 + 2 w1) / 4 = 0.49740, the best prefix; then p1 goes
        // (cost 2 w1 = 0.96179 < w0 + w1) and g drops to 2 w0 / 3 = 0.34260.
        let edges = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 1)];
        let (w0, w1) = (1.0 / 7f64.ln(), 1.0 / 8f64.ln());
        let want = (2.0 * w0 + 2.0 * w1) / 4.0;
        assert!((want - 0.497_40).abs() < 1e-5);
        let blocks = fraudar_on(
            3,
            2,
            &edges,
            &FraudarParams {
                blocks: 1,
                ..Default::default()
            },
        );
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].accounts, vec![0, 1]);
        assert_eq!(blocks[0].posts, vec![0, 1]);
        assert_eq!(blocks[0].likes, 4);
        assert!((blocks[0].score - want).abs() < 1e-12, "{}", blocks[0].score);
        assert!(
            (block_score(3, 2, &edges, &[0, 1, 2], &[0, 1], 5.0) - (2.0 * w0 + 3.0 * w1) / 5.0).abs() < 1e-12
        );
        // The same through a LikeGraph.
        let g = graph(3, 2, &edges);
        assert_eq!(
            fraudar(
                &g,
                &FraudarParams {
                    blocks: 1,
                    ..Default::default()
                }
            ),
            blocks
        );
    }

    #[test]
    fn planted_block_found_exactly_without_and_with_camouflage() {
        for camo in [0u8, 1, 2] {
            let edges = planted(1.0, camo, 7 + camo as u64);
            let blocks = fraudar_on(300, 400, &edges, &FraudarParams::default());
            let b = &blocks[0];
            assert_eq!(b.accounts, (0..20).collect::<Vec<u32>>(), "camouflage {camo}");
            assert_eq!(b.posts, (0..20).collect::<Vec<u32>>(), "camouflage {camo}");
            assert_eq!(b.likes, 400);
            assert!((b.score - g_brute(&edges, &b.accounts, &b.posts, 5.0)).abs() < 1e-9);
        }
    }

    #[test]
    fn sparser_planted_block_is_still_found_with_camouflage() {
        for camo in [0u8, 1, 2] {
            let edges = planted(0.6, camo, 100 + camo as u64);
            let blocks = fraudar_on(300, 400, &edges, &FraudarParams::default());
            let b = &blocks[0];
            let rows_hit = b.accounts.iter().filter(|&&a| a < 20).count();
            let cols_hit = b.posts.iter().filter(|&&p| p < 20).count();
            assert_eq!(rows_hit, 20, "camouflage {camo}: {b:?}");
            assert_eq!(cols_hit, 20, "camouflage {camo}: {b:?}");
            assert!(b.accounts.len() + b.posts.len() <= 42, "camouflage {camo}: {b:?}");
        }
    }

    #[test]
    fn several_blocks_in_turn() {
        // Two disjoint full blocks, 6 × 5 (a0..6 × p0..5) and 4 × 4 (a10..14 × p10..14), plus
        // a sparse path over other nodes.
        let mut edges = Vec::new();
        for a in 0..6 {
            for p in 0..5 {
                edges.push((a, p));
            }
        }
        for a in 10..14 {
            for p in 10..14 {
                edges.push((a, p));
            }
        }
        for i in 20..40u32 {
            edges.push((i, i));
            edges.push((i, i + 1));
        }
        let blocks = fraudar_on(
            41,
            42,
            &edges,
            &FraudarParams {
                blocks: 3,
                ..Default::default()
            },
        );
        assert!(blocks.len() >= 2);
        assert_eq!(blocks[0].accounts, (0..6).collect::<Vec<u32>>());
        assert_eq!(blocks[0].posts, (0..5).collect::<Vec<u32>>());
        assert_eq!(blocks[1].accounts, (10..14).collect::<Vec<u32>>());
        assert_eq!(blocks[1].posts, (10..14).collect::<Vec<u32>>());
        assert!(blocks[0].score >= blocks[1].score);
        // min sizes filter the report but not the rounds.
        let big = fraudar_on(
            41,
            42,
            &edges,
            &FraudarParams {
                blocks: 3,
                min_accounts: 5,
                ..Default::default()
            },
        );
        let want: Vec<DenseBlock> = blocks.iter().filter(|b| b.accounts.len() >= 5).cloned().collect();
        assert_eq!(big, want);
        assert!(!big.contains(&blocks[1]));
    }

    #[test]
    fn empty_and_degenerate_inputs_do_not_panic() {
        let p = FraudarParams::default();
        assert!(fraudar_on(0, 0, &[], &p).is_empty());
        assert!(fraudar_on(5, 5, &[], &p).is_empty());
        assert!(fraudar(&graph(0, 0, &[]), &p).is_empty());
        assert!(fraudar(&graph(3, 3, &[]), &p).is_empty());
        let one = fraudar_on(0, 0, &[(4, 2)], &p);
        assert_eq!(one.len(), 1);
        assert_eq!(
            (one[0].accounts.clone(), one[0].posts.clone()),
            (vec![4], vec![2])
        );
        let zero_blocks = FraudarParams {
            blocks: 0,
            ..p.clone()
        };
        assert!(fraudar_on(2, 2, &[(0, 0), (1, 1)], &zero_blocks).is_empty());
        let bad_c = FraudarParams {
            log_constant: f64::NAN,
            ..p.clone()
        };
        assert_eq!(
            fraudar_on(2, 2, &[(0, 0), (0, 1)], &bad_c),
            fraudar_on(2, 2, &[(0, 0), (0, 1)], &p)
        );
        let edges = [(0, 0), (0, 1), (1, 0), (1, 1)];
        assert_eq!(
            fraudar_with_priors(2, 2, &edges, &[f64::NAN], &[f64::INFINITY, 0.5, 9.0], &p)[0].accounts,
            vec![0, 1]
        );
        assert!(block_score(0, 0, &[], &[], &[], 5.0) == 0.0);
    }

    #[test]
    fn priors_shift_the_block() {
        // A 3 × 3 full block and a 2 × 2 full block; a large prior on a3 and p3 (in the small
        // block) makes the small block the better one.
        let mut edges = Vec::new();
        for a in 0..3 {
            for p in 0..3 {
                edges.push((a, p));
            }
        }
        for a in 3..5 {
            for p in 3..5 {
                edges.push((a, p));
            }
        }
        let p = FraudarParams {
            blocks: 1,
            ..Default::default()
        };
        assert_eq!(fraudar_on(5, 5, &edges, &p)[0].accounts, vec![0, 1, 2]);
        let pa = [0.0, 0.0, 0.0, 10.0, 0.0];
        let pp = [0.0, 0.0, 0.0, 10.0, 0.0];
        let b = &fraudar_with_priors(5, 5, &edges, &pa, &pp, &p)[0];
        assert!(b.accounts.contains(&3) && b.posts.contains(&3), "{b:?}");
        assert!(!b.accounts.contains(&0), "{b:?}");
    }

    #[test]
    fn deterministic_and_independent_of_edge_order_and_repeats() {
        let edges = planted(0.5, 2, 3);
        let p = FraudarParams::default();
        let first = fraudar_on(300, 400, &edges, &p);
        let mut shuffled = edges.clone();
        shuffled.reverse();
        shuffled.extend_from_slice(&edges[..100]);
        assert_eq!(fraudar_on(300, 400, &shuffled, &p), first);
        assert_eq!(fraudar_on(300, 400, &edges, &p), first);
        let g = graph(300, 400, &edges);
        assert_eq!(fraudar(&g, &p), first);
    }

    /// Peeling with a linear scan instead of the tree (same incremental arithmetic).
    fn peel_naive(bip: &Bipartite, w: &[f64]) -> (Vec<bool>, Vec<bool>) {
        let (na, np) = (bip.na, bip.np);
        let mut cost: Vec<f64> = (0..na)
            .map(|a| bip.posts_of(a).iter().fold(0.0, |s, &p| s + w[p as usize]))
            .chain((0..np).map(|p| bip.accounts_of(p).iter().fold(0.0, |s, _| s + w[p])))
            .collect();
        let mut alive = vec![true; na + np];
        let mut f: f64 = cost[..na].iter().sum();
        let (mut rows, mut cols) = (na, np);
        let mut best = if na + np > 0 { f / (na + np) as f64 } else { 0.0 };
        let mut order = Vec::new();
        let mut best_removed = 0;
        while rows > 0 && cols > 0 {
            let v = (0..na + np)
                .filter(|&v| alive[v])
                .min_by(|&x, &y| cost[x].partial_cmp(&cost[y]).unwrap().then(x.cmp(&y)))
                .unwrap();
            f -= cost[v];
            alive[v] = false;
            if v < na {
                bip.posts_of(v)
                    .iter()
                    .for_each(|&p| cost[na + p as usize] -= w[p as usize]);
                rows -= 1;
            } else {
                bip.accounts_of(v - na)
                    .iter()
                    .for_each(|&a| cost[a as usize] -= w[v - na]);
                cols -= 1;
            }
            order.push(v);
            if f / (rows + cols) as f64 > best {
                best = f / (rows + cols) as f64;
                best_removed = order.len();
            }
        }
        let mut keep = vec![true; na + np];
        order[..best_removed].iter().for_each(|&v| keep[v] = false);
        (keep[..na].to_vec(), keep[na..].to_vec())
    }

    fn edge_sets() -> impl Strategy<Value = (usize, usize, Vec<(u32, u32)>)> {
        (1usize..6, 1usize..6).prop_flat_map(|(na, np)| {
            (
                Just(na),
                Just(np),
                proptest::collection::vec((0..na as u32, 0..np as u32), 0..(na * np + 2)),
            )
        })
    }

    proptest! {
        #[test]
        fn returned_score_is_g_from_scratch((na, np, edges) in edge_sets()) {
            let blocks = fraudar_on(na, np, &edges, &FraudarParams { blocks: 1, ..Default::default() });
            if let Some(b) = blocks.first() {
                let g = g_brute(&edges, &b.accounts, &b.posts, 5.0);
                prop_assert!((b.score - g).abs() < 1e-9, "{} vs {}", b.score, g);
            } else {
                prop_assert!(edges.is_empty());
            }
        }

        #[test]
        fn at_least_half_the_optimum((na, np, edges) in edge_sets()) {
            // The paper's guarantee, checked against all node subsets.
            prop_assume!(!edges.is_empty());
            let blocks = fraudar_on(na, np, &edges, &FraudarParams { blocks: 1, ..Default::default() });
            let mut opt = 0.0f64;
            for mask in 1u32..(1 << (na + np)) {
                let acc: Vec<u32> = (0..na as u32).filter(|&a| mask >> a & 1 == 1).collect();
                let pos: Vec<u32> = (0..np as u32).filter(|&p| mask >> (na as u32 + p) & 1 == 1).collect();
                opt = opt.max(g_brute(&edges, &acc, &pos, 5.0));
            }
            prop_assert!(blocks[0].score >= opt / 2.0 - 1e-12, "{} vs optimum {}", blocks[0].score, opt);
        }

        #[test]
        fn tree_peeling_equals_linear_scan((na, np, edges) in edge_sets()) {
            let bip = Bipartite::from_keys(na, np, edges.iter().map(|&(a, p)| key(a, p)).collect());
            let w = bip.weights(5.0);
            prop_assert_eq!(peel(&bip, &w, None), peel_naive(&bip, &w));
        }

        #[test]
        fn later_blocks_score_on_the_residual_graph((na, np, edges) in edge_sets()) {
            let blocks = fraudar_on(na, np, &edges, &FraudarParams { blocks: 3, ..Default::default() });
            let mut rest: Vec<(u32, u32)> = edges.clone();
            for b in &blocks {
                let g = g_brute(&rest, &b.accounts, &b.posts, 5.0);
                prop_assert!((b.score - g).abs() < 1e-9);
                rest.retain(|(a, p)| !(b.accounts.contains(a) && b.posts.contains(p)));
            }
        }
    }
}
