//! CopyCatch: temporally coherent near-bipartite cores grown from a seed.
//!
//! Beutel, A., Xu, W., Guruswami, V., Palow, C. & Faloutsos, C. (2013). *CopyCatch: stopping
//! group attacks by spotting lockstep behavior in social networks.* WWW 2013, 119–130.
//! doi:10.1145/2488388.2488400
//!
//! A **[n, m, Δt, ρ] temporally coherent near-bipartite core** is a set U of n accounts and a
//! set P of m posts, each post p with a centre time c_p, such that every account in U liked at
//! least ρ·m of the posts in P within Δt of the post's centre, |t(u, p) − c_p| ≤ Δt: on each
//! post, the block's likes fall in one window of width 2Δt. Like farms produce such blocks
//! (the same task list worked through by the same accounts within minutes); organic audiences
//! liking the same posts over hours or days do not.
//!
//! Finding the largest core is NP-hard; like the paper's serial algorithm, [`copycatch`]
//! improves a seed (e.g. a Leiden cluster and its posts, or a FRAUDAR block) by alternating
//!
//! 1. **centres**: for each post, c_p maximises the number of current accounts whose like on p
//!    is within ±Δt (a sliding window over the sorted times; the earliest best window on ties,
//!    c_p at its middle);
//! 2. **accounts**: every liker of the posts (members or not) that liked at least ρ·m posts
//!    within their windows belongs to U; no one else does;
//! 3. **posts**: every post liked by the accounts of U (in P or not) on which at least a share
//!    ρ of U liked within one window of width 2Δt belongs to P, with that window's centre;
//!
//! until U and P no longer change (at most `max_iterations` rounds). A last tightening pass
//! then only removes: it recomputes the centres, drops accounts below ρ·m and posts with no
//! account inside their window, until nothing changes, so the returned block **always
//! satisfies the definition** with the centres it reports.
//!
//! Cost per round: the likes of the posts in their windows plus the likes of the accounts in
//! U, with binary searches on each post's sorted like times; memory O(accounts + posts).

use rustc_hash::FxHashMap;

use crate::clock::{Clock, Style, duration};
use crate::graph::LikeGraph;
use crate::vocab::Interaction;

/// Parameters of [`copycatch`].
#[derive(Debug, Clone, PartialEq)]
pub struct CopyCatchParams {
    /// Half-width Δt of each post's window, in clock units (milliseconds, or positions with a
    /// logical clock). Negative values count as 0.
    pub delta_t: i64,
    /// ρ: every account must have liked at least this share of the block's posts within the
    /// windows; a post joins the block when at least this share of the accounts liked it within
    /// one window. Clamped to 0..1.
    pub rho: f64,
    /// Smallest block returned (accounts); at least 1.
    pub min_accounts: usize,
    /// Smallest block returned (posts); at least 1.
    pub min_posts: usize,
    /// Rounds of the alternating search before the tightening pass.
    pub max_iterations: usize,
}

impl Default for CopyCatchParams {
    fn default() -> Self {
        CopyCatchParams {
            delta_t: 5 * 60 * 1000,
            rho: 0.5,
            min_accounts: 3,
            min_posts: 2,
            max_iterations: 20,
        }
    }
}

/// A temporally coherent block: the evidence CopyCatch returns.
#[derive(Debug, Clone, PartialEq)]
pub struct TemporalBlock {
    /// Account ids, ascending.
    pub accounts: Vec<u32>,
    /// Post ids, ascending.
    pub posts: Vec<u32>,
    /// Centre time c_p of each post (same order as `posts`).
    pub centres: Vec<i64>,
    /// The Δt used.
    pub delta_t: i64,
    /// Share of the account × post cells liked within the post's window.
    pub coverage: f64,
    /// The ρ actually achieved: the smallest share of the posts any account liked within the
    /// windows.
    pub min_account_hits: f64,
}

impl TemporalBlock {
    /// One sentence a journalist can repeat, in the words of the interaction `w`, e.g. "31
    /// accounts × 12 posts: every account liked at least 9 of these 12 posts within 10 min of
    /// each other on each post (±5 min around the post's centre); 93 % of the 372 account ×
    /// post cells are filled within the windows."
    pub fn statement(&self, clock: Clock, w: Interaction) -> String {
        let (n, m) = (self.accounts.len(), self.posts.len());
        let hits = (self.min_account_hits * m as f64).round() as usize;
        let cells = n * m;
        let width = span(self.delta_t.max(0).saturating_mul(2), clock);
        let half = span(self.delta_t.max(0), clock);
        let every = if n == 1 { "the account" } else { "every account" };
        let (post, posts) = (w.object(), w.objects());
        let of = if hits == m && m > 1 {
            format!("all {m} of these {posts}")
        } else if m == 1 {
            format!("this {post}")
        } else {
            format!("at least {hits} of these {m} {posts}")
        };
        format!(
            "{n} {} × {}: {every} {} {of} within {width} of each other on each {post} (±{half} \
             around the {post}'s centre); {} of the {cells} account × {post} {} filled within the windows.",
            if n == 1 { "account" } else { "accounts" },
            w.count_objects(m),
            w.past(),
            crate::text::percent(self.coverage, 0),
            if cells == 1 { "cell is" } else { "cells are" },
        )
    }
}

/// A span of clock units in words: "250 ms", "45 s", "10 min", "2 h", "3 days", or positions.
fn span(units: i64, clock: Clock) -> String {
    duration(clock, units as f64, Style::Short)
}

/// Grow and tighten a temporally coherent block from a seed of accounts and posts (either may
/// be empty, not both). Ids out of range are ignored. Returns `None` when no block of at least
/// `min_accounts` × `min_posts` satisfies the definition near the seed.
pub fn copycatch(
    graph: &LikeGraph,
    seed_accounts: &[u32],
    seed_posts: &[u32],
    params: &CopyCatchParams,
) -> Option<TemporalBlock> {
    let s = Search::new(graph, params);
    let mut accounts = sorted_valid(seed_accounts, graph.n_accounts());
    let mut posts: Vec<(u32, i64)> = Vec::new();
    let seed_posts = sorted_valid(seed_posts, graph.n_posts());
    if seed_posts.is_empty() {
        if accounts.is_empty() {
            return None;
        }
        posts = s.grow_posts(&accounts);
    } else {
        // Seed centres: from the seed accounts, or from all likers when there are none.
        for &p in &seed_posts {
            let c = if accounts.is_empty() {
                s.best_window(graph.times(p)).map(|(c, _)| c)
            } else {
                s.centre(p, &s.member_mask(&accounts))
            };
            if let Some(c) = c {
                posts.push((p, c));
            }
        }
    }
    for _ in 0..params.max_iterations {
        if posts.is_empty() {
            return None;
        }
        let mask = s.member_mask(&accounts);
        // (a) centres from the current accounts (posts none of them liked keep theirs).
        let centred: Vec<(u32, i64)> = if accounts.is_empty() {
            posts.clone()
        } else {
            posts
                .iter()
                .map(|&(p, c)| (p, s.centre(p, &mask).unwrap_or(c)))
                .collect()
        };
        // (b) accounts.
        let new_accounts: Vec<u32> = s
            .hits(&centred)
            .into_iter()
            .filter(|&(_, h)| s.enough(h, centred.len()))
            .map(|(a, _)| a)
            .collect();
        if new_accounts.is_empty() {
            return None;
        }
        // (c) posts.
        let new_posts = s.grow_posts(&new_accounts);
        let stable = new_accounts == accounts && new_posts == centred;
        accounts = new_accounts;
        posts = new_posts;
        if stable {
            break;
        }
    }
    tighten(&s, accounts, posts, params)
}

/// Tightening: only removals, until the definition holds with the reported centres.
fn tighten(
    s: &Search<'_>,
    mut accounts: Vec<u32>,
    mut posts: Vec<(u32, i64)>,
    params: &CopyCatchParams,
) -> Option<TemporalBlock> {
    loop {
        if accounts.is_empty() || posts.is_empty() {
            return None;
        }
        let mask = s.member_mask(&accounts);
        posts = posts
            .iter()
            .filter_map(|&(p, _)| s.centre(p, &mask).map(|c| (p, c)))
            .collect();
        if posts.is_empty() {
            return None;
        }
        let hits: FxHashMap<u32, usize> = s.hits(&posts).into_iter().collect();
        let kept: Vec<u32> = accounts
            .iter()
            .copied()
            .filter(|a| s.enough(hits.get(a).copied().unwrap_or(0), posts.len()))
            .collect();
        if kept.len() == accounts.len() {
            let covered: usize = kept.iter().map(|a| hits[a]).sum();
            let least = kept.iter().map(|a| hits[a]).min().unwrap_or(0);
            let (n, m) = (kept.len(), posts.len());
            if n < params.min_accounts.max(1) || m < params.min_posts.max(1) {
                return None;
            }
            return Some(TemporalBlock {
                accounts: kept,
                posts: posts.iter().map(|x| x.0).collect(),
                centres: posts.iter().map(|x| x.1).collect(),
                delta_t: s.dt,
                coverage: covered as f64 / (n * m) as f64,
                min_account_hits: least as f64 / m as f64,
            });
        }
        accounts = kept;
    }
}

/// Room for floating-point rounding when a share is compared with ρ.
const ROUNDING: f64 = 1e-9;

fn sorted_valid(ids: &[u32], n: usize) -> Vec<u32> {
    let mut v: Vec<u32> = ids.iter().copied().filter(|&x| (x as usize) < n).collect();
    v.sort_unstable();
    v.dedup();
    v
}

struct Search<'g> {
    graph: &'g LikeGraph,
    dt: i64,
    rho: f64,
}

impl<'g> Search<'g> {
    fn new(graph: &'g LikeGraph, params: &CopyCatchParams) -> Self {
        let rho = if params.rho.is_nan() {
            CopyCatchParams::default().rho
        } else {
            params.rho.clamp(0.0, 1.0)
        };
        Search {
            graph,
            dt: params.delta_t.max(0),
            rho,
        }
    }

    /// Whether `hits` of `of` reaches the share ρ (with a little room for rounding).
    fn enough(&self, hits: usize, of: usize) -> bool {
        hits > 0 && hits as f64 >= self.rho * of as f64 - ROUNDING
    }

    fn member_mask(&self, accounts: &[u32]) -> Vec<bool> {
        let mut mask = vec![false; self.graph.n_accounts()];
        accounts.iter().for_each(|&a| mask[a as usize] = true);
        mask
    }

    /// The window of width 2Δt holding the most of the sorted `times`, earliest on ties: its
    /// centre (the middle of the first and last time it holds, rounded up) and its count.
    fn best_window(&self, times: &[i64]) -> Option<(i64, usize)> {
        let width = 2 * self.dt as i128;
        let mut best: Option<(usize, usize)> = None; // (start, end) inclusive
        let mut j = 0;
        for i in 0..times.len() {
            j = j.max(i);
            while j + 1 < times.len() && (times[j + 1] as i128 - times[i] as i128) <= width {
                j += 1;
            }
            if best.is_none_or(|(bi, bj)| j - i > bj - bi) {
                best = Some((i, j));
            }
        }
        best.map(|(i, j)| {
            let d = times[j] as i128 - times[i] as i128;
            ((times[i] as i128 + (d + 1) / 2) as i64, j - i + 1)
        })
    }

    /// Centre of post p from the members' likes on it, if any member liked it.
    fn centre(&self, p: u32, mask: &[bool]) -> Option<i64> {
        self.window_of_members(p, mask).map(|(c, _)| c)
    }

    fn window_of_members(&self, p: u32, mask: &[bool]) -> Option<(i64, usize)> {
        let times: Vec<i64> = self
            .graph
            .likers(p)
            .iter()
            .zip(self.graph.times(p))
            .filter(|&(&a, _)| mask[a as usize])
            .map(|(_, &t)| t)
            .collect();
        self.best_window(&times)
    }

    /// For every account with a like inside some post's window: how many posts it hit, by
    /// account id ascending.
    fn hits(&self, posts: &[(u32, i64)]) -> Vec<(u32, usize)> {
        let mut count: FxHashMap<u32, usize> = FxHashMap::default();
        for &(p, c) in posts {
            let times = self.graph.times(p);
            let lo = times.partition_point(|&t| (t as i128) < c as i128 - self.dt as i128);
            let hi = times.partition_point(|&t| (t as i128) <= c as i128 + self.dt as i128);
            for &a in &self.graph.likers(p)[lo..hi] {
                *count.entry(a).or_insert(0) += 1;
            }
        }
        let mut v: Vec<(u32, usize)> = count.into_iter().collect();
        v.sort_unstable();
        v
    }

    /// The posts liked by `accounts` on which a share ρ of them liked within one window, with
    /// that window's centre, by post id.
    fn grow_posts(&self, accounts: &[u32]) -> Vec<(u32, i64)> {
        let mask = self.member_mask(accounts);
        let mut liked: FxHashMap<u32, usize> = FxHashMap::default();
        for &a in accounts {
            for &l in self.graph.account_likes(a) {
                *liked.entry(self.graph.like_post(l)).or_insert(0) += 1;
            }
        }
        let n = accounts.len();
        let mut candidates: Vec<u32> = liked
            .into_iter()
            .filter(|&(_, k)| self.enough(k, n))
            .map(|(p, _)| p)
            .collect();
        candidates.sort_unstable();
        candidates
            .into_iter()
            .filter_map(|p| {
                let (c, k) = self.window_of_members(p, &mask)?;
                self.enough(k, n).then_some((p, c))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const S: i64 = 1000;

    fn graph_with(n_accounts: usize, n_posts: usize, clock: Clock, likes: &[(u32, u32, i64)]) -> LikeGraph {
        LikeGraph::for_tests(n_accounts, n_posts, clock, likes)
    }

    fn graph(n_accounts: usize, n_posts: usize, likes: &[(u32, u32, i64)]) -> LikeGraph {
        graph_with(n_accounts, n_posts, Clock::Timestamps, likes)
    }

    fn params(delta_t: i64) -> CopyCatchParams {
        CopyCatchParams {
            delta_t,
            rho: 0.5,
            min_accounts: 2,
            min_posts: 2,
            max_iterations: 20,
        }
    }

    /// The hand-checked example (times in seconds):
    /// p0: a0@100 a4@103 a1@105 a2@112 a3@500;  p1: a0@1000 a1@1004 a2@1030 a4@3000;
    /// p2: a0@2000 a3@2005 a2@2008 a1@2019.
    fn hand() -> LikeGraph {
        let likes = [
            (0, 0, 100 * S),
            (4, 0, 103 * S),
            (1, 0, 105 * S),
            (2, 0, 112 * S),
            (3, 0, 500 * S),
            (0, 1, 1000 * S),
            (1, 1, 1004 * S),
            (2, 1, 1030 * S),
            (4, 1, 3000 * S),
            (0, 2, 2000 * S),
            (3, 2, 2005 * S),
            (2, 2, 2008 * S),
            (1, 2, 2019 * S),
        ];
        graph(5, 3, &likes)
    }

    #[test]
    fn centres_and_membership_by_hand() {
        // Δt = 10 s, ρ = 0.5, seed {a0, a1} × {p0, p1, p2}.
        // Round 1 centres from a0, a1: p0 [100, 105] → 102.5; p1 [1000, 1004] → 1002;
        // p2 [2000, 2019] (19 s ≤ 2Δt) → 2009.5 (the middle, in ms).  Hits within ±10 s: a0 3, a1 3, a2 2 (p0, p2;
        // p1 at 1030 is out), a3 1 (p2), a4 1 (p0) → U = {a0, a1, a2} (need ≥ 1.5 of 3).
        // Posts from U: p0 [100, 105, 112] → centre 106; p1 best window [1000, 1004] → 1002
        // (2 of 3 ≥ 1.5); p2 [2000, 2008, 2019] → 2009.5.  Round 2 changes nothing.
        let g = hand();
        let b = copycatch(&g, &[0, 1], &[0, 1, 2], &params(10 * S)).unwrap();
        assert_eq!(b.accounts, vec![0, 1, 2]);
        assert_eq!(b.posts, vec![0, 1, 2]);
        assert_eq!(b.centres, vec![106 * S, 1002 * S, 2_009_500]);
        assert_eq!(b.delta_t, 10 * S);
        assert!((b.coverage - 8.0 / 9.0).abs() < 1e-12);
        assert!((b.min_account_hits - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            b.statement(Clock::Timestamps, Interaction::Like),
            "3 accounts × 3 posts: every account liked at least 2 of these 3 posts within 20 s of \
             each other on each post (±10 s around the post's centre); 89 % of the 9 account × post \
             cells are filled within the windows."
        );
        // The same block from other seeds: the posts alone, or the accounts alone.
        assert_eq!(copycatch(&g, &[], &[0, 1, 2], &params(10 * S)).unwrap(), b);
        assert_eq!(copycatch(&g, &[0, 1, 2], &[], &params(10 * S)).unwrap(), b);
        // With ρ = 1 a2 (2 of 3) is out; a0, a1 hit all three posts.
        let strict = CopyCatchParams {
            rho: 1.0,
            ..params(10 * S)
        };
        let b1 = copycatch(&g, &[0, 1], &[0, 1, 2], &strict).unwrap();
        assert_eq!(b1.accounts, vec![0, 1]);
        assert_eq!(b1.centres, vec![102_500, 1002 * S, 2_009_500]);
        assert_eq!(b1.coverage, 1.0);
        assert_eq!(b1.min_account_hits, 1.0);
        assert!(
            b1.statement(Clock::Timestamps, Interaction::Like)
                .contains("every account liked all 3 of these posts")
        );
        assert_eq!(
            b.statement(Clock::Timestamps, Interaction::Follow),
            "3 accounts × 3 followed accounts: every account followed at least 2 of these 3 \
             followed accounts within 20 s of each other on each followed account (±10 s around \
             the followed account's centre); 89 % of the 9 account × followed account cells are \
             filled within the windows."
        );
        assert!(
            b1.statement(Clock::Timestamps, Interaction::Comment)
                .contains("every account commented on all 3 of these posts")
        );
        // With Δt = 1 s nothing holds two accounts on a post.
        assert_eq!(copycatch(&g, &[0, 1], &[0, 1, 2], &params(S)), None);
    }

    #[test]
    fn dense_but_not_temporally_coherent_is_rejected() {
        // 6 accounts all liked all 5 posts (a full 6 × 5 block), but hours apart: account i
        // likes post p at i hours + p × 37 s.  No 2 min window holds two accounts.
        let mut likes = Vec::new();
        for a in 0..6u32 {
            for p in 0..5u32 {
                likes.push((a, p, a as i64 * 3600 * S + p as i64 * 37 * S));
            }
        }
        let g = graph(6, 5, &likes);
        let all: Vec<u32> = (0..6).collect();
        let posts: Vec<u32> = (0..5).collect();
        assert_eq!(copycatch(&g, &all, &posts, &params(60 * S)), None);
        assert_eq!(copycatch(&g, &[], &posts, &params(60 * S)), None);
        // A window of 6 hours makes it coherent again.
        let b = copycatch(&g, &all, &posts, &params(3 * 3600 * S)).unwrap();
        assert_eq!(b.accounts, all);
        assert_eq!(b.posts, posts);
        assert_eq!(b.coverage, 1.0);
    }

    #[test]
    fn grows_a_planted_farm_from_a_partial_seed_and_ignores_organic_likers() {
        // 8 farm accounts like 6 posts in sync (2 s apart, a new post every hour); 20 organic
        // accounts like the same posts at scattered times; the farm also likes 3 popular posts
        // at scattered times (camouflage).
        let mut likes = Vec::new();
        for p in 0..6u32 {
            for a in 0..8u32 {
                likes.push((a, p, p as i64 * 3600 * S + a as i64 * 2 * S));
            }
            for o in 8..28u32 {
                likes.push((o, p, (o as i64 * 7919 + p as i64 * 104_729) % (48 * 3600) * S));
            }
        }
        for a in 0..8u32 {
            for q in 6..9u32 {
                likes.push((a, q, (a as i64 * 5 + q as i64) * 3600 * S));
            }
        }
        for o in 8..28u32 {
            likes.push((o, 6 + o % 3, o as i64 * 1800 * S));
        }
        let g = graph(28, 9, &likes);
        let b = copycatch(&g, &[0, 1, 2], &[0], &params(60 * S)).unwrap();
        assert_eq!(b.accounts, (0..8).collect::<Vec<u32>>());
        assert_eq!(b.posts, (0..6).collect::<Vec<u32>>());
        // Centre of post p: farm likes from p h to p h + 14 s → p h + 7 s.
        let want: Vec<i64> = (0..6).map(|p| p * 3600 * S + 7 * S).collect();
        assert_eq!(b.centres, want);
        assert_eq!(b.coverage, 1.0);
        let text = b.statement(Clock::Timestamps, Interaction::Like);
        assert!(text.starts_with(
            "8 accounts × 6 posts: every account liked all 6 of these posts within 2 min of each other on each post (±1 min"
        ), "{text}");
    }

    #[test]
    fn logical_clock_and_degenerate_inputs() {
        let likes = [(0, 0, 0), (1, 0, 1), (2, 0, 2), (0, 1, 0), (1, 1, 1), (2, 1, 5)];
        let g = graph_with(3, 2, Clock::Logical, &likes);
        let p = params(1);
        let b = copycatch(&g, &[0, 1, 2], &[0, 1], &p).unwrap();
        assert_eq!(b.accounts, vec![0, 1, 2]);
        assert_eq!(
            b.statement(Clock::Logical, Interaction::Like),
            "3 accounts × 2 posts: every account liked at least 1 of these 2 posts within 2 positions \
             of each other on each post (±1 position around the post's centre); 83 % of the 6 \
             account × post cells are filled within the windows."
        );
        // Nothing to start from, ids out of range, zero iterations, odd parameters.
        assert_eq!(copycatch(&g, &[], &[], &p), None);
        assert_eq!(copycatch(&g, &[7, 9], &[44], &p), None);
        let empty = graph(0, 0, &[]);
        assert_eq!(copycatch(&empty, &[0], &[0], &p), None);
        let zero = CopyCatchParams {
            max_iterations: 0,
            ..p.clone()
        };
        let z = copycatch(&g, &[0, 1, 2], &[0, 1], &zero).unwrap();
        assert_eq!(z.accounts, vec![0, 1, 2]);
        let odd = CopyCatchParams {
            delta_t: -5,
            rho: f64::NAN,
            min_accounts: 0,
            min_posts: 0,
            max_iterations: 3,
        };
        let o = copycatch(&g, &[0, 1, 2], &[0, 1], &odd).unwrap();
        assert_eq!(o.delta_t, 0);
        let huge = CopyCatchParams {
            delta_t: i64::MAX,
            ..p.clone()
        };
        assert!(copycatch(&g, &[0], &[0, 1], &huge).is_some());
        assert_eq!(span(90 * 60 * S, Clock::Timestamps), "1.5 h");
        assert_eq!(span(90 * S, Clock::Timestamps), "1.5 min");
        assert_eq!(span(3 * 3600 * S, Clock::Timestamps), "3 h");
        assert_eq!(span(1500, Clock::Timestamps), "1.5 s");
        assert_eq!(span(250, Clock::Timestamps), "250 ms");
        assert_eq!(span(3 * 86_400 * S, Clock::Timestamps), "3 days");
    }

    type World = (Vec<(u32, u32, i64)>, Vec<u32>, Vec<u32>, i64, f64);

    fn worlds() -> impl Strategy<Value = World> {
        (
            proptest::collection::vec((0u32..8, 0u32..5, 0i64..100), 0..40),
            proptest::collection::vec(0u32..9, 0..5),
            proptest::collection::vec(0u32..6, 0..4),
            0i64..30,
            prop_oneof![Just(0.3), Just(0.5), Just(1.0)],
        )
    }

    proptest! {
        #[test]
        fn returned_blocks_satisfy_the_definition((likes, sa, sp, dt, rho) in worlds()) {
            // One like per (account, post): keep the first.
            let mut seen = std::collections::HashSet::new();
            let likes: Vec<_> = likes.into_iter().filter(|l| seen.insert((l.0, l.1))).collect();
            let g = graph(8, 5, &likes);
            let p = CopyCatchParams { delta_t: dt, rho, min_accounts: 1, min_posts: 1, max_iterations: 10 };
            let got = copycatch(&g, &sa, &sp, &p);
            prop_assert_eq!(&got, &copycatch(&g, &sa, &sp, &p));
            if let Some(b) = got {
                prop_assert!(b.accounts.is_sorted() && b.posts.is_sorted());
                prop_assert_eq!(b.centres.len(), b.posts.len());
                let m = b.posts.len();
                let mut covered = 0;
                let mut least = usize::MAX;
                for &a in &b.accounts {
                    let hits = b.posts.iter().zip(&b.centres)
                        .filter(|&(&q, &c)| g.like_time_of(a, q).is_some_and(|t| (t - c).abs() <= dt))
                        .count();
                    prop_assert!(hits as f64 >= rho * m as f64 - 1e-9 && hits > 0, "account {a}: {hits} of {m}");
                    covered += hits;
                    least = least.min(hits);
                }
                prop_assert!((b.coverage - covered as f64 / (b.accounts.len() * m) as f64).abs() < 1e-12);
                prop_assert!((b.min_account_hits - least as f64 / m as f64).abs() < 1e-12);
                // Every post has at least one account inside its window.
                for (&q, &c) in b.posts.iter().zip(&b.centres) {
                    prop_assert!(b.accounts.iter().any(|&a| g.like_time_of(a, q).is_some_and(|t| (t - c).abs() <= dt)));
                }
            }
        }
    }
}
